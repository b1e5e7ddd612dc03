import { describe, expect, it } from '@jest/globals';
import { offsetToCursor } from 'graphql-relay';
import { decodeCursor, encodeCursor, fetchWindow, planPages, readWindow, sliceWindow, toConnection } from '../../src/core/pagination.js';

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

  it('round-trips cursors in graphql-relay’s encoding and rejects ones it did not issue', () => {
    for (const offset of [0, 1, 99, 123456]) {
      expect(encodeCursor(offset)).toBe(offsetToCursor(offset));
      expect(decodeCursor(encodeCursor(offset))).toBe(offset);
    }
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    for (const bad of ['', 'abc', b64('x:1'), b64('arrayconnection:-1'), b64('arrayconnection:12abc'), b64('arrayconnection:01'), b64('arrayconnection:1e3'), Buffer.from('o:-1').toString('base64url'), 'a'.repeat(100)]) {
      expect(decodeCursor(bad)).toBeUndefined();
    }
    expect(() => readWindow({ after: 'bogus' })).toThrow('after: must be a cursor returned by this API');
    expect(() => readWindow({ before: b64('arrayconnection:7x') })).toThrow('before: must be a cursor returned by this API');
    expect(readWindow({ first: 5, after: encodeCursor(9) })).toEqual({ start: 10, count: 5 });
    expect(readWindow({})).toEqual({ start: 0, count: 10 });
  });

  it('still accepts cursors issued before graphql-relay’s encoding (`o:<offset>`), so paging survives an upgrade', () => {
    expect(decodeCursor(Buffer.from('o:41').toString('base64url'))).toBe(41);
    expect(readWindow({ first: 2, after: Buffer.from('o:41').toString('base64url') })).toEqual({ start: 42, count: 2 });
  });

  it('reads last/before the way the Relay specification slices: after and before first, then first or last', () => {
    expect(readWindow({ last: 5, before: encodeCursor(20) })).toEqual({ start: 15, count: 5 });
    expect(readWindow({ last: 5, before: encodeCursor(3) })).toEqual({ start: 0, count: 3 });
    expect(readWindow({ last: 5, after: encodeCursor(16), before: encodeCursor(20) })).toEqual({ start: 17, count: 3 });
    expect(readWindow({ first: 5, after: encodeCursor(16), before: encodeCursor(20) })).toEqual({ start: 17, count: 3 });
    expect(readWindow({ before: encodeCursor(4) })).toEqual({ start: 0, count: 4 });
    expect(readWindow({ after: encodeCursor(9), before: encodeCursor(5) })).toEqual({ start: 10, count: 0 });
    expect(readWindow({ last: 5 })).toEqual({ start: 0, count: 5, fromEnd: true });
    expect(readWindow({ last: 5, after: encodeCursor(9) })).toEqual({ start: 10, count: 5, fromEnd: true });
  });

  it('holds last to 0..100 and refuses first with last, naming the argument', () => {
    expect(() => readWindow({ last: 101 })).toThrow('last: must be between 0 and 100 (got 101)');
    expect(() => readWindow({ last: -1 })).toThrow('last: must be between 0 and 100 (got -1)');
    expect(() => readWindow({ last: 1.5 })).toThrow('last: must be between 0 and 100');
    expect(() => readWindow({ first: 3, last: 3 })).toThrow(/^last: cannot be given together with `first`/);
  });

  it('counts a window from the end with one probe page: one call when the list fits it, else the window’s pages too', async () => {
    const short = async (pageNumber: number, pageSize: number) => ({ items: LIST.slice(0, 4).slice((pageNumber - 1) * pageSize, pageNumber * pageSize), totalCount: 4 });
    const calls: [number, number][] = [];
    const page = await fetchWindow(readWindow({ last: 10 }), 100, async (n, s) => (calls.push([n, s]), short(n, s)));
    expect(page).toEqual({ items: LIST.slice(0, 4), totalCount: 4, start: 0 });
    expect(calls).toEqual([[1, 10]]);

    const { calls: longCalls, fetchPage } = pager();
    const last = await fetchWindow(readWindow({ last: 7 }), 100, fetchPage);
    expect(last).toEqual({ items: LIST.slice(230), totalCount: 237, start: 230 });
    expect(longCalls).toHaveLength(2);
    expect(longCalls[0]).toEqual([1, 7]);
    const c = toConnection(readWindow({ last: 7 }), last);
    expect(c.edges.map((e) => decodeCursor(e.cursor))).toEqual([230, 231, 232, 233, 234, 235, 236]);
    expect(c.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true, startCursor: encodeCursor(230), endCursor: encodeCursor(236) });
  });

  it('serves last/before windows exactly, in one upstream call when a page fits them', async () => {
    const { calls, fetchPage } = pager();
    const page = await fetchWindow(readWindow({ last: 10, before: encodeCursor(230) }), 100, fetchPage);
    expect(page.items).toEqual(LIST.slice(220, 230));
    expect(calls).toHaveLength(1);
  });

  it('slices an in-memory list by a window counted from the end', () => {
    expect(sliceWindow(['a', 'b', 'c', 'd'], readWindow({ last: 2 }))).toEqual({ items: ['c', 'd'], totalCount: 4, start: 2 });
    expect(sliceWindow(['a', 'b'], readWindow({ last: 5 }))).toEqual({ items: ['a', 'b'], totalCount: 2, start: 0 });
  });

  it('builds a connection whose cursors continue where the page ended, both flags from offsets and the total', () => {
    const connection = toConnection({ start: 10, count: 3 }, { items: ['a', 'b', 'c'], totalCount: 14 });
    expect(connection.edges.map((e) => decodeCursor(e.cursor))).toEqual([10, 11, 12]);
    expect(connection.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: true, startCursor: encodeCursor(10), endCursor: encodeCursor(12) });
    expect(toConnection({ start: 0, count: 3 }, { items: ['a', 'b', 'c'], totalCount: 3 }).pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: false, startCursor: encodeCursor(0), endCursor: encodeCursor(2) });
    expect(toConnection({ start: 0, count: 3 }, { items: [], totalCount: 0 }).pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null });
  });
});
