import ky, { TimeoutError, type Options as KyOptions } from 'ky';
import { Agent } from 'undici';
import { asAbortSignal, type EndSignal } from './ending.js';
import type { HttpMethod } from './operation.js';

/**
 * How the upstream client puts one signed request on the wire and reads the whole answer.
 *
 * Reads (GET) go through undici's `request` on a pooled keep-alive Agent: one plain object per
 * call, the headers as a flat list, the body read once as text. In profiles of an operation
 * with 21 upstream reads, ky and the fetch under it were about 40% of the gateway's CPU
 * (README, "Upstream HTTP"): per call a WHATWG Request built, cloned and built again, two
 * Headers copies, an AbortController and AbortSignal.any, web streams for the body. Unlike
 * fetch, `request` follows no redirects and asks for no compression (PAI's APIs answer
 * neither way), and the time limit covers the answer's body too.
 *
 * Writes (POST, PUT, DELETE) stay on ky over fetch, with the same Agent underneath: they are
 * rare, and ky is the client the design names. A `fetch` given in the options (tests script
 * the upstream with one) carries every call, reads included.
 */

/** The answer of one request: status, headers and the body as text. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: HeaderReader;
  readonly text: string;
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

export function createHttp(options: { timeoutMs: number; fetch?: typeof fetch | undefined }): HttpSend {
  const agent = new Agent({ keepAliveTimeout: 4_000 });
  // fetch passes init options it does not know (here `dispatcher`) through, so ky's writes
  // share the Agent's sockets.
  const kyHttp = ky.create({ retry: 0, throwHttpErrors: false, timeout: options.timeoutMs, ...(options.fetch ? { fetch: options.fetch } : {}), dispatcher: agent } as unknown as KyOptions);

  async function viaKy(req: HttpRequest): Promise<HttpAnswer> {
    try {
      const response = await kyHttp(req.url, { method: req.method, headers: [...req.headers], body: req.body, signal: asAbortSignal(req.signal), timeout: req.timeout });
      return { status: response.status, headers: response.headers, text: await response.text() };
    } catch (err) {
      throw err instanceof TimeoutError ? new HttpTimeoutError() : err;
    }
  }

  async function viaUndici(req: HttpRequest): Promise<HttpAnswer> {
    const signal = new AttemptSignal(req.signal, req.timeout);
    try {
      const answer = await agent.request({ origin: req.url.origin, path: `${req.url.pathname}${req.url.search}`, method: req.method, headers: req.headers.flat, body: req.body ?? null, signal });
      const text = await answer.body.text();
      return { status: answer.statusCode, headers: new RecordHeaders(answer.headers), text };
    } finally {
      signal.done();
    }
  }

  if (options.fetch) return viaKy;
  return (req) => (req.method === 'GET' ? viaUndici(req) : viaKy(req));
}
