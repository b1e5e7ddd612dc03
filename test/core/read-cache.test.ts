import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../src/core/config.js';
import { createMemoryReadCache, createTtlTable, entrySize, parseCacheTtls, readTags, writeTags } from '../../src/core/upstream/read-cache.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { until } from '../helpers/until.js';

/**
 * The opt-in read cache (PAI_CACHE_TTLS) in process: what it keeps, for how long, and what a
 * write drops. Time is the store's injected clock, never the wall clock.
 */

describe('PAI_CACHE_TTLS', () => {
  it('takes Action=seconds with wildcards; an exact name beats the longest pattern', () => {
    const ttl = createTtlTable(parseCacheTtls('Get*=5, List*=5,GetTensorboard=1,ListModelVersions=0.5'));
    expect([ttl('GetModel'), ttl('GetTensorboard'), ttl('ListModels'), ttl('ListModelVersions'), ttl('CreateModel')]).toEqual([5000, 1000, 5000, 500, 0]);
  });

  it('is off when unset or only zeros, and refuses bad entries naming them', () => {
    expect(loadConfig({}).upstream.cache).toBeUndefined();
    expect(loadConfig({ PAI_CACHE_TTLS: '*=0' }).upstream.cache).toBeUndefined();
    expect(loadConfig({ PAI_CACHE_TTLS: 'Get*=5', PAI_CACHE_MAX_ENTRIES: '50', PAI_CACHE_MAX_MB: '2' }).upstream.cache).toEqual({ ttls: [{ pattern: 'Get*', value: 5 }], maxEntries: 50, maxBytes: 2 * 1024 * 1024 });
    expect(loadConfig({ PAI_CACHE_TTLS: 'Get*=5' }).upstream.cache).toEqual({ ttls: [{ pattern: 'Get*', value: 5 }], maxEntries: 10_000, maxBytes: 16 * 1024 * 1024 });
    expect(() => loadConfig({ PAI_CACHE_TTLS: 'Get*=5', PAI_CACHE_MAX_MB: '0' })).toThrow(/PAI_CACHE_MAX_MB/);
    expect(() => loadConfig({ PAI_CACHE_TTLS: 'Get*=5', PAI_CACHE_MAX_MB: '4097' })).toThrow(/PAI_CACHE_MAX_MB/);
    expect(() => loadConfig({ PAI_CACHE_TTLS: 'GetModel=-1' })).toThrow(/PAI_CACHE_TTLS "GetModel=-1" must be Action=value .* seconds from 0 to 3600/);
    expect(() => loadConfig({ PAI_CACHE_TTLS: 'Get Model=5' })).toThrow(/PAI_CACHE_TTLS/);
    expect(() => loadConfig({ PAI_CACHE_TTLS: 'GetModel=7200' })).toThrow(/from 0 to 3600/);
    expect(() => loadConfig({ REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(/REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL$/);
  });

  it('never echoes REDIS_URL, which may carry a password', () => {
    expect(() => loadConfig({ REDIS_URL: 'redis://:hunter2-password@ redis' })).toThrow(/REDIS_URL/);
    try {
      loadConfig({ REDIS_URL: 'redis://:hunter2-password@ redis' });
    } catch (err) {
      expect((err as Error).message).not.toContain('hunter2');
    }
  });

  it('derives the default UPSTREAM_CONCURRENCY from the read QPS limit', () => {
    expect(loadConfig({}).upstream.concurrency).toBe(25);
    expect(loadConfig({ PAI_QPS_LIMITS: '*=20' }).upstream.concurrency).toBe(5);
    expect(loadConfig({ PAI_QPS_LIMITS: '*=1000' }).upstream.concurrency).toBe(100);
    expect(loadConfig({ PAI_QPS_LIMITS: '*=2' }).upstream.concurrency).toBe(4);
    expect(loadConfig({ UPSTREAM_CONCURRENCY: '8' }).upstream.concurrency).toBe(8);
  });
});

describe('invalidation tags', () => {
  it('a write drops its resource, what lies under it, and each ancestor itself', () => {
    const read = (path: string) => new Set(readTags(path));
    const hits = (write: string, path: string) => writeTags(write).some((t) => read(path).has(t));
    const version = '/api/v1/models/m1/versions/v2';
    expect(hits(version, version)).toBe(true);
    expect(hits(version, '/api/v1/models/m1/versions')).toBe(true);
    expect(hits(version, '/api/v1/models/m1')).toBe(true);
    expect(hits(version, '/api/v1/models')).toBe(true);
    expect(hits(version, '/api/v1/models/m1/versions/v1')).toBe(false);
    expect(hits(version, '/api/v1/models/m2')).toBe(false);
    expect(hits('/api/v1/models/m1', '/api/v1/models/m1/versions/v1')).toBe(true);
    expect(hits('/api/v1/models/m1', '/api/v1/models/m10')).toBe(false);
    expect(hits('/api/v1/tensorboards/t1/start', '/api/v1/tensorboards/t1')).toBe(true);
    expect(hits('/api/v1/tensorboards/t1/start', '/api/v1/tensorboards/t1/sharedurl')).toBe(false);
    // EAS: a start, stop, update or delete of one service drops its DescribeService and the
    // list; a create drops every service read.
    const service = '/api/v2/services/cn-hangzhou/svc_a';
    expect(hits(`${service}/start`, service)).toBe(true);
    expect(hits(`${service}/stop`, '/api/v2/services')).toBe(true);
    expect(hits(service, service)).toBe(true);
    expect(hits(service, '/api/v2/services')).toBe(true);
    expect(hits(`${service}/start`, '/api/v2/services/cn-hangzhou/svc_b')).toBe(false);
    expect(hits('/api/v2/services', service)).toBe(true);
  });

  it('a write also drops the reads at or under the other paths its operation names', () => {
    const read = (path: string) => new Set(readTags(path));
    const hits = (write: string, also: string[], path: string) => writeTags(write, also).some((t) => read(path).has(t));
    const trace = '/api/v1/PAILLMTrace/eval/trace/t1';
    expect(hits(trace, [], '/api/v1/PAILLMTrace/eval/results')).toBe(false);
    expect(hits(trace, ['/api/v1/PAILLMTrace/eval/results'], '/api/v1/PAILLMTrace/eval/results')).toBe(true);
    expect(hits(trace, ['/api/v1/PAILLMTrace/eval/results'], '/api/v1/PAILLMTrace/eval/templates')).toBe(false);
  });
});

describe('the in-process read cache', () => {
  let now = 0;
  let h: Harness;
  const store = createMemoryReadCache({ maxEntries: 1000, now: () => now });
  beforeAll(async () => {
    h = await startHarness({ cache: { ttls: 'Get*=5,ListModels=5', store } });
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    now += 60_000;
    h.resetCalls();
    h.shared.length = 0;
  });

  const count = (action: string) => h.actions().filter((a) => a === action).length;
  const MODEL = `query($id: ID!) { model(id: $id) { id name description } }`;

  async function ids(n: number): Promise<string[]> {
    const r = await h.gql(`{ models(first: ${n}) { nodes { id } } }`);
    return r.body.data!.models.nodes.map((m: { id: string }) => m.id);
  }

  it('answers a repeated read from the cache until its TTL ends', async () => {
    const [id] = await ids(1);
    h.resetCalls();
    const first = await h.gql(MODEL, { id });
    const second = await h.gql(MODEL, { id });
    expect(second.result).toEqual(first.result);
    expect(second.body.extensions!.cost.actualUpstreamCalls).toBe(0);
    expect(h.actions()).toEqual(['GetModel']);
    expect(h.shared).toEqual([{ action: 'GetModel', via: 'cache' }]);
    now += 4999;
    await h.gql(MODEL, { id });
    expect(h.actions()).toEqual(['GetModel']);
    now += 2;
    await h.gql(MODEL, { id });
    expect(h.actions()).toEqual(['GetModel', 'GetModel']);
  });

  it('keeps only the actions PAI_CACHE_TTLS names', async () => {
    const [id] = await ids(1);
    h.resetCalls();
    const q = `query($id: ID!) { model(id: $id) { versions(first: 2) { nodes { name } } } }`;
    await h.gql(q, { id });
    await h.gql(q, { id });
    expect(count('GetModel')).toBe(1);
    expect(count('ListModelVersions')).toBe(2);
  });

  it('never keeps an upstream error: the next read asks again', async () => {
    const missing = `{ model(id: "no-such-model-for-cache") { id } }`;
    expect((await h.gql(missing)).body.data).toEqual({ model: null });
    expect((await h.gql(missing)).body.data).toEqual({ model: null });
    expect(count('GetModel')).toBe(2);

    const [id] = await ids(1);
    h.resetCalls();
    h.emulator.faults.add({ action: 'GetModel', status: 400, times: 1 });
    const failed = await h.gql(MODEL, { id });
    expect(failed.body.errors?.[0]?.extensions?.code).toBeDefined();
    const ok = await h.gql(MODEL, { id });
    expect(ok.body.errors).toBeUndefined();
    await h.gql(MODEL, { id });
    expect(count('GetModel')).toBe(2);
  });

  it('a mutation drops the resource and the lists that show it, and nothing else', async () => {
    const [a, b] = await ids(2);
    const list = `{ models(first: 5) { nodes { id name } } }`;
    await h.gql(MODEL, { id: a });
    await h.gql(MODEL, { id: b });
    await h.gql(list);
    h.resetCalls();
    const renamed = await h.gql(`mutation($id: ID!) { updateModel(input: { id: $id, description: "changed through the gateway" }) { __typename } }`, { id: a });
    expect(renamed.body.errors).toBeUndefined();
    expect(h.actions()).toEqual(['UpdateModel']);

    expect((await h.gql(MODEL, { id: a })).body.data!.model.description).toBe('changed through the gateway');
    await h.gql(MODEL, { id: b });
    await h.gql(list);
    expect(h.actions()).toEqual(['UpdateModel', 'GetModel', 'ListModels']);
  });

  it('adding a version drops the model and the model lists (they show the latest version)', async () => {
    const [id] = await ids(1);
    const q = `query($id: ID!) { model(id: $id) { latestVersion { name } } }`;
    await h.gql(q, { id });
    h.resetCalls();
    const created = await h.gql(`mutation($id: ID!) { createModelVersion(input: { modelId: $id, uri: "oss://bucket/cache-test/" }) { __typename } }`, { id });
    expect(created.body.errors).toBeUndefined();
    await h.gql(q, { id });
    expect(h.actions()).toEqual(['CreateModelVersion', 'GetModel']);
  });

  it('never answers the readiness check, which must ask PAI', async () => {
    await h.gql(`{ models(first: 1) { nodes { id } } }`);
    await h.gql(`{ models(first: 1) { nodes { id } } }`);
    expect(h.actions()).toEqual(['ListModels']);
    const ready = await fetch(h.url.replace('/graphql', '/readyz'));
    expect(ready.status).toBe(200);
    expect(h.emulator.calls.map((c) => [c.action, c.query])).toEqual([
      ['ListModels', 'PageNumber=1&PageSize=1'],
      ['ListModels', 'PageNumber=1&PageSize=1'],
    ]);
  });

  it('a read that was in flight during a write is not kept', async () => {
    const [id] = await ids(1);
    h.resetCalls();
    const release = h.hold('GetModel');
    const during = h.gql(MODEL, { id });
    await until(() => h.sent.filter((s) => s.action === 'GetModel').length === 1);
    const write = await h.gql(`mutation($id: ID!) { updateModel(input: { id: $id, description: "written during a read" }) { __typename } }`, { id });
    expect(write.body.errors).toBeUndefined();
    release();
    await during;
    const after = await h.gql(MODEL, { id });
    expect(after.body.data!.model.description).toBe('written during a read');
    await h.gql(MODEL, { id });
    // The held read reached the emulator after the write; one more read and no third.
    expect(h.actions().sort()).toEqual(['GetModel', 'GetModel', 'UpdateModel']);
  });
});

describe('the in-process store', () => {
  const page = (n: number) => ({ Models: Array.from({ length: n }, (_, i) => ({ ModelId: `model-${i}`, ModelName: 'a model name of some length' })) });
  const hit = async (store: ReturnType<typeof createMemoryReadCache>, key: string) => (await store.lookup('s', key)).hit;

  it('counts each entry by its JSON, so a large page weighs what it holds', () => {
    expect(entrySize('k', { a: 'bc' }, ['t1'])).toBe(2 * ('k'.length + '{"a":"bc"}'.length + 't1'.length));
    expect(entrySize('k', page(100), [])).toBeGreaterThan(50 * entrySize('k', page(1), []));
  });

  it('keeps at most maxBytes of entries, dropping the least recently used, and never one larger than that', async () => {
    const size = entrySize('s\nA', page(10), ['at:/a']);
    const store = createMemoryReadCache({ maxEntries: 1000, maxBytes: 2 * size + 10 });
    await store.store('s', 'A', page(10), 60_000, ['at:/a'], '0');
    await store.store('s', 'B', page(10), 60_000, ['at:/a'], '0');
    expect([await hit(store, 'B'), await hit(store, 'A')]).toEqual([true, true]);
    // A was read last: the third entry pushes B out.
    await store.store('s', 'C', page(10), 60_000, ['at:/a'], '0');
    expect([await hit(store, 'A'), await hit(store, 'B'), await hit(store, 'C')]).toEqual([true, false, true]);
    // One entry larger than the whole budget is not kept, and takes the entry of its key with it.
    await store.store('s', 'A', page(40), 60_000, ['at:/a'], '0');
    expect([await hit(store, 'A'), await hit(store, 'C')]).toEqual([false, true]);
    // Without maxBytes only the count bounds it.
    const counted = createMemoryReadCache({ maxEntries: 2 });
    for (const key of ['A', 'B', 'C']) await counted.store('s', key, page(40), 60_000, [], '0');
    expect([await hit(counted, 'A'), await hit(counted, 'B'), await hit(counted, 'C')]).toEqual([false, true, true]);
  });
});

describe('one store under two credentials', () => {
  it('keeps their entries apart', async () => {
    const store = createMemoryReadCache({ maxEntries: 100 });
    const a = await startHarness({ cache: { ttls: 'Get*=60', store } });
    const b = await startHarness({ cache: { ttls: 'Get*=60', store }, emulator: a.emulator, auth: 'bearer' });
    try {
      const id = (await a.gql(`{ models(first: 1) { nodes { id } } }`)).body.data!.models.nodes[0].id as string;
      a.resetCalls();
      const q = `query($id: ID!) { model(id: $id) { id name } }`;
      await a.gql(q, { id });
      await b.gql(q, { id });
      await b.gql(q, { id });
      expect(a.actions()).toEqual(['GetModel', 'GetModel']);
      expect(b.shared).toEqual([{ action: 'GetModel', via: 'cache' }]);
    } finally {
      await b.close();
      await a.close();
    }
  });
});
