import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { OperationEndedError } from '../../src/core/errors.js';
import type { AccessKeyCredential } from '../../src/core/upstream/credentials.js';
import { createAccessKeySigner } from '../../src/core/upstream/signer.js';
import { Secret } from '../../src/core/secret.js';
import { ModelOps } from '../../src/models/models.api.js';
import { startHarness, TEST_ACCESS_KEY, type Harness } from '../helpers/harness.js';
import { until } from '../helpers/until.js';

/**
 * In-flight coalescing: identical reads running at the same time, from any operation, share
 * one upstream request. Upstream requests are held at the gateway's edge until every
 * operation has joined, so the overlap never depends on how fast the machine is.
 */

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ concurrency: 20 });
});
afterAll(() => h.close());
beforeEach(() => {
  h.resetCalls();
  h.shared.length = 0;
});

const count = (actions: string[], action: string) => actions.filter((a) => a === action).length;
const sharedOf = (action: string) => h.shared.filter((s) => s.action === action && s.via === 'coalesced').length;

async function firstModelIds(n: number): Promise<string[]> {
  const r = await h.gql(`{ models(first: ${n}) { nodes { id } } }`);
  h.resetCalls();
  return r.body.data!.models.nodes.map((m: { id: string }) => m.id);
}

const MODEL_WITH_VERSIONS = `query($id: ID!) { model(id: $id) { id name versions(first: 3) { totalCount nodes { id name } } } }`;

describe('identical reads in flight at the same time', () => {
  it('100 identical concurrent operations make one upstream call per distinct resource', async () => {
    const [id] = await firstModelIds(1);
    const releaseModel = h.hold('GetModel');
    const releaseVersions = h.hold('ListModelVersions');
    const operations = Array.from({ length: 100 }, () => h.gql(MODEL_WITH_VERSIONS, { id }));
    await until(() => sharedOf('GetModel') === 99);
    releaseModel();
    await until(() => sharedOf('ListModelVersions') === 99);
    releaseVersions();
    const results = await Promise.all(operations);
    expect(results.every((r) => r.status === 200 && r.body.errors === undefined)).toBe(true);
    expect(new Set(results.map((r) => JSON.stringify(r.body.data))).size).toBe(1);
    expect(results[0]!.body.data!.model.versions.nodes.length).toBeGreaterThan(0);
    expect(h.actions().sort()).toEqual(['GetModel', 'ListModelVersions']);
  });

  it('100 identical concurrent operations listing 20 models with their versions make 21 upstream calls', async () => {
    const releaseList = h.hold('ListModels');
    const releaseVersions = h.hold('ListModelVersions');
    const query = `{ models(first: 20) { nodes { id versions(first: 5) { nodes { name } } } } }`;
    const operations = Array.from({ length: 100 }, () => h.gql(query));
    await until(() => sharedOf('ListModels') === 99);
    releaseList();
    await until(() => sharedOf('ListModelVersions') === 99 * 20);
    releaseVersions();
    const results = await Promise.all(operations);
    expect(results.every((r) => r.status === 200 && r.body.errors === undefined)).toBe(true);
    expect(new Set(results.map((r) => JSON.stringify(r.body.data))).size).toBe(1);
    expect(count(h.actions(), 'ListModels')).toBe(1);
    expect(count(h.actions(), 'ListModelVersions')).toBe(20);
    // Each operation still reports the calls it started itself, not the ones it joined.
    const reported = results.map((r) => r.body.extensions!.cost.actualUpstreamCalls as number);
    expect(reported.reduce((a, b) => a + b, 0)).toBe(21);
  });

  it('reads with different arguments never share a request', async () => {
    const [a, b] = await firstModelIds(2);
    const release = h.hold('GetModel');
    const operations = [h.gql(MODEL_WITH_VERSIONS, { id: a }), h.gql(MODEL_WITH_VERSIONS, { id: b })];
    await until(() => h.sent.filter((s) => s.action === 'GetModel').length === 2);
    release();
    const [ra, rb] = await Promise.all(operations);
    expect(ra!.body.data!.model.id).toBe(a);
    expect(rb!.body.data!.model.id).toBe(b);
    expect(count(h.actions(), 'GetModel')).toBe(2);
    expect(sharedOf('GetModel')).toBe(0);
  });

  it('a caller that leaves stops waiting, and the shared request still answers the others', async () => {
    const [id] = await firstModelIds(1);
    const release = h.hold('GetModel');
    const leaving = new AbortController();
    const left = h.upstream.call(ModelOps.GetModel, { path: { ModelId: id! } }, { signal: leaving.signal });
    const staying = h.upstream.call(ModelOps.GetModel, { path: { ModelId: id! } });
    await until(() => sharedOf('GetModel') === 1);
    leaving.abort();
    await expect(left).rejects.toBeInstanceOf(OperationEndedError);
    release();
    await expect(staying).resolves.toMatchObject({ ModelId: id });
    expect(h.actions()).toEqual(['GetModel']);
  });

  it('a caller that left is told once; those still waiting, with or without a signal, get the error', async () => {
    const release = h.hold('GetModel');
    const leaving = new AbortController();
    const staying = new AbortController();
    const read = (signal?: AbortSignal) => h.upstream.call(ModelOps.GetModel, { path: { ModelId: 'no-such-model' } }, signal ? { signal } : {});
    const calls = [read(leaving.signal), read(staying.signal), read()];
    await until(() => sharedOf('GetModel') === 2);
    leaving.abort();
    release();
    const [left, withSignal, without] = await Promise.allSettled(calls);
    expect(left).toMatchObject({ status: 'rejected', reason: expect.any(OperationEndedError) });
    for (const r of [withSignal, without]) expect(r).toMatchObject({ status: 'rejected', reason: { extensions: { code: 'NOT_FOUND' } } });
    expect((withSignal as PromiseRejectedResult).reason).toBe((without as PromiseRejectedResult).reason);
    expect(h.actions()).toEqual(['GetModel']);
  });

  it('the shared request is cancelled when every caller has left', async () => {
    const [id] = await firstModelIds(1);
    const release = h.hold('GetModel');
    const first = new AbortController();
    const second = new AbortController();
    const calls = [first, second].map((c) => h.upstream.call(ModelOps.GetModel, { path: { ModelId: id! } }, { signal: c.signal }));
    await until(() => sharedOf('GetModel') === 1);
    first.abort();
    second.abort();
    await Promise.allSettled(calls);
    release();
    // The request was held before it left the gateway; cancelled, it never reaches PAI.
    await until(() => h.sent.length === 1);
    await new Promise((r) => setImmediate(r));
    expect(h.actions()).toEqual([]);
  });

  it('an error reaches only the callers already waiting; the next read asks again', async () => {
    const release = h.hold('GetModel');
    const missing = `query { model(id: "no-such-model") { id } }`;
    const operations = [h.gql(missing), h.gql(missing)];
    await until(() => sharedOf('GetModel') === 1);
    release();
    const results = await Promise.all(operations);
    for (const r of results) expect(r.body.data).toEqual({ model: null });
    expect(h.actions()).toEqual(['GetModel']);
    const again = await h.gql(missing);
    expect(again.body.data).toEqual({ model: null });
    expect(h.actions()).toEqual(['GetModel', 'GetModel']);
  });

  it('a write stops new reads from joining a read that started before it', async () => {
    const [id] = await firstModelIds(1);
    const release = h.hold('GetModel');
    const before = h.gql(`query($id: ID!) { model(id: $id) { name } }`, { id });
    await until(() => h.sent.filter((s) => s.action === 'GetModel').length === 1);
    const renamed = await h.gql(`mutation($id: ID!) { updateModel(input: { id: $id, name: "renamed-while-read" }) { __typename } }`, { id });
    expect(renamed.body.errors).toBeUndefined();
    // This read starts after the write: it gets a request of its own.
    const after = h.gql(`query($id: ID!) { model(id: $id) { name } }`, { id });
    await until(() => h.sent.filter((s) => s.action === 'GetModel').length >= 2 && h.actions().includes('UpdateModel'));
    release();
    await before;
    expect((await after).body.data!.model.name).toBe('renamed-while-read');
    expect(sharedOf('GetModel')).toBe(0);
  });
});

describe('reads signed with different credentials', () => {
  const OTHER_KEY: AccessKeyCredential = { accessKeyId: 'TESTAKIDother000000001', accessKeySecret: new Secret('other-ak-secret-0123456789abcdef') };
  let current: AccessKeyCredential = TEST_ACCESS_KEY;
  let g: Harness;
  beforeAll(async () => {
    g = await startHarness({ signer: createAccessKeySigner({ credentials: () => current }) });
    g.trustedAccessKeys.push(OTHER_KEY);
  });
  afterAll(() => g.close());

  it('never share a request', async () => {
    const id = (await g.gql(`{ models(first: 1) { nodes { id } } }`)).body.data!.models.nodes[0].id as string;
    g.resetCalls();
    const release = g.hold('GetModel');
    const first = g.gql(MODEL_WITH_VERSIONS, { id });
    await until(() => g.sent.filter((s) => s.action === 'GetModel').length === 1);
    current = OTHER_KEY;
    const second = g.gql(MODEL_WITH_VERSIONS, { id });
    await until(() => g.sent.filter((s) => s.action === 'GetModel').length === 2);
    release();
    const results = await Promise.all([first, second]);
    expect(results.every((r) => r.body.errors === undefined)).toBe(true);
    expect(g.actions().filter((a) => a === 'GetModel')).toHaveLength(2);
    // (Their ListModelVersions, both sent after the switch, are signed alike and may share.)
    expect(g.shared.filter((x) => x.action === 'GetModel')).toEqual([]);
    expect(g.emulator.calls.filter((c) => c.action === 'GetModel').map((c) => c.headers.authorization?.includes(OTHER_KEY.accessKeyId))).toEqual([false, true]);
  });
});
