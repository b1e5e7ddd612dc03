import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import ky, { TimeoutError, type Options as KyOptions } from 'ky';
import { Agent, type Dispatcher } from 'undici';
import { asAbortSignal, type EndSignal } from './ending.js';
import type { HttpMethod } from './operation.js';

/**
 * How the upstream client puts one signed request on the wire and reads the whole answer.
 *
 * Reads (GET) go to undici's `dispatch` on a pooled keep-alive Agent: one plain object per call,
 * the headers as a flat list, the body's chunks decoded once (AnswerReader). In profiles of an
 * operation with 21 upstream reads, ky and the fetch under it were about 40% of the gateway's
 * CPU (README, "Upstream HTTP"): per call a WHATWG Request built, cloned and built again, two
 * Headers copies, an AbortController and AbortSignal.any, web streams for the body. undici's
 * `request` then cost 10-25 us more per read than `dispatch` (its own handler and a Readable
 * stream per answer). Unlike fetch, `dispatch` follows no redirects and asks for no
 * compression (PAI's APIs answer neither way), and the time limit covers the answer's body too.
 *
 * Writes (POST, PUT, DELETE) stay on ky over fetch, with the same Agent underneath: they are
 * rare, and ky is the client the design names. A `fetch` given in the options (tests script
 * the upstream with one) carries every call, reads included.
 *
 * Either way an answer is read no further than the limit it is given (UPSTREAM_MAX_ANSWER_MB):
 * past it the exchange is cut off and the read fails with HttpAnswerTooLargeError.
 */

/** The answer of one request: status, headers and the body as text. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: HeaderReader;
  readonly text: string;
  /** The body's length as received, in bytes (before decoding). */
  readonly bytes: number;
}

/** The one thing the client asks of answer headers. */
export interface HeaderReader {
  get(name: string): string | null | undefined;
}

/**
 * The headers of one upstream request as a flat list of lower-case names and values, the
 * form undici's `request` takes as it is. A WHATWG `Headers` validates and lower-cases every
 * name on each `set`, sorts on every iteration and was copied twice per call; this is built
 * once by the client (from constant, already lower-case names) and signed in place.
 */
export class HeaderList implements Iterable<[string, string]> {
  /** name, value, name, value, ... */
  readonly flat: string[];

  constructor(flat: string[] = []) {
    this.flat = flat;
  }

  get(name: string): string | null {
    const key = name.toLowerCase();
    for (let i = 0; i < this.flat.length; i += 2) if (this.flat[i] === key) return this.flat[i + 1]!;
    return null;
  }

  set(name: string, value: string): void {
    const key = name.toLowerCase();
    for (let i = 0; i < this.flat.length; i += 2) {
      if (this.flat[i] === key) {
        this.flat[i + 1] = value;
        return;
      }
    }
    this.flat.push(key, value);
  }

  copy(): HeaderList {
    return new HeaderList(this.flat.slice());
  }

  *[Symbol.iterator](): Iterator<[string, string]> {
    for (let i = 0; i < this.flat.length; i += 2) yield [this.flat[i]!, this.flat[i + 1]!];
  }
}

export interface HttpRequest {
  readonly method: HttpMethod;
  readonly url: URL;
  /** Signed headers, as sent. */
  readonly headers: HeaderList;
  readonly body: string | undefined;
  /** The operation's signal: its end aborts the request. */
  readonly signal: EndSignal | undefined;
  /** Time limit of the whole exchange, answer body included. */
  readonly timeout: number;
}

/** The request did not finish within its time limit. */
export class HttpTimeoutError extends Error {
  override name = 'HttpTimeoutError';
}

/** The answer was longer than the gateway reads (UPSTREAM_MAX_ANSWER_MB); the exchange was cut off. */
export class HttpAnswerTooLargeError extends Error {
  override name = 'HttpAnswerTooLargeError';
  constructor(
    readonly maxBytes: number,
    readonly status: number,
  ) {
    super(`the answer is longer than ${maxBytes} bytes`);
  }
}

/**
 * UPSTREAM_MAX_ANSWER_MB's default. PAI's largest pages (100 algorithms with their specs, 100
 * evaluation results) are a few MB; a longer answer is a fault, and reading it whole would
 * cost the heap what the gateway keeps for everything else.
 */
export const DEFAULT_MAX_ANSWER_MB = 32;

export type HttpSend = (request: HttpRequest) => Promise<HttpAnswer>;

/**
 * The abort signal of one undici request, as undici reads one (`aborted`, `reason`, one
 * 'abort' listener): it fires at the time limit or when the operation ends. An object with
 * a timer costs less per call than an AbortController joined to the operation's signal.
 */
class AttemptSignal {
  aborted = false;
  reason: unknown = undefined;
  private listener: (() => void) | undefined = undefined;
  private timer: NodeJS.Timeout | undefined = undefined;

  constructor(
    private readonly operation: EndSignal | undefined,
    timeout: number,
  ) {
    // An operation that ended while the attempt was being signed sends nothing.
    if (operation?.aborted) {
      this.aborted = true;
      this.reason = operation.reason;
      return;
    }
    this.timer = setTimeout(AttemptSignal.expire, timeout, this);
    operation?.addEventListener('abort', this);
  }

  static expire(this: void, self: AttemptSignal): void {
    self.abort(new HttpTimeoutError());
  }

  /** The operation ended (EventTarget calls listener objects through handleEvent). */
  handleEvent(): void {
    this.abort(this.operation?.reason);
  }

  addEventListener(_type: 'abort', listener: () => void): void {
    this.listener = listener;
  }

  removeEventListener(): void {
    this.listener = undefined;
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.done();
    const listener = this.listener;
    this.listener = undefined;
    listener?.();
  }

  done(): void {
    clearTimeout(this.timer);
    this.operation?.removeEventListener('abort', this);
  }
}

/** undici's answer headers (lower-case names; repeated ones as arrays) behind `get`. */
class RecordHeaders implements HeaderReader {
  constructor(private readonly record: Record<string, string | string[] | undefined>) {}

  get(name: string): string | undefined {
    const value = this.record[name];
    return Array.isArray(value) ? value.join(', ') : value;
  }
}

const asError = (reason: unknown): Error => (reason instanceof Error ? reason : new Error(String(reason)));

/**
 * Reads one answer for undici's `dispatch` (its handler API): the status, the headers and the
 * body's chunks, decoded once at the end as `request`'s `body.text()` does (UTF-8, a BOM
 * skipped). `request` wraps every answer in a Readable stream and a handler of its own; a
 * read that wants the whole body as text needs neither.
 *
 * The attempt's signal (time limit, operation ended) settles the read at once. A request still
 * waiting for a socket has no controller yet: it is aborted as soon as undici starts it.
 */
class AnswerReader implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined = undefined;
  private status = 0;
  private headers: Record<string, string | string[] | undefined> = {};
  private chunks: Buffer[] = [];
  private length = 0;
  private settled = false;

  constructor(
    private readonly signal: AttemptSignal,
    private readonly maxBytes: number,
    private readonly resolve: (answer: HttpAnswer) => void,
    private readonly reject: (err: unknown) => void,
  ) {
    signal.addEventListener('abort', () => {
      this.controller?.abort(asError(signal.reason));
      this.fail(signal.reason);
    });
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.signal.aborted) controller.abort(asError(this.signal.reason));
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    this.status = statusCode;
    this.headers = headers;
    // An answer that says it is too long is refused before its body is read.
    const declared = headers['content-length'];
    if (typeof declared === 'string' && Number(declared) > this.maxBytes) this.tooLarge(controller);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.settled) return;
    this.length += chunk.length;
    if (this.length > this.maxBytes) return this.tooLarge(controller);
    this.chunks.push(chunk);
  }

  /** Cuts the exchange off (undici closes the socket) and fails the read. */
  private tooLarge(controller: Dispatcher.DispatchController): void {
    const error = new HttpAnswerTooLargeError(this.maxBytes, this.status);
    this.fail(error);
    controller.abort(error);
  }

  onResponseEnd(): void {
    if (this.settled) return;
    this.settled = true;
    this.signal.done();
    const { chunks, length } = this;
    this.chunks = [];
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length);
    const start = body.length > 2 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0;
    this.resolve({ status: this.status, headers: new RecordHeaders(this.headers), text: body.toString('utf8', start), bytes: length });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.fail(error);
  }

  fail(error: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.signal.done();
    this.chunks = [];
    this.reject(error);
  }
}

/**
 * A fetch answer's body as text, read no further than `maxBytes`: an answer that says it is
 * longer is refused unread, and one that turns out longer is cancelled at that point. Decoded
 * as `Response.text()` decodes (UTF-8, a leading BOM dropped).
 */
async function readCapped(response: Response, maxBytes: number): Promise<{ text: string; bytes: number }> {
  if (Number(response.headers.get('content-length') ?? 0) > maxBytes) {
    await response.body?.cancel();
    throw new HttpAnswerTooLargeError(maxBytes, response.status);
  }
  if (!response.body) return { text: '', bytes: 0 };
  const reader = (response.body as WebReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > maxBytes) {
      await reader.cancel();
      throw new HttpAnswerTooLargeError(maxBytes, response.status);
    }
    chunks.push(value);
  }
  return { text: new TextDecoder().decode(Buffer.concat(chunks, length)), bytes: length };
}

export function createHttp(options: { timeoutMs: number; maxAnswerBytes?: number | undefined; fetch?: typeof fetch | undefined }): HttpSend {
  const maxBytes = options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_MB * 1024 * 1024;
  const agent = new Agent({ keepAliveTimeout: 4_000 });
  // fetch passes init options it does not know (here `dispatcher`) through, so ky's writes
  // share the Agent's sockets.
  const kyHttp = ky.create({ retry: 0, throwHttpErrors: false, timeout: options.timeoutMs, ...(options.fetch ? { fetch: options.fetch } : {}), dispatcher: agent } as unknown as KyOptions);

  async function viaKy(req: HttpRequest): Promise<HttpAnswer> {
    try {
      const response = await kyHttp(req.url, { method: req.method, headers: [...req.headers], body: req.body, signal: asAbortSignal(req.signal), timeout: req.timeout });
      return { status: response.status, headers: response.headers, ...(await readCapped(response, maxBytes)) };
    } catch (err) {
      throw err instanceof TimeoutError ? new HttpTimeoutError() : err;
    }
  }

  function viaUndici(req: HttpRequest): Promise<HttpAnswer> {
    return new Promise<HttpAnswer>((resolve, reject) => {
      const signal = new AttemptSignal(req.signal, req.timeout);
      const reader = new AnswerReader(signal, maxBytes, resolve, reject);
      // An operation that ended while the attempt was being signed sends nothing.
      if (signal.aborted) return reader.fail(signal.reason);
      try {
        agent.dispatch({ origin: req.url.origin, path: `${req.url.pathname}${req.url.search}`, method: req.method, headers: req.headers.flat, body: req.body ?? null }, reader);
      } catch (err) {
        reader.fail(err);
      }
    });
  }

  if (options.fetch) return viaKy;
  return (req) => (req.method === 'GET' ? viaUndici(req) : viaKy(req));
}
