import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { ErrorCode, OperationEndedError, UpstreamError } from '../../src/core/errors.js';
import { createLogger } from '../../src/core/logger.js';
import { Secret } from '../../src/core/secret.js';
import { createUpstreamClient, type UpstreamClient } from '../../src/core/upstream/client.js';
import { Ending } from '../../src/core/upstream/ending.js';
import { createGovernor, parseQpsLimits } from '../../src/core/upstream/governor.js';
import { defineOperation } from '../../src/core/upstream/operation.js';
import { PRODUCT_NAMES, type ProductName } from '../../src/core/upstream/products.js';
import { createBearerSigner } from '../../src/core/upstream/signer.js';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { ModelOps } from '../../src/models/index.js';

/**
 * The upstream client as production runs it: no injected fetch, so reads go through undici's
 * `request` on the client's own Agent and writes through ky. Against the emulator, over real
 * sockets; no assertion depends on how fast the machine is.
 */

const API_KEY = 'http-test-key-0123456789';
let emulator: Emulator;
let emulatorUrl: string;
let client: UpstreamClient;
const logs: string[] = [];

const errorOf = async (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => undefined,
    (err: unknown) => err,
  );

beforeAll(async () => {
  emulator = createEmulator({ apiKey: new Secret(API_KEY) });
  emulatorUrl = await emulator.listen();
  client = createUpstreamClient({
    origins: Object.fromEntries(PRODUCT_NAMES.map((p) => [p, emulatorUrl])) as Record<ProductName, string>,
    signer: createBearerSigner({ kind: 'bearer', apiKey: new Secret(API_KEY) }),
    timeoutMs: 300,
    logger: createLogger({ level: 'debug', destination: { write: (line: string) => void logs.push(line) } }),
    governor: createGovernor({ rules: parseQpsLimits('*=1000') }),
    breaker: { volumeThreshold: 10_000 },
  });
});

afterEach(() => {
  emulator.faults.clear();
  emulator.calls.length = 0;
  logs.length = 0;
});

afterAll(async () => {
  client.breakers.shutdown();
  await emulator.close();
});

describe('upstream reads over undici', () => {
  it('sends the signed request with its query and reads the parsed answer', async () => {
    const res = await client.call(ModelOps.ListModels, { query: { PageNumber: 1, PageSize: 2, Order: 'ASC' } }, { requestId: 'req-http-1' });
    expect(res.Models).toHaveLength(2);
    expect(res.TotalCount).toBeGreaterThan(2);
    const [call] = emulator.calls;
    expect(call).toMatchObject({ action: 'ListModels', method: 'GET', path: '/api/v1/models', query: 'Order=ASC&PageNumber=1&PageSize=2', status: 200 });
    expect(call!.headers).toMatchObject({ accept: 'application/json', 'user-agent': 'pai-graph/0.1.0', 'x-acs-action': 'ListModels', 'x-acs-version': '2021-02-04', 'x-request-id': 'req-http-1' });
    // The call log names the request and the upstream RequestId, never the key.
    const line = logs.find((l) => l.includes('"upstream call"'));
    expect(line).toContain('req-http-1');
    expect(logs.join('\n')).not.toContain(API_KEY);
  });

  it('reads a path parameter and maps a 404 to NOT_FOUND with the upstream RequestId', async () => {
    const err = await errorOf(client.call(ModelOps.GetModel, { path: { ModelId: 'model-nope' } }));
    expect(err).toBeInstanceOf(UpstreamError);
    expect((err as UpstreamError).code).toBe(ErrorCode.NOT_FOUND);
    expect((err as UpstreamError).upstream).toMatchObject({ action: 'GetModel', status: 404 });
    expect((err as UpstreamError).upstream.requestId).toEqual(expect.any(String));
  });

  it('reads the wait a throttling answer names from its headers', async () => {
    // Named waits longer than the deadline: no retry, whatever the machine's speed.
    emulator.faults.add({ action: 'GetModel', status: 429, retryAfterMs: 5000 });
    const err = await errorOf(client.call(ModelOps.GetModel, { path: { ModelId: 'model-x' } }, { deadline: Date.now() + 2000 }));
    expect((err as UpstreamError).code).toBe(ErrorCode.RATE_LIMITED);
    expect((err as UpstreamError).retryAfterMs).toBe(5000);
    emulator.faults.clear();
    // Another action: GetModel is now held for 5 s.
    emulator.faults.add({ action: 'ListModelVersions', status: 400, retryAfter: '3' });
    const named = await errorOf(client.call(ModelOps.ListModelVersions, { path: { ModelId: 'model-x' }, query: { PageNumber: 1, PageSize: 1 } }, { deadline: Date.now() + 2000 }));
    expect((named as UpstreamError).retryAfterMs).toBe(3000);
  });

  it('times out an answer that never comes, and an answer that is not JSON breaks the contract', async () => {
    emulator.faults.add({ action: 'ListModels', hang: true, times: 1 });
    const timedOut = await errorOf(client.call(ModelOps.ListModels, { query: { PageNumber: 1, PageSize: 1 } }, { deadline: Date.now() + 250 }));
    expect((timedOut as UpstreamError).code).toBe(ErrorCode.UPSTREAM_TIMEOUT);
    expect(logs.some((l) => l.includes('upstream call timed out'))).toBe(true);

    emulator.faults.add({ action: 'ListModels', malformed: true, times: 1 });
    const malformed = await errorOf(client.call(ModelOps.ListModels, { query: { PageNumber: 1, PageSize: 1 } }));
    expect((malformed as UpstreamError).code).toBe(ErrorCode.UPSTREAM_CONTRACT);
  });

  it('maps a dropped connection to UPSTREAM_UNAVAILABLE', async () => {
    emulator.faults.add({ action: 'GetModel', reset: true });
    // Every attempt is reset; the deadline leaves room for all of them on a busy machine.
    const err = await errorOf(client.call(ModelOps.GetModel, { path: { ModelId: 'model-x-reset' } }, { deadline: Date.now() + 10_000 }));
    expect((err as UpstreamError).code).toBe(ErrorCode.UPSTREAM_UNAVAILABLE);
  });

  it('validates the answer with the operation schema', async () => {
    const op = defineOperation({ product: 'AIWorkSpace', action: 'ListModels', method: 'GET', path: '/api/v1/models', response: z.object({ Missing: z.string() }) });
    const err = await errorOf(client.call(op, { query: { PageNumber: 1, PageSize: 1 } }));
    expect((err as UpstreamError).code).toBe(ErrorCode.UPSTREAM_CONTRACT);
    expect((err as UpstreamError).message).toContain('Missing');
  });

  it('abandons a read in flight when its operation ends', async () => {
    emulator.faults.add({ action: 'ListModels', hang: true, times: 1 });
    const abort = new AbortController();
    const session = client.session({ concurrency: 2, signal: abort.signal, deadline: Date.now() + 60_000 });
    const pending = errorOf(session.call(ModelOps.ListModels, { query: { PageNumber: 1, PageSize: 1 } }));
    while (emulator.calls.length === 0) await new Promise((r) => setTimeout(r, 5));
    abort.abort();
    expect(await pending).toBeInstanceOf(OperationEndedError);
  });

  it('with an Ending as the operation’s signal, a call after the end sends nothing', async () => {
    const ending = new Ending();
    const session = client.session({ concurrency: 2, signal: ending, deadline: Date.now() + 60_000 });
    emulator.calls.length = 0;
    await session.call(ModelOps.ListModels, { query: { PageNumber: 1, PageSize: 1 } });
    await session.call(ModelOps.ListModels, { query: { PageNumber: 2, PageSize: 1 } });
    expect(emulator.calls.length).toBe(2);
    ending.abort(new OperationEndedError());
    expect(await errorOf(session.call(ModelOps.ListModels, { query: { PageNumber: 3, PageSize: 1 } }))).toBeInstanceOf(OperationEndedError);
    expect(emulator.calls.length).toBe(2);
    expect(session.callCount).toBe(2);
  });

  it('abandons a read in flight when an Ending ends its operation', async () => {
    emulator.faults.add({ action: 'ListModels', hang: true, times: 1 });
    const ending = new Ending();
    const session = client.session({ concurrency: 2, signal: ending, deadline: Date.now() + 60_000 });
    emulator.calls.length = 0;
    const pending = errorOf(session.call(ModelOps.ListModels, { query: { PageNumber: 1, PageSize: 1 } }));
    while (emulator.calls.length === 0) await new Promise((r) => setTimeout(r, 5));
    ending.abort(new OperationEndedError());
    expect(await pending).toBeInstanceOf(OperationEndedError);
    // The abandoned request is cancelled, not left for the next caller to join: the same read
    // from another operation makes a request of its own, and is answered.
    const next = client.session({ concurrency: 2, signal: new Ending(), deadline: Date.now() + 60_000 });
    await next.call(ModelOps.ListModels, { query: { PageNumber: 1, PageSize: 1 } });
    expect(emulator.calls.map((c) => c.action)).toEqual(['ListModels', 'ListModels']);
  });

  it('sends nothing for an operation that ended while its call was being signed', async () => {
    const abort = new AbortController();
    const signing = createUpstreamClient({
      origins: Object.fromEntries(PRODUCT_NAMES.map((p) => [p, emulatorUrl])) as Record<ProductName, string>,
      signer: {
        kind: 'test',
        identity: () => 'test',
        sign: async (request) => {
          request.headers.set('authorization', `Bearer ${API_KEY}`);
          abort.abort();
        },
      },
      timeoutMs: 300,
      logger: createLogger({ level: 'silent' }),
      governor: createGovernor({ rules: parseQpsLimits('*=1000') }),
    });
    try {
      const session = signing.session({ concurrency: 2, signal: abort.signal, deadline: Date.now() + 60_000 });
      expect(await errorOf(session.call(ModelOps.ListModels, { query: { PageNumber: 1, PageSize: 1 } }))).toBeInstanceOf(OperationEndedError);
      await new Promise((r) => setTimeout(r, 50));
      expect(emulator.calls).toHaveLength(0);
    } finally {
      signing.breakers.shutdown();
    }
  });

  it('sends writes with their JSON body', async () => {
    const { ModelId } = await client.call(ModelOps.CreateModel, { body: { ModelName: 'over-undici', Domain: 'nlp' } });
    expect(ModelId).toEqual(expect.any(String));
    const created = await client.call(ModelOps.GetModel, { path: { ModelId } });
    expect(created).toMatchObject({ ModelId, ModelName: 'over-undici', Domain: 'nlp' });
    const create = emulator.calls.find((c) => c.action === 'CreateModel');
    expect(create).toMatchObject({ method: 'POST', body: '{"Domain":"nlp","ModelName":"over-undici"}' });
    expect(create!.headers['content-type']).toBe('application/json; charset=utf-8');
  });
});
