import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { ErrorCode, OperationEndedError, UpstreamError } from '../../src/core/errors.js';
import { createLogger } from '../../src/core/logger.js';
import { Secret } from '../../src/core/secret.js';
import { createUpstreamClient, type UpstreamClient } from '../../src/core/upstream/client.js';
import { createHttp, HeaderList, HttpAnswerTooLargeError } from '../../src/core/upstream/http.js';
import { Ending } from '../../src/core/upstream/ending.js';
import { createGovernor, parseQpsLimits } from '../../src/core/upstream/governor.js';
import { defineOperation } from '../../src/core/upstream/operation.js';
import { PRODUCT_NAMES, type ProductName } from '../../src/core/upstream/products.js';
import { createBearerSigner } from '../../src/core/upstream/signer.js';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { ModelOps } from '../../src/models/index.js';

/**
 * The upstream client as production runs it: no injected fetch, so reads go through undici's
 * `dispatch` on the client's own Agent and writes through ky. Against the emulator, over real
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

describe('reading answers off the wire', () => {
  /** A bare HTTP server answering each request with `answer`; it counts the requests it got. */
  async function serve(answer: (req: IncomingMessage, res: ServerResponse) => void) {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      answer(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // Kept-alive sockets too, so closing does not wait for their idle timeout.
    return {
      url,
      seen,
      close: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    };
  }
  const get = (url: string, signal?: Ending) => ({ method: 'GET' as const, url: new URL(url), headers: new HeaderList(['accept', 'application/json']), body: undefined, signal, timeout: 5_000 });
  const tick = () => new Promise((r) => setImmediate(r));

  it('decodes an answer sent in pieces, a character split between them and a BOM in front, as one UTF-8 text', async () => {
    const text = JSON.stringify({ RequestId: 'req-pieces', ModelName: '中文模型', Note: 'x'.repeat(100_000) });
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    // Cut inside the first three-byte character (after its first byte) and then in 1000-byte pieces.
    const cut = bytes.indexOf(Buffer.from('中', 'utf8')) + 1;
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-acs-request-id': 'hdr-1', 'x-twice': ['a', 'b'] });
      void (async () => {
        res.write(bytes.subarray(0, cut));
        for (let at = cut; at < bytes.length; at += 1000) {
          await tick();
          res.write(bytes.subarray(at, Math.min(bytes.length, at + 1000)));
        }
        res.end();
      })();
    });
    try {
      const answer = await createHttp({ timeoutMs: 5_000 })(get(`${server.url}/answer?x=1`));
      expect(answer.status).toBe(200);
      expect(answer.text).toBe(text);
      // The length as received: the BOM and every byte of the three-byte characters.
      expect(answer.bytes).toBe(bytes.length);
      expect(answer.headers.get('x-acs-request-id')).toBe('hdr-1');
      expect(answer.headers.get('x-twice')).toBe('a, b');
      expect(server.seen).toEqual(['GET /answer?x=1']);
    } finally {
      await server.close();
    }
  });

  it('an empty answer is an empty text; an answer cut off midway is an error, not a short text', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/empty') {
        res.writeHead(204);
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"RequestId":');
      setImmediate(() => res.destroy());
    });
    try {
      const http = createHttp({ timeoutMs: 5_000 });
      expect(await http(get(`${server.url}/empty`))).toMatchObject({ status: 204, text: '', bytes: 0 });
      await expect(http(get(`${server.url}/cut`))).rejects.toThrow();
    } finally {
      await server.close();
    }
  });

  it('a read whose operation ends before it has a socket is refused at once and never sent', async () => {
    const server = await serve((_req, res) => res.end('{}'));
    try {
      const ending = new Ending();
      // A fresh Agent: the request waits for its connection while the operation ends.
      const pending = createHttp({ timeoutMs: 5_000 })(get(`${server.url}/never`, ending));
      ending.abort(new OperationEndedError());
      await expect(pending).rejects.toBeInstanceOf(OperationEndedError);
      // Given the time to connect and write, nothing arrives.
      for (let i = 0; i < 20; i += 1) await tick();
      await new Promise((r) => setTimeout(r, 50));
      expect(server.seen).toEqual([]);
    } finally {
      await server.close();
    }
  });

  describe('an answer longer than UPSTREAM_MAX_ANSWER_MB', () => {
    const LIMIT = 64 * 1024;
    /**
     * /declared says its length, one byte over the limit; /exact is the limit exactly, in
     * pieces; /endless never ends, 16 KB a tick, until the client goes away. It counts the
     * answers the client cut off before they ended.
     */
    async function oversize() {
      let cutOff = 0;
      const server = await serve((req, res) => {
        res.on('close', () => {
          if (!res.writableFinished) cutOff += 1;
        });
        if (req.url?.startsWith('/declared')) {
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(LIMIT + 1) });
          res.end(`"${'x'.repeat(LIMIT - 1)}"`);
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        if (req.url?.startsWith('/exact')) {
          res.write(`{"RequestId":"req-exact","Pad":"`);
          res.end(`${'y'.repeat(LIMIT - 34)}"}`);
          return;
        }
        const piece = 'z'.repeat(16 * 1024);
        const pump = () => {
          if (res.destroyed) return;
          res.write(piece);
          setImmediate(pump);
        };
        pump();
      });
      return { ...server, cutOff: () => cutOff };
    }
    const request = (method: 'GET' | 'POST', url: string) => ({ ...get(url), method, body: method === 'POST' ? '{}' : undefined, timeout: 60_000 });

    it.each(['GET', 'POST'] as const)('%s: refused unread when it says so, cut off where it passes the limit otherwise, read whole at the limit', async (method) => {
      const server = await oversize();
      try {
        const http = createHttp({ timeoutMs: 60_000, maxAnswerBytes: LIMIT });
        const exact = await http(request(method, `${server.url}/exact`));
        expect(Buffer.byteLength(exact.text)).toBe(LIMIT);
        expect(exact.bytes).toBe(LIMIT);
        expect(JSON.parse(exact.text)).toMatchObject({ RequestId: 'req-exact' });
        for (const path of ['/declared', '/endless']) {
          const err = await errorOf(http(request(method, `${server.url}${path}`)));
          expect(err).toBeInstanceOf(HttpAnswerTooLargeError);
          expect(err).toMatchObject({ maxBytes: LIMIT, status: 200 });
        }
        // The endless answer is over for the server too: the client closed its connection.
        while (server.cutOff() < 1) await tick();
        expect(server.seen).toEqual([`${method} /exact`, `${method} /declared`, `${method} /endless`]);
      } finally {
        await server.close();
      }
    });

    it('is an UPSTREAM_CONTRACT error naming the limit, made once and not retried', async () => {
      const server = await oversize();
      const capped = createUpstreamClient({
        origins: Object.fromEntries(PRODUCT_NAMES.map((p) => [p, `${server.url}/endless`])) as Record<ProductName, string>,
        signer: createBearerSigner({ kind: 'bearer', apiKey: new Secret(API_KEY) }),
        timeoutMs: 60_000,
        maxAnswerBytes: LIMIT,
        logger: createLogger({ level: 'debug', destination: { write: (line: string) => void logs.push(line) } }),
        governor: createGovernor({ rules: parseQpsLimits('*=1000') }),
      });
      try {
        const err = await errorOf(capped.call(ModelOps.ListModels, { query: { PageNumber: 1, PageSize: 1 } }));
        expect(err).toBeInstanceOf(UpstreamError);
        expect((err as UpstreamError).code).toBe(ErrorCode.UPSTREAM_CONTRACT);
        expect((err as UpstreamError).message).toBe('AIWorkSpace ListModels answered outside its contract: the answer is longer than 0.0625 MB (UPSTREAM_MAX_ANSWER_MB)');
        expect((err as UpstreamError).upstream).toMatchObject({ action: 'ListModels', status: 200 });
        expect(server.seen).toEqual(['GET /endless/api/v1/models?PageNumber=1&PageSize=1']);
        expect(logs.some((l) => l.includes('cut off'))).toBe(true);
        expect(logs.join('\n')).not.toContain(API_KEY);
      } finally {
        capped.breakers.shutdown();
        await server.close();
      }
    });
  });
});
