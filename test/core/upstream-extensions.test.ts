import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createMemoryReadCache } from '../../src/core/upstream/read-cache.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { until } from '../helpers/until.js';

/**
 * extensions.upstream: PAI's RequestIds of the answers an operation used, for a frontend to
 * quote to Alibaba Cloud support. Asked for with `x-pai-graph-debug: 1`, given by default in
 * development, never by default in production.
 */

const MODEL_WITH_VERSIONS = `query ModelWithVersions($id: ID!) { model(id: $id) { id name versions(first: 3) { totalCount nodes { id name } } } }`;
const MODEL = `query Model($id: ID!) { model(id: $id) { id name } }`;
const DEBUG = { 'x-pai-graph-debug': '1' };

async function firstModelId(h: Harness): Promise<string> {
  const r = await h.gql(`{ models(first: 1) { nodes { id } } }`);
  h.resetCalls();
  return r.body.data!.models.nodes[0].id as string;
}

/** The RequestIds the emulator answered with since the last reset, sorted. */
const sentRequestIds = (h: Harness) => h.emulator.calls.map((c) => c.requestId).sort();

describe('extensions.upstream in production', () => {
  let h: Harness;
  let id: string;
  beforeAll(async () => {
    h = await startHarness({ env: 'production', concurrency: 8, corsOrigins: ['https://app.example.com'] });
    id = await firstModelId(h);
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.resetCalls();
    h.shared.length = 0;
  });

  it('is absent when the request does not ask, while extensions.cost is there', async () => {
    const r = await h.gql(MODEL_WITH_VERSIONS, { id });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.model.id).toBe(id);
    expect(r.body.extensions!.cost.actualUpstreamCalls).toBe(2);
    expect(r.body.extensions!.upstream).toBeUndefined();
    expect(h.actions().sort()).toEqual(['GetModel', 'ListModelVersions']);
  });

  it('is absent when the header says anything but 1 or true', async () => {
    const r = await h.gql(MODEL_WITH_VERSIONS, { id }, { 'x-pai-graph-debug': '0' });
    expect(r.body.data!.model.id).toBe(id);
    expect(r.body.extensions!.upstream).toBeUndefined();
    expect(h.actions()).toHaveLength(2);
  });

  it('with x-pai-graph-debug: 1, lists the RequestIds PAI answered with and counts the calls the emulator received', async () => {
    const r = await h.gql(MODEL_WITH_VERSIONS, { id }, DEBUG);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.model.versions.nodes.length).toBeGreaterThan(0);
    const upstream = r.body.extensions!.upstream;
    expect(h.emulator.calls).toHaveLength(2);
    expect(upstream.calls).toBe(h.emulator.calls.length);
    expect([...upstream.requestIds].sort()).toEqual(sentRequestIds(h));
    expect(upstream.requestIds.every((rid: string) => /^[0-9A-F-]{36}$/.test(rid))).toBe(true);
    expect(upstream).toMatchObject({ shared: 0, cached: 0 });
    expect(r.body.extensions!.cost.actualUpstreamCalls).toBe(2);
  });

  it('lists the RequestId of an error answer too (PAI answers 404 for a missing model, which reads as null)', async () => {
    const r = await h.gql(MODEL, { id: 'no-such-model' }, DEBUG);
    expect(r.body.data).toEqual({ model: null });
    expect(h.emulator.calls.map((c) => c.status)).toEqual([404]);
    expect(h.actions()).toEqual(['GetModel']);
    expect(r.body.extensions!.upstream).toEqual({ calls: 1, requestIds: sentRequestIds(h), shared: 0, cached: 0 });
  });

  it('lists the RequestId of a write (a mutation) too', async () => {
    const r = await h.gql(`mutation { createModel(input: { name: "debugged-write" }) { __typename } }`, undefined, DEBUG);
    expect(r.body.errors).toBeUndefined();
    expect(h.actions()).toEqual(['CreateModel']);
    expect(r.body.extensions!.upstream).toEqual({ calls: 1, requestIds: sentRequestIds(h), shared: 0, cached: 0 });
  });

  it('an operation that joined an identical read in flight reports the RequestId of the answer it shared', async () => {
    const release = h.hold('GetModel');
    const operations = [h.gql(MODEL, { id }, DEBUG), h.gql(MODEL, { id }, DEBUG)];
    await until(() => h.shared.filter((s) => s.action === 'GetModel' && s.via === 'coalesced').length === 1);
    release();
    const results = await Promise.all(operations);
    expect(results.map((r) => r.body.data!.model.id)).toEqual([id, id]);
    expect(h.actions()).toEqual(['GetModel']);
    const reports = results.map((r) => r.body.extensions!.upstream).sort((a, b) => b.calls - a.calls);
    expect(reports).toEqual([
      { calls: 1, requestIds: sentRequestIds(h), shared: 0, cached: 0 },
      { calls: 0, requestIds: sentRequestIds(h), shared: 1, cached: 0 },
    ]);
  });

  it('lets a browser send the header across origins (CORS preflight)', async () => {
    const res = await fetch(h.url, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-pai-graph-debug' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(res.headers.get('access-control-allow-headers')?.split(',').map((s) => s.trim())).toContain('x-pai-graph-debug');
    expect(h.actions()).toEqual([]);
  });
});

describe('extensions.upstream in development', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: 'development' });
  });
  afterAll(() => h.close());

  it('is there without the header', async () => {
    const id = await firstModelId(h);
    const r = await h.gql(MODEL_WITH_VERSIONS, { id });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.extensions!.upstream.calls).toBe(2);
    expect(h.emulator.calls).toHaveLength(2);
    expect([...r.body.extensions!.upstream.requestIds].sort()).toEqual(sentRequestIds(h));
  });
});

describe('extensions.upstream with the read cache', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: 'test', cache: { ttls: 'GetModel=60', store: createMemoryReadCache({ maxEntries: 100 }) } });
  });
  afterAll(() => h.close());

  it('is absent by default in the test environment', async () => {
    const r = await h.gql(`{ models(first: 1) { nodes { id } } }`);
    expect(r.body.extensions!.cost).toBeDefined();
    expect(r.body.extensions!.upstream).toBeUndefined();
  });

  it('an answer from the cache reports the RequestId of the answer it was cached from', async () => {
    const id = await firstModelId(h);
    const first = await h.gql(MODEL, { id }, DEBUG);
    expect(h.actions()).toEqual(['GetModel']);
    const [sent] = sentRequestIds(h);
    expect(first.body.extensions!.upstream).toEqual({ calls: 1, requestIds: [sent], shared: 0, cached: 0 });
    const second = await h.gql(MODEL, { id }, DEBUG);
    expect(second.body.data).toEqual(first.body.data);
    expect(h.actions()).toEqual(['GetModel']);
    expect(second.body.extensions!.upstream).toEqual({ calls: 0, requestIds: [sent], shared: 0, cached: 1 });
  });
});
