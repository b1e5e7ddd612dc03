import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { codeOf, startHarness, type Harness } from './helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => h.resetCalls());

const PAGE = `query($first: Int, $after: String, $last: Int, $before: String) {
  models(first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id } }
  }
}`;

type Page = { totalCount: number; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null }; edges: { cursor: string; node: { id: string } }[] };
const page = async (vars: Record<string, unknown>): Promise<Page> => {
  const r = await h.gql(PAGE, vars);
  expect(r.body.errors).toBeUndefined();
  return r.body.data!.models;
};
const ids = (p: Page) => p.edges.map((e) => e.node.id);

describe('backward paging (last/before) and PageInfo', () => {
  it('serves the last items of a list: a probe for the total, then the window', async () => {
    const all = ids(await page({ first: 100 }));
    expect(all.length).toBeGreaterThan(10);
    h.resetCalls();
    const last = await page({ last: 3 });
    expect(ids(last)).toEqual(all.slice(-3));
    expect(last.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true, startCursor: last.edges[0]!.cursor, endCursor: last.edges[2]!.cursor });
    expect(h.actions()).toEqual(['ListModels', 'ListModels']);
    expect(h.emulator.calls[0]!.query).toBe('PageNumber=1&PageSize=3');
  });

  it('walks a whole list backwards with last/before, one upstream call per page, and meets the forward order', async () => {
    const all = ids(await page({ first: 100 }));
    const seen: string[] = [];
    let p = await page({ last: 7 });
    seen.unshift(...ids(p));
    h.resetCalls();
    let pages = 0;
    while (p.pageInfo.hasPreviousPage) {
      p = await page({ last: 7, before: p.pageInfo.startCursor });
      seen.unshift(...ids(p));
      pages += 1;
    }
    expect(seen).toEqual(all);
    expect(h.actions()).toEqual(Array(pages).fill('ListModels'));
    expect(p.pageInfo.hasNextPage).toBe(true);
  });

  it('says whether items precede a forward page too (hasPreviousPage, startCursor)', async () => {
    const first = await page({ first: 4 });
    expect(first.pageInfo.hasPreviousPage).toBe(false);
    expect(first.pageInfo.startCursor).toBe(first.edges[0]!.cursor);
    const second = await page({ first: 4, after: first.pageInfo.endCursor });
    expect(second.pageInfo.hasPreviousPage).toBe(true);
    const back = await page({ last: 4, before: second.pageInfo.startCursor });
    expect(ids(back)).toEqual(ids(first));
  });

  it('pages backwards through nested connections and lists PAI pages at most 50 at a time', async () => {
    const r0 = await h.gql(`{ evalTasks(first: 100) { totalCount nodes { id } } models(first: 1) { nodes { id versions(first: 100) { nodes { id } } } } }`);
    const tasks: string[] = r0.body.data!.evalTasks.nodes.map((n: { id: string }) => n.id);
    const versions: string[] = r0.body.data!.models.nodes[0].versions.nodes.map((n: { id: string }) => n.id);
    h.resetCalls();
    const r = await h.gql(`{ evalTasks(last: 2) { nodes { id } pageInfo { hasPreviousPage hasNextPage } } models(first: 1) { nodes { versions(last: 1) { nodes { id } pageInfo { hasPreviousPage } } } } }`);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.evalTasks.nodes.map((n: { id: string }) => n.id)).toEqual(tasks.slice(-2));
    expect(r.body.data!.evalTasks.pageInfo).toEqual({ hasPreviousPage: tasks.length > 2, hasNextPage: false });
    expect(r.body.data!.models.nodes[0].versions.nodes.map((n: { id: string }) => n.id)).toEqual(versions.slice(-1));
    expect(r.body.data!.models.nodes[0].versions.pageInfo.hasPreviousPage).toBe(versions.length > 1);
  });

  it.each([
    ['last above 100', { last: 101 }, 'last: must be between 0 and 100'],
    ['a negative last', { last: -1 }, 'last: must be between 0 and 100'],
    ['first with last', { first: 2, last: 2 }, 'last: cannot be given together with `first`'],
    ['a before cursor this API did not issue', { last: 2, before: 'bogus' }, 'before: must be a cursor returned by this API'],
  ])('refuses %s with BAD_USER_INPUT before any upstream call', async (_what, vars, message) => {
    const r = await h.gql(PAGE, vars);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.body.errors![0]!.message).toContain(message);
    expect(h.actions()).toEqual([]);
  });

  it('refuses a bad last on a nested connection for the whole operation, before the parent is read', async () => {
    const r = await h.gql(`{ models(first: 2) { nodes { versions(last: 500) { totalCount } } } }`);
    expect(r.status).toBe(400);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.body.errors![0]!.message).toContain('Model.versions last: must be between 0 and 100');
    expect(h.actions()).toEqual([]);
  });

  it('estimates the extra call that last without before makes', async () => {
    const r = await h.gql(`{ a: models(last: 3) { totalCount } b: models(last: 3, before: "${Buffer.from('arrayconnection:9').toString('base64')}") { totalCount } }`);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.extensions!.cost.estimated).toBe(3);
    expect(r.body.extensions!.cost.actualUpstreamCalls).toBeLessThanOrEqual(3);
  });
});
