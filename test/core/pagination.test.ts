import { describe, expect, it } from '@jest/globals';
import { decodeCursor, encodeCursor, fetchWindow, planPages, readWindow, toConnection } from '../../src/core/pagination.js';

const LIST = Array.from({ length: 237 }, (_, i) => `item-${i}`);

/** Serves LIST with PAI's PageNumber/PageSize semantics and records the pages asked for. */
function pager() {
  const calls: [number, number][] = [];
  const fetchPage = async (pageNumber: number, pageSize: number) => {
    calls.push([pageNumber, pageSize]);
    const start = (pageNumber - 1) * pageSize;
    return { items: LIST.slice(start, start + pageSize), totalCount: LIST.length };
  };
  return { calls, fetchPage };
}

describe('relay paging over PageNumber/PageSize', () => {
  it('serves every window exactly, in one upstream page whenever a page size up to the maximum allows it', async () => {
    const fitsOnePage = (start: number, count: number) => {
      for (let size = count; size <= 100; size += 1) if (Math.floor(start / size) === Math.floor((start + count - 1) / size)) return true;
      return false;
    };
    for (let start = 0; start <= 240; start += 1) {
      for (const count of [1, 2, 3, 7, 10, 13, 25, 50, 99, 100]) {
        const { calls, fetchPage } = pager();
        const page = await fetchWindow({ start, count }, 100, fetchPage);
        expect(page.items).toEqual(LIST.slice(start, start + count));
        expect(page.totalCount).toBe(LIST.length);
        const plan = planPages({ start, count }, 100);
        expect(calls.length).toBeLessThanOrEqual(plan.pages.length);
        expect(plan.pages.length).toBe(fitsOnePage(start, count) ? 1 : 2);
        for (const [, size] of calls) expect(size).toBeLessThanOrEqual(100);
      }
    }
  });

  it('covers a window wider than the upstream’s largest page with consecutive full pages', async () => {
    const { calls, fetchPage } = pager();
    const page = await fetchWindow({ start: 30, count: 100 }, 50, fetchPage);
    expect(page.items).toEqual(LIST.slice(30, 130));
    expect(calls).toEqual([
      [1, 50],
      [2, 50],
      [3, 50],
    ]);
    const end = pager();
    expect((await fetchWindow({ start: 200, count: 100 }, 50, end.fetchPage)).items).toEqual(LIST.slice(200));
    expect(end.calls).toEqual([[5, 50]]);
  });

  it('picks the smallest page that holds the window', () => {
    expect(planPages({ start: 0, count: 10 }, 100)).toEqual({ pageSize: 10, pages: [1] });
    expect(planPages({ start: 20, count: 10 }, 100)).toEqual({ pageSize: 10, pages: [3] });
    expect(planPages({ start: 15, count: 10 }, 100)).toEqual({ pageSize: 13, pages: [2] });
    expect(planPages({ start: 5, count: 0 }, 100)).toEqual({ pageSize: 1, pages: [1] });
  });

  it('does not fetch a second page that starts past the end of the list', async () => {
    let checked = 0;
    for (let start = 0; start < LIST.length; start += 1) {
      for (let count = 1; count <= 100; count += 1) {
        const plan = planPages({ start, count }, 100);
        if (plan.pages.length !== 2 || (plan.pages[1]! - 1) * plan.pageSize < LIST.length) continue;
        const { calls, fetchPage } = pager();
        const page = await fetchWindow({ start, count }, 100, fetchPage);
        expect(page.items).toEqual(LIST.slice(start, start + count));
        expect(calls).toHaveLength(1);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('round-trips cursors and rejects ones it did not issue', () => {
    for (const offset of [0, 1, 99, 123456]) expect(decodeCursor(encodeCursor(offset))).toBe(offset);
    for (const bad of ['', 'abc', Buffer.from('x:1').toString('base64url'), Buffer.from('o:-1').toString('base64url'), 'a'.repeat(100)]) {
      expect(decodeCursor(bad)).toBeUndefined();
    }
    expect(() => readWindow({ after: 'bogus' })).toThrow('after: must be a cursor returned by this API');
    expect(readWindow({ first: 5, after: encodeCursor(9) })).toEqual({ start: 10, count: 5 });
    expect(readWindow({})).toEqual({ start: 0, count: 10 });
  });

  it('builds a connection whose cursors continue where the page ended', () => {
    const connection = toConnection({ start: 10, count: 3 }, { items: ['a', 'b', 'c'], totalCount: 14 });
    expect(connection.edges.map((e) => decodeCursor(e.cursor))).toEqual([10, 11, 12]);
    expect(connection.pageInfo).toEqual({ hasNextPage: true, endCursor: encodeCursor(12) });
    expect(toConnection({ start: 0, count: 3 }, { items: [], totalCount: 0 }).pageInfo).toEqual({ hasNextPage: false, endCursor: null });
  });
});
