import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import Fastify from 'fastify';
import { createLogger } from '../src/core/logger.js';
import { createTransportOptions, installTransportRules } from '../src/core/transport.js';
import { startHarness, type Harness } from './helpers/harness.js';
import { until } from './helpers/until.js';

/**
 * Transport limits: what one HTTP request may cost before GraphQL sees it. Bodies are capped at
 * MAX_BODY_BYTES whatever their content type and transfer encoding, slow clients are cut off
 * with 408, and every refusal answers in the GraphQL-over-HTTP error shape with a 4xx and no
 * upstream call. Oversized bodies are streamed from one reused buffer, never built in memory.
 */

const LIMIT = 64 * 1024;
const CHUNK = Buffer.alloc(4096, 'x');

interface RawResponse {
  /** The status of the first response on the connection, or undefined if none arrived. */
  status: number | undefined;
  headers: Record<string, string>;
  body: string;
}

/** Opens a raw connection, so a test can send what no well-behaved client would. */
async function open(url: string): Promise<{ socket: Socket; closed: Promise<RawResponse> }> {
  const socket = connect(Number(new URL(url).port), '127.0.0.1');
  const received: Buffer[] = [];
  socket.on('data', (d: Buffer) => received.push(d));
  // A refused client may see a reset after the answer; the answer is what is asserted.
  socket.on('error', () => undefined);
  const closed = untilClosed(socket).then(() => parse(Buffer.concat(received).toString('latin1')));
  await once(socket, 'connect');
  return { socket, closed };
}

/** Unlike events.once, never rejects when the socket reports a reset or a broken pipe. */
const untilClosed = (socket: Socket) => new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));

function parse(text: string): RawResponse {
  const end = text.indexOf('\r\n\r\n');
  const [statusLine = '', ...lines] = text.slice(0, end < 0 ? text.length : end).split('\r\n');
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  const length = Number(headers['content-length'] ?? 0);
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1]) || undefined, headers, body: end < 0 ? '' : text.slice(end + 4, end + 4 + length) };
}

/** Writes each chunk as the socket accepts it, stopping when the server closes the connection. */
async function stream(socket: Socket, chunks: Iterable<Buffer | string>): Promise<number> {
  let written = 0;
  const closed = untilClosed(socket);
  for (const chunk of chunks) {
    if (socket.destroyed || socket.writableEnded) break;
    written += chunk.length;
    if (!socket.write(chunk)) await Promise.race([new Promise((resolve) => socket.once('drain', resolve)), closed]);
  }
  return written;
}

/** `bytes` of body in CHUNK-sized pieces (the same buffer each time), optionally chunk-encoded. */
function* body(bytes: number, chunked: boolean): Generator<Buffer | string> {
  for (let sent = 0; sent < bytes; sent += CHUNK.length) {
    const piece = bytes - sent < CHUNK.length ? CHUNK.subarray(0, bytes - sent) : CHUNK;
    if (chunked) yield `${piece.length.toString(16)}\r\n`;
    yield piece;
    if (chunked) yield '\r\n';
  }
}

const head = (lines: string[]) => `${lines.join('\r\n')}\r\n\r\n`;
const errorOf = (r: RawResponse) => JSON.parse(r.body) as { errors: { message: string; extensions: { code: string } }[] };
const tooLarge = { errors: [{ message: `The request body is larger than ${LIMIT} bytes, the most this gateway accepts.`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] };

describe('the body cap (MAX_BODY_BYTES)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ transport: { maxBodyBytes: LIMIT } });
  });
  afterAll(() => h.close());

  it.each(['application/json', 'application/json; charset=utf-8', 'application/graphql-response+json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream', undefined])(
    'refuses a declared body over the cap with content type %s with 413 before reading it, and closes the connection',
    async (type) => {
      h.resetCalls();
      const { socket, closed } = await open(h.url);
      socket.write(head(['POST /graphql HTTP/1.1', 'Host: gateway', ...(type ? [`Content-Type: ${type}`] : []), `Content-Length: ${50 * 1024 * 1024}`]));
      const r = await closed;
      expect([r.status, r.headers.connection, errorOf(r)]).toEqual([413, 'close', tooLarge]);
      expect(h.actions()).toEqual([]);
    },
  );

  it.each(['GET', 'OPTIONS', 'DELETE'])('refuses a declared body over the cap with 413 on %s too', async (method) => {
    const { socket, closed } = await open(h.url);
    socket.write(head([`${method} /graphql?query=%7B__typename%7D HTTP/1.1`, 'Host: gateway', 'Apollo-Require-Preflight: true', `Content-Length: ${LIMIT + 1}`]));
    const r = await closed;
    expect([r.status, errorOf(r)]).toEqual([413, tooLarge]);
    expect(h.actions()).toEqual([]);
  });

  it.each(['application/json', 'application/json; charset=utf-8'])('refuses a chunked %s body without Content-Length with 413 once it passes the cap', async (type) => {
    h.resetCalls();
    const { socket, closed } = await open(h.url);
    socket.write(head(['POST /graphql HTTP/1.1', 'Host: gateway', `Content-Type: ${type}`, 'Transfer-Encoding: chunked']));
    // Exactly one chunk past the cap and no terminating chunk: the server has read all of it
    // when it answers, so the answer is not lost to a reset.
    await stream(socket, body(LIMIT + CHUNK.length, true));
    const r = await closed;
    expect([r.status, r.headers.connection, errorOf(r)]).toEqual([413, 'close', tooLarge]);
    expect(h.actions()).toEqual([]);
  });

  it.each([
    ['POST', 'application/json'],
    ['POST', 'application/graphql-response+json'],
    ['GET', undefined],
  ])('cuts off an endless chunked body (%s %s) instead of reading it: the server closes the connection', async (method, type) => {
    h.resetCalls();
    const { socket, closed } = await open(h.url);
    socket.write(head([`${method} /graphql?query=%7B__typename%7D HTTP/1.1`, 'Host: gateway', 'Apollo-Require-Preflight: true', ...(type ? [`Content-Type: ${type}`] : []), 'Transfer-Encoding: chunked']));
    const endless = (function* () {
      // Bounded only so that a regression fails instead of hanging.
      for (let i = 0; i < (256 * 1024 * 1024) / CHUNK.length; i++) yield* body(CHUNK.length, true);
    })();
    const written = await stream(socket, endless);
    await closed;
    // The socket buffers let a client write more than the cap before it notices; never 256 MiB.
    expect(written).toBeLessThan(64 * 1024 * 1024);
    expect(h.actions()).toEqual([]);
  });

  it.each(['application/graphql-response+json', 'text/plain', 'application/x-www-form-urlencoded', undefined])(
    'answers a chunked body of content type %s with 415 without reading it, and closes the connection',
    async (type) => {
      h.resetCalls();
      const { socket, closed } = await open(h.url);
      socket.write(head(['POST /graphql HTTP/1.1', 'Host: gateway', ...(type ? [`Content-Type: ${type}`] : []), 'Transfer-Encoding: chunked']));
      const r = await closed;
      expect([r.status, r.headers.connection, errorOf(r).errors[0]!.extensions.code]).toEqual([415, 'close', 'UNSUPPORTED_MEDIA_TYPE']);
      expect(h.actions()).toEqual([]);
    },
  );

  it('answers a GET with a chunked body without reading the body, and closes the connection', async () => {
    const { socket, closed } = await open(h.url);
    socket.write(head(['GET /graphql?query=%7B__typename%7D HTTP/1.1', 'Host: gateway', 'Apollo-Require-Preflight: true', 'Transfer-Encoding: chunked']));
    const r = await closed;
    expect([r.status, r.headers.connection]).toEqual([200, 'close']);
  });

  it('reads no more than a lying Content-Length declares: the rest is refused as not HTTP', async () => {
    h.resetCalls();
    const { socket, closed } = await open(h.url);
    socket.write(head(['POST /graphql HTTP/1.1', 'Host: gateway', 'Content-Type: application/json', 'Content-Length: 20']) + `{"query":"{ __typename }","pad":"${'x'.repeat(32 * 1024)}"}`);
    const r = await closed;
    expect(r.status).toBe(400);
    expect(errorOf(r).errors[0]!.extensions.code).toBe('BAD_REQUEST');
    expect(h.actions()).toEqual([]);
  });

  it('refuses a GET query string or header section over 16 KiB with 431', async () => {
    for (const request of [
      head([`GET /graphql?query=${'x'.repeat(20 * 1024)} HTTP/1.1`, 'Host: gateway']),
      head(['GET /graphql?query=%7B__typename%7D HTTP/1.1', 'Host: gateway', `X-Padding: ${'x'.repeat(20 * 1024)}`]),
    ]) {
      const { socket, closed } = await open(h.url);
      socket.write(request);
      const r = await closed;
      expect([r.status, errorOf(r).errors[0]!.extensions.code]).toEqual([431, 'REQUEST_HEADER_FIELDS_TOO_LARGE']);
    }
    expect(h.actions()).toEqual([]);
  });

  it('still runs a body just under the cap', async () => {
    h.resetCalls();
    const document = '{ models(first: 1) { totalCount } }';
    const padding = LIMIT - JSON.stringify({ query: document, variables: { pad: '' } }).length;
    const r = await h.gql(document, { pad: 'x'.repeat(padding) });
    expect([r.status, r.result]).toEqual([200, { data: { models: { totalCount: 33 } } }]);
    expect(h.actions()).toEqual(['ListModels']);
  });
});

describe('read timeouts (HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ transport: { headersTimeoutMs: 500, requestTimeoutMs: 1000 } });
  });
  afterAll(() => h.close());

  const timedOut = { errors: [{ message: 'The request was not received in time: headers must arrive within 500 ms and the whole request within 1000 ms.', extensions: { code: 'REQUEST_TIMEOUT' } }] };

  /** Sends one piece at a time, each after the previous was flushed and the loop turned, until the connection closes. */
  async function drip(socket: Socket, piece: string) {
    while (!socket.destroyed) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (!socket.destroyed) socket.write(piece);
    }
  }

  it('answers a client that sends its body one byte at a time with 408 and closes it, while other requests are answered', async () => {
    h.resetCalls();
    const { socket, closed } = await open(h.url);
    socket.write(head(['POST /graphql HTTP/1.1', 'Host: gateway', 'Content-Type: application/json', 'Content-Length: 1000000']));
    const dripping = drip(socket, 'x');
    const other = await h.gql('{ models(first: 1) { totalCount } }');
    expect([other.status, other.result]).toEqual([200, { data: { models: { totalCount: 33 } } }]);
    const r = await closed;
    await dripping;
    expect([r.status, r.headers.connection, errorOf(r)]).toEqual([408, 'close', timedOut]);
    expect(h.actions()).toEqual(['ListModels']);
  });

  it('answers a client that never finishes its headers with 408 and closes it', async () => {
    const { socket, closed } = await open(h.url);
    socket.write('POST /graphql HTTP/1.1\r\nHost: gateway\r\n');
    const dripping = drip(socket, 'X-Slow: y\r\n');
    const r = await closed;
    await dripping;
    expect([r.status, errorOf(r)]).toEqual([408, timedOut]);
  });

  it('closes a connection that sends nothing at all', async () => {
    const { closed } = await open(h.url);
    expect((await closed).status).toBe(408);
  });
});

describe('transport errors in the GraphQL-over-HTTP shape', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const send = async (path: string, init: RequestInit) => {
    const res = await fetch(h.url.replace('/graphql', path), init);
    return { status: res.status, type: res.headers.get('content-type'), body: JSON.parse(await res.text()) as unknown };
  };
  const graphqlError = (message: string, code: string) => ({ errors: [{ message, extensions: { code } }] });

  const cases: [name: string, path: string, init: RequestInit, status: number, expected: unknown][] = [
    ['malformed JSON', '/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' }, 400, graphqlError('The request body is not valid JSON.', 'BAD_REQUEST')],
    ['an empty JSON body', '/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '' }, 400, graphqlError('The request body is empty: send a JSON object such as {"query": "{ __typename }"}.', 'BAD_REQUEST')],
    ['JSON with __proto__', '/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }","__proto__":{"x":1}}' }, 400, graphqlError('The request body is not valid JSON.', 'BAD_REQUEST')],
    ['a text/plain body', '/graphql', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"query":"{ __typename }"}' }, 415, graphqlError('Send the operation as application/json (GraphQL over HTTP) or as a GET query string; this content type is not accepted.', 'UNSUPPORTED_MEDIA_TYPE')],
    ['an application/graphql-response+json body', '/graphql', { method: 'POST', headers: { 'content-type': 'application/graphql-response+json' }, body: '{"query":"{ __typename }"}' }, 415, graphqlError('Send the operation as application/json (GraphQL over HTTP) or as a GET query string; this content type is not accepted.', 'UNSUPPORTED_MEDIA_TYPE')],
    ['a malformed content type', '/graphql', { method: 'POST', headers: { 'content-type': '/;;' }, body: '{}' }, 415, graphqlError('Send the operation as application/json (GraphQL over HTTP) or as a GET query string; this content type is not accepted.', 'UNSUPPORTED_MEDIA_TYPE')],
    ['an unknown path', '/nope', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }, 404, graphqlError('Nothing is served at this method and path: GraphQL is served at /graphql.', 'NOT_FOUND')],
    ['an unsupported method', '/graphql', { method: 'DELETE' }, 405, graphqlError('/graphql does not take DELETE: send GET or POST.', 'BAD_REQUEST')],
    ['an unsupported method on another path', '/healthz', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' }, 405, graphqlError('/healthz does not take PUT: send GET.', 'BAD_REQUEST')],
    ['a URL that does not decode', '/%zz', { method: 'GET' }, 400, graphqlError('The request URL is not valid.', 'BAD_REQUEST')],
  ];
  it('names the methods a path takes in Allow when it answers 405', async () => {
    const res = await fetch(h.url, { method: 'DELETE' });
    expect([res.status, res.headers.get('allow')]).toEqual([405, 'GET, HEAD, POST']);
    await res.text();
  });

  it.each(cases)('answers %s in the GraphQL shape with its status and code', async (_name, path, init, status, expected) => {
    h.resetCalls();
    const r = await send(path, init);
    expect(r).toEqual({ status, type: 'application/json; charset=utf-8', body: expected });
    expect(h.actions()).toEqual([]);
  });
});

describe('while the gateway drains', () => {
  it('answers a request that arrives after closing began with a GraphQL-shaped 503 and closes its connection', async () => {
    const limits = { maxBodyBytes: 1024, headersTimeoutMs: 10_000, requestTimeoutMs: 30_000 };
    const app = Fastify(createTransportOptions(limits, createLogger({ level: 'silent' })));
    installTransportRules(app, limits);
    app.get('/ping', async () => ({ ok: true }));
    // A shutdown step that takes as long as the test wants (as draining operations does).
    let finishClosing: (() => void) | undefined;
    app.addHook('preClose', (done) => void (finishClosing = done));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/ping`;
    expect((await fetch(url)).status).toBe(200);

    const closed = app.close();
    await until(() => finishClosing !== undefined);
    const res = await fetch(url);
    expect([res.status, res.headers.get('connection'), res.headers.get('content-type'), await res.json()]).toEqual([
      503,
      'close',
      'application/json; charset=utf-8',
      { errors: [{ message: 'The gateway is shutting down: send the request again (another replica will answer).', extensions: { code: 'SERVICE_UNAVAILABLE' } }] },
    ]);
    finishClosing!();
    await closed;
  });
});
