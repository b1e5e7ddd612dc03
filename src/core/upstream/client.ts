import pLimit, { type LimitFunction } from 'p-limit';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { ErrorCode, OperationEndedError, UpstreamError } from '../errors.js';
import { buildPath, encodeBody, encodeQuery } from './encoding.js';
import { errorBodyOf, mapUpstreamError, readErrorBody, readRetryAfterMs } from './errors.js';
import { parseAnswer } from './fast-parse.js';
import { Ending, type EndSignal } from './ending.js';
import { createHttp, HeaderList, HttpAnswerTooLargeError, HttpTimeoutError, type HeaderReader } from './http.js';
import type { CallInput, OperationSpec } from './operation.js';
import { PRODUCTS, type ProductName } from './products.js';
import type { Signer } from './signer.js';
import { createBreakers, type BreakerOptions } from './breaker.js';
import { createGovernor, DEFAULT_QPS_LIMITS, parseQpsLimits, type Governor } from './governor.js';
import { readTags, writeTags, type ReadCacheStore } from './read-cache.js';
import { reportAnswer, newOutcome, type Outcome, type UpstreamAnswer } from './answers.js';
import { sha256Hex } from './acs3.js';
import { withFields } from '../objects.js';

export interface UpstreamClientOptions {
  readonly origins: Readonly<Record<ProductName, string>>;
  readonly signer: Signer;
  /** Time limit of one attempt. */
  readonly timeoutMs: number;
  /** Longest answer read, in bytes (UPSTREAM_MAX_ANSWER_MB); a longer one is cut off and is an UPSTREAM_CONTRACT error. */
  readonly maxAnswerBytes?: number | undefined;
  readonly logger: Logger;
  /** QPS limits and throttling pauses (default: PAI's documented limits). */
  readonly governor?: Governor;
  readonly breaker?: Partial<BreakerOptions>;
  readonly events?: CallEvents;
  /** Injected in tests; defaults to the global fetch. */
  readonly fetch?: typeof fetch;
  /** The opt-in read cache (PAI_CACHE_TTLS): where entries live and each action's TTL (ms, 0: not cached). */
  readonly cache?: { readonly store: ReadCacheStore; readonly ttlMs: (action: string) => number } | undefined;
}

/** Upstream access for one GraphQL operation: counts its calls and caps their concurrency. */
export interface UpstreamSession {
  call<Res>(op: OperationSpec<Res>, input?: CallInput): Promise<Res>;
  /** Upstream calls this operation has started so far. */
  readonly callCount: number;
  /** Told when a loader answers from this operation's cache instead of calling upstream. */
  readonly onCacheHit?: (() => void) | undefined;
}

export interface UpstreamClient {
  call<Res>(op: OperationSpec<Res>, input?: CallInput, opts?: CallOptions): Promise<Res>;
  /** One operation's calls, at most `concurrency` at a time. `signal` ends the operation. */
  session(opts: { concurrency: number; signal?: EndSignal | undefined; requestId?: string | undefined; deadline?: number | undefined; onCacheHit?: (() => void) | undefined; onAnswer?: ((answer: UpstreamAnswer) => void) | undefined }): UpstreamSession;
  readonly governor: Governor;
  readonly breakers: ReturnType<typeof createBreakers>;
  /** Where each product is called (EAS paths name the region its origin serves). */
  readonly origins: Readonly<Record<ProductName, string>>;
  /**
   * A digest of the credential and the endpoints (nothing secret): state replicas share in
   * Redis about upstream resources is kept apart per namespace, so gateways with different
   * accounts or regions on one Redis never see each other's resources.
   */
  namespace(): Promise<string>;
}

interface Prepared {
  readonly url: URL;
  readonly headers: HeaderList;
  readonly body: string | undefined;
}

/**
 * A caller of a shared read, told its outcome once and then unlinked from everything (see
 * InFlight): undefined fields once it has been told or its operation has ended.
 */
interface Follower {
  entry: InFlight | undefined;
  resolve: ((value: unknown) => void) | undefined;
  reject: ((err: unknown) => void) | undefined;
  /** The callers waiting on its operation's signal (it has none without one). */
  group: Set<Follower> | undefined;
}

/**
 * A read in flight. It never holds the answer: when the read settles, each caller's own
 * promise gets the outcome and the entry forgets its callers. An entry can live through a
 * young-generation collection or two while its request is out, and V8 then moves it to the
 * old generation; an old object that still pointed at the answer (a shared promise resolved
 * with it, say) would keep that answer, and all it points to, alive through every young
 * collection until the next full one, dead or not. With one shared promise per read, each
 * young collection under load copied 2.3 MB and promoted 1.4 MB, where the bench's reference
 * gateway's copied 0.5 and promoted 0.1 (`npm run bench`'s distinct 20-model lists).
 */
interface InFlight extends Outcome {
  readonly scope: string;
  /** Callers still waiting for it; when the last one leaves, the request is cancelled. */
  waiting: number;
  /** Ends the shared request when every caller has left. */
  readonly ending: Ending;
  /** Callers to tell the outcome; undefined once told. */
  followers: Follower[] | undefined;
}

/** Not signed, so it may say who we are. */
const USER_AGENT = 'pai-graph/0.1.0';

const CONTENT_TYPE = { json: 'application/json; charset=utf-8', form: 'application/x-www-form-urlencoded', raw: 'application/json; charset=utf-8' } as const;

function describePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${String(seg)}` : String(seg)), '') || '(root)';
}

/** UPSTREAM_CONTRACT: the upstream answered, but not in the shape its contract promises. */
function contractError(op: OperationSpec<unknown>, status: number, requestId: string | undefined, problem: string): UpstreamError {
  return new UpstreamError(ErrorCode.UPSTREAM_CONTRACT, `${op.product} ${op.action} answered outside its contract: ${problem}`, {
    product: op.product,
    action: op.action,
    status,
    requestId,
  });
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid body';
  return `field ${describePath(issue.path)} ${issue.message}`;
}

/** What log lines say about a call; reqId ties the gateway request (x-request-id) to the upstream RequestId. */
const describeCall = (op: OperationSpec<unknown>, url: URL, opts: CallOptions) => ({ reqId: opts.requestId, product: op.product, action: op.action, method: op.method, path: url.pathname });

/** An upstream message with the call's secrets blanked out. */
const scrub = (message: string | undefined, secrets: readonly string[] | undefined) =>
  message && secrets?.length ? secrets.reduce((m, secret) => (secret ? m.split(secret).join('[redacted]') : m), message) : message;

/** Attempts of one call at most: the first plus two retries. */
export const MAX_ATTEMPTS = 3;
const BACKOFF_BASE_MS = 100;
const BACKOFF_CAP_MS = 2000;

/** Options of one call: where it belongs and until when it may run. */
export interface CallOptions {
  readonly signal?: EndSignal | undefined;
  readonly requestId?: string | undefined;
  /** Epoch ms after which the call must not be started or waited for (the operation's deadline). */
  readonly deadline?: number | undefined;
  /** Called when this call makes an upstream request of its own (not shared, not cached). */
  readonly onStart?: (() => void) | undefined;
  /** Never answer from the read cache (a health check must ask PAI). */
  readonly fresh?: boolean | undefined;
  /**
   * Told about the answer this call used, once it is in (extensions.upstream, trace spans).
   * Without it the client measures and builds nothing for the report.
   */
  readonly onAnswer?: ((answer: UpstreamAnswer) => void) | undefined;
}

/** What the client reports about each attempt (for metrics). */
export interface CallEvents {
  readonly onAttempt?: (e: { product: ProductName; action: string; status: number | undefined; outcome: 'ok' | ErrorCode; ms: number; attempt: number }) => void;
  readonly onRetry?: (e: { product: ProductName; action: string; reason: string; delayMs: number }) => void;
  readonly onBreaker?: (product: ProductName, state: 'closed' | 'open' | 'halfOpen') => void;
  /** A read answered without an upstream call of its own: joined one in flight, or from the read cache. */
  readonly onShared?: (e: { product: ProductName; action: string; via: 'coalesced' | 'cache' }) => void;
  /** An answer read whole, any status: its body's length in bytes. */
  readonly onAnswerSize?: (e: { product: ProductName; action: string; bytes: number }) => void;
}

/** Send options inside the client: where the request writes its outcome. */
interface SendOptions extends CallOptions {
  readonly outcome?: Outcome | undefined;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Whether an attempt that failed this way may be repeated. Throttling answers are safe for
 * any method (PAI refused the call before doing it); 5xx, timeouts and resets only for reads,
 * because a POST that timed out may have created a model already.
 */
function retryable(op: OperationSpec<unknown>, error: UpstreamError): boolean {
  if (error.code === ErrorCode.RATE_LIMITED) return error.upstream.status !== undefined;
  if (!op.idempotent) return false;
  if (error.code === ErrorCode.UPSTREAM_TIMEOUT || error.code === ErrorCode.UPSTREAM_UNAVAILABLE) return !error.extensions.circuitOpen;
  return error.code === ErrorCode.UPSTREAM_ERROR && (error.upstream.status ?? 0) >= 500;
}

/**
 * How long an upstream answer told us to leave the action alone, if it did: a throttling
 * answer always (1 s when it names no time), a 5xx when it carries Retry-After or
 * x-acs-retry-after. Errors without an upstream status (timeouts, resets, an open circuit)
 * are the gateway's own and name nothing.
 */
function namedWaitMs(error: UpstreamError): number | undefined {
  if (error.upstream.status === undefined) return undefined;
  if (error.code === ErrorCode.RATE_LIMITED) return error.retryAfterMs ?? 1000;
  return error.upstream.status >= 500 ? error.retryAfterMs : undefined;
}

/**
 * The single upstream client. One place builds the URL from the operation's ROA path,
 * encodes the body, hands the exact request to the signer, keeps to the governor's limits,
 * retries what is safe to retry, enforces the timeout and the operation's deadline, trips
 * the product's circuit breaker, parses the answer with the operation's zod schema and maps
 * failures to typed errors.
 */
export function createUpstreamClient(options: UpstreamClientOptions): UpstreamClient {
  const { origins, signer, timeoutMs, logger } = options;
  const governor = options.governor ?? createGovernor({ rules: parseQpsLimits(DEFAULT_QPS_LIMITS) });
  const breakers = createBreakers(options.breaker, options.events?.onBreaker);
  const http = createHttp({ timeoutMs, maxAnswerBytes: options.maxAnswerBytes, fetch: options.fetch });

  /**
   * The wait the answer's headers name, capped at the governor's longest pause: the gateway
   * holds the action no longer than that, so it tells its callers no more either.
   */
  function readWait(headers: HeaderReader, where: Record<string, unknown>): number | undefined {
    const named = readRetryAfterMs(headers);
    if (named === undefined || named <= governor.maxPauseMs) return named;
    logger.warn({ upstream: where, retryAfterMs: named, maxPauseMs: governor.maxPauseMs }, 'upstream named a wait longer than UPSTREAM_MAX_PAUSE_MS; holding the action for that maximum');
    return governor.maxPauseMs;
  }

  /** One attempt: sign, send, read, map. Throws typed errors only. */
  async function attempt<Res>(op: OperationSpec<Res>, input: CallInput, built: Prepared, opts: SendOptions, timeout: number): Promise<Res> {
    const headers = built.headers.copy();
    await signer.sign({ method: op.method, url: built.url, headers, body: built.body, action: op.action, version: PRODUCTS[op.product].version });

    const started = performance.now();
    let status: number;
    let responseHeaders: HeaderReader;
    let text: string;
    let bytes: number;
    try {
      ({ status, headers: responseHeaders, text, bytes } = await http({ method: op.method, url: built.url, headers, body: built.body, signal: opts.signal, timeout }));
    } catch (err) {
      const ms = Math.round(performance.now() - started);
      if (err instanceof HttpTimeoutError) {
        logger.warn({ upstream: describeCall(op, built.url, opts), ms }, 'upstream call timed out');
        throw new UpstreamError(ErrorCode.UPSTREAM_TIMEOUT, `${op.product} did not answer ${op.action} within ${timeout} ms`, { product: op.product, action: op.action });
      }
      if (err instanceof HttpAnswerTooLargeError) {
        logger.error({ upstream: { ...describeCall(op, built.url, opts), status: err.status }, ms, maxBytes: err.maxBytes }, 'upstream answer longer than UPSTREAM_MAX_ANSWER_MB; cut off');
        throw contractError(op, err.status, undefined, `the answer is longer than ${err.maxBytes / 1024 / 1024} MB (UPSTREAM_MAX_ANSWER_MB)`);
      }
      if (opts.signal?.aborted) throw err;
      logger.warn({ upstream: describeCall(op, built.url, opts), ms, err: { name: (err as Error).name, message: (err as Error).message } }, 'upstream unreachable');
      throw new UpstreamError(ErrorCode.UPSTREAM_UNAVAILABLE, `${op.product} could not be reached for ${op.action}`, { product: op.product, action: op.action }, { cause: err });
    }
    const ms = Math.round(performance.now() - started);
    options.events?.onAnswerSize?.({ product: op.product, action: op.action, bytes });
    const headerRequestId = responseHeaders.get('x-acs-request-id') ?? undefined;

    if (status < 200 || status > 299) {
      const errorBody = readErrorBody(text);
      errorBody.requestId ??= headerRequestId;
      errorBody.message = scrub(errorBody.message, input.secrets);
      const where = describeCall(op, built.url, opts);
      const error = mapUpstreamError({ product: op.product, action: op.action, status }, errorBody, readWait(responseHeaders, { ...where, status, requestId: errorBody.requestId }));
      logger.warn({ upstream: { ...where, status, code: errorBody.code, requestId: errorBody.requestId }, ms, mappedTo: error.code }, 'upstream call failed');
      throw error;
    }

    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      logger.error({ upstream: { ...describeCall(op, built.url, opts), status, requestId: headerRequestId }, ms }, 'upstream answered with a body that is not JSON');
      throw contractError(op, status, headerRequestId, 'the body is not JSON');
    }
    const requestId = (json as { RequestId?: unknown; requestId?: unknown } | null)?.RequestId ?? (json as { requestId?: unknown } | null)?.requestId;
    const requestIdText = typeof requestId === 'string' ? requestId : headerRequestId;
    if (op.errorInBody) {
      // The answer is parsed once: its error fields are read from the parsed value.
      const errorBody = errorBodyOf(json);
      if (errorBody.code && !/^(200|OK|Success)$/i.test(errorBody.code)) {
        errorBody.requestId ??= requestIdText;
        errorBody.message = scrub(errorBody.message, input.secrets);
        const where = describeCall(op, built.url, opts);
        const error = mapUpstreamError({ product: op.product, action: op.action, status, classifyAs: 400 }, errorBody, readWait(responseHeaders, { ...where, status, requestId: errorBody.requestId }));
        logger.warn({ upstream: { ...where, status, code: errorBody.code, requestId: errorBody.requestId }, ms, mappedTo: error.code }, 'upstream call failed (error in a 2xx body)');
        throw error;
      }
    }
    const parsed = parseAnswer(op.response, json);
    if (!parsed.success) {
      const problem = firstIssue(parsed.error);
      logger.error({ upstream: { ...describeCall(op, built.url, opts), status, requestId: requestIdText }, ms, problem }, 'upstream answered outside its contract');
      throw contractError(op, status, requestIdText, problem);
    }
    // The debug line is built only when someone reads it.
    if (logger.isLevelEnabled('debug')) logger.debug({ upstream: { ...describeCall(op, built.url, opts), status, requestId: requestIdText }, ms }, 'upstream call');
    if (opts.outcome) {
      opts.outcome.status = status;
      opts.outcome.requestId = requestIdText;
    }
    return parsed.data;
  }

  /** The exact request of a call: URL, unsigned headers and body bytes. */
  function prepare(op: OperationSpec<unknown>, input: CallInput, requestId: string | undefined): Prepared {
    const product = PRODUCTS[op.product];
    const query = encodeQuery(input.query, op.opaque);
    const url = new URL(`${origins[op.product]}${buildPath(op.path, input.path)}${query ? `?${query}` : ''}`);
    const flat = ['accept', 'application/json', 'user-agent', USER_AGENT, 'x-acs-action', op.action, 'x-acs-version', product.version];
    if (requestId) flat.push('x-request-id', requestId);
    let body: string | undefined;
    if (op.bodyType !== 'none' && input.body) {
      body = encodeBody(op.bodyType, input.body, op.opaque);
      flat.push('content-type', CONTENT_TYPE[op.bodyType]);
    }
    const headers = new HeaderList(flat);
    return { url, headers, body };
  }

  /** Sends one prepared call: governor, attempts, retries. */
  async function send<Res>(op: OperationSpec<Res>, input: CallInput, prepared: Prepared, opts: SendOptions): Promise<Res> {
    const { url, headers, body } = prepared;
    const deadline = opts.deadline ?? Date.now() + timeoutMs * MAX_ATTEMPTS;
    const outcome = opts.outcome;

    for (let n = 1; ; n += 1) {
      const admitting = outcome?.timed ? performance.now() : 0;
      const ticket = await governor.admit(op.product, op.action, deadline, Math.min(timeoutMs, Math.max(1, deadline - Date.now())));
      if (outcome) {
        outcome.attempts = n;
        if (outcome.timed) outcome.governorWaitMs += performance.now() - admitting;
      }
      // The operation may have ended while this call waited for its slot or a pause.
      if (opts.signal?.aborted) {
        ticket.done();
        throw new OperationEndedError();
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        ticket.done();
        throw new UpstreamError(ErrorCode.UPSTREAM_TIMEOUT, `${op.product} ${op.action} could not finish within the operation's deadline`, { product: op.product, action: op.action });
      }
      const timeout = Math.max(1, Math.min(timeoutMs, remaining));
      const started = performance.now();
      try {
        // The place in the QPS log counts until a second after the answer: PAI may have
        // counted the request at any moment until then.
        const result = await breakers.run(op.product, op.action, () => attempt(op, input, { url, headers, body }, opts, timeout)).finally(() => ticket.done());
        options.events?.onAttempt?.({ product: op.product, action: op.action, status: 200, outcome: 'ok', ms: performance.now() - started, attempt: n });
        return result;
      } catch (err) {
        if (!(err instanceof UpstreamError)) throw err;
        options.events?.onAttempt?.({ product: op.product, action: op.action, status: err.upstream.status, outcome: err.code, ms: performance.now() - started, attempt: n });
        // A named time holds the action for every caller, whether or not this call may be
        // retried: a create answered 503 with Retry-After is not repeated, yet its time stands.
        const named = namedWaitMs(err);
        const heldMs = named === undefined ? undefined : governor.pause(op.product, op.action, named);
        if (n >= MAX_ATTEMPTS || !retryable(op, err)) throw err;
        // The governor keeps the next attempt back until the pause ends. A failure (not a
        // throttling answer) also backs off exponentially with full jitter, so a 5xx with
        // `Retry-After: 0` is not repeated at once. Either way, only if the retry fits in time.
        const backoff = err.code === ErrorCode.RATE_LIMITED ? 0 : Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** n);
        const delay = Math.max(heldMs ?? 0, backoff);
        if (Date.now() + delay >= deadline) throw err;
        options.events?.onRetry?.({ product: op.product, action: op.action, reason: err.code, delayMs: delay });
        logger.info({ upstream: { product: op.product, action: op.action }, attempt: n, delayMs: Math.round(delay), reason: err.code }, 'retrying upstream call');
        if (backoff > (heldMs ?? 0)) await sleep(backoff);
      }
    }
  }

  /**
   * Reads in flight, by credential and exact request: identical reads running at the same
   * time, from any operation, share one upstream request. Each caller waits with its own
   * signal, so one leaving does not cancel the request for the others; the request is
   * cancelled only when every caller has left. An outcome, error included, reaches only
   * those already waiting: the entry is gone once it settles.
   */
  const inFlight = new Map<string, InFlight>();
  const scopes = new Map<string, string>();
  const cache = options.cache;

  /** The credential-and-product namespace of shared reads and cache entries (a hash, nothing secret). */
  async function scopeOf(product: ProductName): Promise<string> {
    const identity = `${await signer.identity()}\n${product}`;
    let scope = scopes.get(identity);
    if (scope === undefined) {
      scope = sha256Hex(identity).slice(0, 24);
      if (scopes.size > 1000) scopes.clear();
      scopes.set(identity, scope);
    }
    return scope;
  }

  /** A read: from the cache when allowed, else one upstream request shared with identical reads. */
  async function read<Res>(op: OperationSpec<Res>, input: CallInput, prepared: Prepared, opts: SendOptions, scope: string, key: string): Promise<Res> {
    const ttl = opts.fresh ? 0 : (cache?.ttlMs(op.action) ?? 0);
    let generation = '';
    if (ttl > 0) {
      const found = await cache!.store.lookup(scope, key);
      if (found.hit) {
        options.events?.onShared?.({ product: op.product, action: op.action, via: 'cache' });
        if (opts.outcome) {
          // The stored body keeps the RequestId of the answer it came from (the DTOs parse it).
          const requestId = (found.value as { RequestId?: unknown } | null)?.RequestId;
          opts.outcome.cached = true;
          opts.outcome.requestId = typeof requestId === 'string' ? requestId : undefined;
        }
        return found.value as Res;
      }
      generation = found.generation;
    }
    opts.onStart?.();
    const result = await send(op, input, prepared, opts);
    if (ttl > 0) await cache!.store.store(scope, key, result, ttl, readTags(prepared.url.pathname), generation);
    return result;
  }

  /**
   * The callers waiting on each operation's signal, told when it fires: one 'abort' listener
   * per operation rather than an EventTarget listener added and removed per call (whose
   * removal also walks every listener still on the signal).
   */
  const waiters = new WeakMap<EndSignal, Set<Follower>>();
  function waitersOf(signal: EndSignal): Set<Follower> {
    let waiting = waiters.get(signal);
    if (!waiting) {
      const created = new Set<Follower>();
      signal.addEventListener(
        'abort',
        () => {
          for (const follower of created) {
            const { entry, reject } = follower;
            forget(follower);
            leave(entry!);
            reject!(new OperationEndedError());
          }
          created.clear();
        },
        { once: true },
      );
      waiters.set(signal, created);
      waiting = created;
    }
    return waiting;
  }

  function follow<Res>(entry: InFlight, signal: EndSignal | undefined): Promise<Res> {
    if (signal?.aborted) {
      leave(entry);
      return Promise.reject(new OperationEndedError());
    }
    return new Promise<Res>((resolve, reject) => {
      const follower: Follower = { entry, resolve: resolve as (value: unknown) => void, reject, group: signal ? waitersOf(signal) : undefined };
      follower.group?.add(follower);
      entry.followers!.push(follower);
    });
  }

  /** Unlinks a told (or departed) caller from everything, so that nothing it held outlives it. */
  function forget(follower: Follower): void {
    follower.group?.delete(follower);
    follower.entry = undefined;
    follower.resolve = undefined;
    follower.reject = undefined;
    follower.group = undefined;
  }

  /** A shared read settled: out of the map, then each caller still waiting told, then forgotten. */
  function settle(flightKey: string, entry: InFlight, ok: boolean, outcome: unknown): void {
    if (inFlight.get(flightKey) === entry) inFlight.delete(flightKey);
    const followers = entry.followers!;
    entry.followers = undefined;
    for (const follower of followers) {
      const { resolve, reject, group } = follower;
      if (!resolve) continue; // its operation ended: it was told then
      forget(follower);
      if (ok) resolve(outcome);
      // A caller with an operation signal gets an Error whatever was thrown.
      else reject!(group && !(outcome instanceof Error) ? new Error(String(outcome)) : outcome);
    }
    // The array may be as old as the entry: no slot of it may keep a caller, or its answer, alive.
    followers.length = 0;
  }

  function leave(entry: InFlight): void {
    entry.waiting -= 1;
    if (entry.waiting === 0) entry.ending.abort();
  }

  async function call<Res>(op: OperationSpec<Res>, input: CallInput = {}, opts: CallOptions = {}): Promise<Res> {
    const startedAt = opts.onAnswer ? performance.now() : 0;
    const prepared = prepare(op, input, opts.requestId);
    const scope = await scopeOf(op.product);
    if (!op.idempotent) {
      opts.onStart?.();
      try {
        if (!opts.onAnswer) return await send(op, input, prepared, opts);
        const outcome = newOutcome(true);
        return await reportAnswer(send(op, input, prepared, { ...opts, outcome }), op, outcome, false, startedAt, opts.onAnswer);
      } finally {
        // Whatever the answer, the write may have happened (a timeout says nothing): reads
        // in flight from before it are not joined any more, and cached ones it touched go.
        for (const [key, entry] of inFlight) if (entry.scope === scope) inFlight.delete(key);
        if (cache) await cache.store.invalidate(scope, writeTags(prepared.url.pathname, op.invalidates));
      }
    }
    const key = `${op.action} ${prepared.url.pathname}${prepared.url.search}`;
    // A fresh read never joins one that may be answered from the cache.
    const flightKey = `${scope}\n${opts.fresh ? 'fresh ' : ''}${key}`;
    // A read every caller has left is being cancelled (it stays in the map until it settles):
    // a new caller starts its own instead of joining the cancellation.
    let entry = inFlight.get(flightKey);
    if (entry?.ending.aborted) entry = undefined;
    const joined = entry !== undefined;
    if (entry) {
      options.events?.onShared?.({ product: op.product, action: op.action, via: 'coalesced' });
    } else {
      const ending = new Ending();
      // It carries the outcome every caller of this read reports; the governor's wait is timed only if its first caller reports.
      const created: InFlight = { scope, waiting: 0, ending, followers: [], status: undefined, requestId: undefined, attempts: 0, governorWaitMs: 0, cached: false, timed: opts.onAnswer !== undefined };
      // Both outcomes are handled here, so a read every caller has left is never reported as unhandled.
      read(op, input, prepared, withFields(opts, { signal: ending, outcome: created }), scope, key).then(
        (value) => settle(flightKey, created, true, value),
        (err: unknown) => settle(flightKey, created, false, err),
      );
      inFlight.set(flightKey, created);
      entry = created;
    }
    entry.waiting += 1;
    const answer = follow<Res>(entry, opts.signal);
    return opts.onAnswer ? reportAnswer(answer, op, entry, joined, startedAt, opts.onAnswer) : answer;
  }

  const endpoints = Object.entries(origins)
    .map(([product, origin]) => `${product}=${origin}`)
    .sort()
    .join('\n');

  return {
    call,
    governor,
    breakers,
    origins,
    namespace: async () => sha256Hex(`${await signer.identity()}\n${endpoints}`).slice(0, 24),
    session({ concurrency, signal, requestId, deadline, onCacheHit, onAnswer }) {
      // Made when the first call comes: many operations make none.
      let limit: LimitFunction | undefined;
      let callCount = 0;
      const onStart = () => {
        callCount += 1;
      };
      return {
        call: <Res>(op: OperationSpec<Res>, input?: CallInput) => {
          limit ??= pLimit(concurrency);
          return limit(async () => {
            if (signal?.aborted) throw new OperationEndedError();
            try {
              return await call(op, input, { signal, requestId, deadline, onStart, onAnswer });
            } catch (err) {
              throw signal?.aborted ? new OperationEndedError() : err;
            }
          });
        },
        get callCount() {
          return callCount;
        },
        onCacheHit,
      };
    },
  };
}
