import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { codeOf, startHarness, TEST_API_KEY, type Harness } from '../helpers/harness.js';

let h: Harness;
/** Short timeouts, for the tests about an upstream too slow to wait for (a busy machine only makes those time out sooner). */
let slow: Harness;
let wrongKey: Harness;
beforeAll(async () => {
  // The breaker has its own tests; here every fault must reach the mapping. Timeouts and the
  // deadline leave room for three attempts and a pause however busy the machine is.
  h = await startHarness({ timeoutMs: 3000, deadlineMs: 6000, auth: 'bearer', breaker: { volumeThreshold: 10_000 } });
  slow = await startHarness({ timeoutMs: 400, deadlineMs: 1200, auth: 'bearer', breaker: { volumeThreshold: 10_000 } });
  wrongKey = await startHarness({ apiKey: 'sk-wrong-000000000000000000000000' });
});
afterAll(async () => {
  await h.close();
  await slow.close();
  await wrongKey.close();
});
beforeEach(() => {
  for (const x of [h, slow]) {
    x.resetCalls();
    x.resetUpstream();
    x.emulator.faults.clear();
  }
});

const LIST = `{ models(first: 3) { totalCount nodes { id } } }`;

describe('upstream faults become typed GraphQL errors', () => {
  it.each([
    [400, 'InvalidParameter.Workspace', 'BAD_USER_INPUT'],
    [403, 'Forbidden.RAM', 'FORBIDDEN'],
    [404, 'InvalidWorkspace.NotFound', 'NOT_FOUND'],
    [500, 'InternalError', 'UPSTREAM_ERROR'],
    [502, 'BadGateway', 'UPSTREAM_ERROR'],
    [503, 'ServiceUnavailable', 'UPSTREAM_UNAVAILABLE'],
  ])('HTTP %i (%s) maps to %s with the upstream RequestId', async (status, code, expected) => {
    // Reads are retried on 5xx (3 attempts in all), never on 4xx.
    h.emulator.faults.add({ action: 'ListModels', status, code, times: 3 });
    const r = await h.gql(LIST);
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({ models: null });
    expect(r.body.errors).toHaveLength(1);
    const error = r.body.errors![0]!;
    expect(error.path).toEqual(['models']);
    expect(error.extensions).toEqual({
      code: expected,
      upstream: { product: 'AIWorkSpace', action: 'ListModels', status, code, requestId: expect.stringMatching(/^[0-9A-F]{8}-[0-9A-F-]{27}$/) },
    });
    expect(error.message).toContain('AIWorkSpace');
    expect(h.actions()).toEqual(status >= 500 ? ['ListModels', 'ListModels', 'ListModels'] : ['ListModels']);
  });

  it('a 5xx answer shows no upstream message to the client; a 4xx answer shows the upstream reason', async () => {
    h.emulator.faults.add({ action: 'ListModels', status: 500, message: 'stack: NullPointerException at com.alibaba.internal', times: 3 });
    const five = await h.gql(LIST);
    expect(five.text).not.toContain('NullPointerException');
    h.emulator.faults.add({ action: 'ListModels', status: 400, message: 'Workspace 99 is not in this region.', times: 1 });
    const four = await h.gql(LIST);
    expect(four.body.errors![0]!.message).toBe('AIWorkSpace rejected ListModels: Workspace 99 is not in this region.');
  });

  it('throttling (429 with x-acs-retry-after) maps to RATE_LIMITED with retryAfter in seconds when the pause does not fit the deadline', async () => {
    h.emulator.faults.add({ action: 'ListModels', status: 429, retryAfterMs: 8500, times: 1 });
    const r = await h.gql(LIST);
    expect(r.body.errors![0]!.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 9, upstream: { status: 429, code: 'Throttling.User' } });
    expect(h.actions()).toEqual(['ListModels']);
  });

  it('a Throttling.* code on a 400 is recognised as RATE_LIMITED', async () => {
    h.emulator.faults.add({ action: 'ListModels', status: 400, code: 'Throttling.Api', times: 5 });
    const r = await h.gql(LIST);
    expect(codeOf(r)).toBe('RATE_LIMITED');
  });

  it('a throttled read is retried once after the pause PAI asked for', async () => {
    h.emulator.faults.add({ action: 'ListModels', status: 429, retryAfterMs: 600, times: 1 });
    const r = await h.gql(LIST);
    expect(r.body.errors).toBeUndefined();
    // One retry; when it went out is proven on the fake clock (test/core/upstream-retry.test.ts).
    expect(h.actions()).toEqual(['ListModels', 'ListModels']);
  });

  it('a body that is not JSON is UPSTREAM_CONTRACT naming product and action', async () => {
    h.emulator.faults.add({ action: 'ListModels', malformed: true, times: 1 });
    const r = await h.gql(LIST);
    expect(r.body.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_CONTRACT', upstream: { product: 'AIWorkSpace', action: 'ListModels', status: 200 } });
    expect(r.body.errors![0]!.message).toBe('AIWorkSpace ListModels answered outside its contract: the body is not JSON');
  });

  it('an answer longer than UPSTREAM_MAX_ANSWER_MB is UPSTREAM_CONTRACT on its field alone, made once', async () => {
    const small = await startHarness({ auth: 'bearer', maxAnswerBytes: 4096 });
    try {
      small.emulator.faults.add({ action: 'ListModels', body: { RequestId: 'REQ-LONG-1', TotalCount: 1, Models: [{ ModelId: 'model-1', ModelName: 'x'.repeat(5000) }] }, times: 1 });
      const r = await small.gql(`{ models(first: 3) { nodes { id } } __typename }`);
      expect(r.status).toBe(200);
      expect(r.body.data).toEqual({ models: null, __typename: 'Query' });
      expect(r.body.errors).toHaveLength(1);
      expect(r.body.errors![0]).toMatchObject({
        path: ['models'],
        message: 'AIWorkSpace ListModels answered outside its contract: the answer is longer than 0.00390625 MB (UPSTREAM_MAX_ANSWER_MB)',
        extensions: { code: 'UPSTREAM_CONTRACT', upstream: { product: 'AIWorkSpace', action: 'ListModels', status: 200 } },
      });
      expect(small.actions()).toEqual(['ListModels']);
      // Within the limit, the same read is answered.
      const ok = await small.gql(`{ models(first: 1) { nodes { id } } }`);
      expect(ok.body.errors).toBeUndefined();
      expect(small.actions()).toEqual(['ListModels', 'ListModels']);
    } finally {
      await small.close();
    }
  });

  it('a JSON body of the wrong shape is UPSTREAM_CONTRACT naming the field path and the RequestId', async () => {
    h.emulator.faults.add({ action: 'ListModels', body: { RequestId: 'REQ-SHAPE-1', TotalCount: 2, Models: [{ ModelId: 'model-1', ModelName: 'ok' }, { ModelId: 'model-2', ModelName: 42 }] }, times: 1 });
    const r = await h.gql(LIST);
    expect(r.body.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_CONTRACT', upstream: { product: 'AIWorkSpace', action: 'ListModels', requestId: 'REQ-SHAPE-1' } });
    expect(r.body.errors![0]!.message).toMatch(/^AIWorkSpace ListModels answered outside its contract: field Models\[1\]\.ModelName /);
  });

  it('an upstream that does not answer within the timeout is UPSTREAM_TIMEOUT', async () => {
    slow.emulator.faults.add({ action: 'GetModel', hang: true, times: 3 });
    const r = await slow.gql(`{ model(id: "model-hang") { id } }`);
    expect(r.body.data).toEqual({ model: null });
    expect(r.body.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_TIMEOUT', upstream: { product: 'AIWorkSpace', action: 'GetModel' } });
  });

  it('an upstream slower than the timeout is UPSTREAM_TIMEOUT', async () => {
    // Every attempt is slow, also when a late attempt of the previous test took a fault first.
    slow.emulator.faults.clear();
    slow.emulator.faults.add({ action: 'GetModel', latencyMs: 3000, times: 10 });
    const r = await slow.gql(`{ model(id: "model-slow") { id } }`);
    expect(codeOf(r)).toBe('UPSTREAM_TIMEOUT');
  });

  it('a dropped connection is UPSTREAM_UNAVAILABLE', async () => {
    h.emulator.faults.add({ action: 'GetModel', reset: true, times: 3 });
    const r = await h.gql(`{ model(id: "model-reset") { id } }`);
    expect(codeOf(r)).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('a failing field nulls that field only: one model of two fails, the other is served', async () => {
    const list = await h.gql(`{ models(first: 2) { nodes { id } } }`);
    const [a, b] = list.body.data!.models.nodes.map((n: { id: string }) => n.id);
    h.resetCalls();
    h.emulator.faults.add({ action: 'GetModel', status: 403, code: 'Forbidden.RAM', times: 1 });
    const r = await h.gql(`query($a: ID!, $b: ID!) { a: model(id: $a) { id } b: model(id: $b) { id } }`, { a, b });
    const values = [r.body.data!.a, r.body.data!.b];
    expect(values.filter((v) => v === null)).toHaveLength(1);
    expect(values.filter((v) => v !== null)).toHaveLength(1);
    expect(r.body.errors).toHaveLength(1);
    expect(h.actions()).toEqual(['GetModel', 'GetModel']);
  });

  it('one model whose versions fail does not take down the list', async () => {
    h.emulator.faults.add({ action: 'ListModelVersions', status: 403, code: 'Forbidden.RAM', times: 1 });
    const r = await h.gql(`{ models(first: 3) { nodes { id versions { totalCount } } } }`);
    const nodes = r.body.data!.models.nodes;
    expect(nodes).toHaveLength(3);
    expect(nodes.filter((n: any) => n.versions === null)).toHaveLength(1);
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
  });

  it('credentials PAI rejects are an UPSTREAM_ERROR for operators, not the caller', async () => {
    const r = await wrongKey.gql(LIST);
    expect(r.body.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', upstream: { status: 401, code: 'InvalidApiKey' } });
    expect(r.body.errors![0]!.message).toMatch(/credentials/);
  });

  it('the API key appears in no response and no log line, in any encoding', async () => {
    // Exercise success, failure, timeout and contract paths so their logs exist.
    await h.gql(`{ models(first: 2) { nodes { id latestVersion { name } } } }`);
    h.emulator.faults.add({ action: 'ListModels', status: 500, times: 3 });
    await h.gql(LIST);
    h.emulator.faults.add({ action: 'ListModels', malformed: true, times: 1 });
    await h.gql(LIST);
    const forms = [TEST_API_KEY, Buffer.from(TEST_API_KEY).toString('base64'), encodeURIComponent(TEST_API_KEY), TEST_API_KEY.slice(8)];
    const everything = [...h.responses, ...h.logs, ...wrongKey.responses, ...wrongKey.logs];
    expect(h.logs.length).toBeGreaterThan(5);
    for (const form of forms) {
      expect(everything.filter((line) => line.includes(form))).toEqual([]);
    }
    // The emulator did receive the key: it was sent, just never echoed.
    expect(h.emulator.calls.some((c) => c.headers.authorization === `Bearer ${TEST_API_KEY}`)).toBe(true);
  });
});
