import { jest } from '@jest/globals';
import type { Writable } from 'node:stream';
import { z } from 'zod';
import { UpstreamError } from '../../src/core/errors.js';
import { createLogger } from '../../src/core/logger.js';
import { Secret } from '../../src/core/secret.js';
import { createUpstreamClient, type UpstreamClient } from '../../src/core/upstream/client.js';
import { createGovernor, DEFAULT_QPS_LIMITS, parseQpsLimits } from '../../src/core/upstream/governor.js';
import { defineOperation, type OperationSpec } from '../../src/core/upstream/operation.js';
import { PRODUCT_NAMES, type ProductName } from '../../src/core/upstream/products.js';
import { createBearerSigner } from '../../src/core/upstream/signer.js';

/**
 * The real upstream client (ky, p-throttle, opossum, the governor) over a scripted fetch, on
 * jest's fake clock. All of them read time through Date.now/performance.now and wait with
 * setTimeout/setInterval, which the fake clock replaces, and the scripted fetch does no I/O,
 * so every run takes the same virtual time however busy the machine is.
 */

/** Virtual epoch of every test: a whole second, so HTTP dates (1 s resolution) are exact. */
export const T0 = Date.parse('2025-03-01T00:00:00.000Z');

/** Virtual milliseconds since T0. */
export const clock = () => Date.now() - T0;

export function useVirtualClock(): void {
  // nextTick, microtasks and setImmediate stay real: Node's streams (Response.text) use them,
  // and the fake clock's async advance yields to them between timers.
  jest.useFakeTimers({ now: T0, doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] });
}

/** Moves the virtual clock to `t` ms after T0, running every timer due on the way. */
export async function advanceTo(t: number): Promise<void> {
  await jest.advanceTimersByTimeAsync(Math.max(0, t - clock()));
}

/** One scripted upstream answer. */
export type Scripted =
  | { status: number; headers?: Record<string, string>; body?: unknown; raw?: string; afterMs?: number }
  | { hang: true }
  | { reset: true };

export interface SentCall {
  action: string;
  method: string;
  requestId: string;
  at: number;
  /** Order of sends and answers together, for events at the same virtual millisecond. */
  seq: number;
}

export interface AnsweredCall {
  action: string;
  requestId: string;
  at: number;
  seq: number;
  status: number;
  headers: Record<string, string>;
  code: string | undefined;
}

/** A fetch that answers each action from its script (then 200), and records when. */
export function scriptedUpstream() {
  const scripts = new Map<string, Scripted[]>();
  const sent: SentCall[] = [];
  const answered: AnsweredCall[] = [];
  let seq = 0;
  const fetch = (async (input: Request | string | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const action = request.headers.get('x-acs-action') ?? '';
    const requestId = request.headers.get('x-request-id') ?? '';
    sent.push({ action, method: request.method, requestId, at: clock(), seq: (seq += 1) });
    const answer = scripts.get(action)?.shift() ?? { status: 200 };
    if ('hang' in answer) {
      return new Promise<Response>((_, reject) => request.signal.addEventListener('abort', () => reject(request.signal.reason as Error), { once: true }));
    }
    if ('reset' in answer) throw new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
    if (answer.afterMs) await new Promise((resolve) => setTimeout(resolve, answer.afterMs));
    const upstreamId = `UP-${sent.length}`;
    const body = answer.body ?? (answer.status < 400 ? { RequestId: upstreamId } : { RequestId: upstreamId, Code: answer.status === 429 ? 'Throttling.User' : 'ServiceUnavailable', Message: 'scripted' });
    answered.push({ action, requestId, at: clock(), seq: (seq += 1), status: answer.status, headers: answer.headers ?? {}, code: (body as { Code?: string }).Code });
    return new Response(answer.raw ?? JSON.stringify(body), { status: answer.status, headers: { 'content-type': 'application/json', 'x-acs-request-id': upstreamId, ...answer.headers } });
  }) as typeof globalThis.fetch;
  return {
    fetch,
    sent,
    answered,
    /** Appends answers for the next calls of `action`. */
    script(action: string, ...answers: Scripted[]) {
      scripts.set(action, [...(scripts.get(action) ?? []), ...answers]);
    },
    /** Virtual send times of `action`. */
    times: (action: string) => sent.filter((c) => c.action === action).map((c) => c.at),
  };
}

export type ScriptedUpstream = ReturnType<typeof scriptedUpstream>;

const Ack = z.object({ RequestId: z.string() });

/** Operations shaped like PAI's: reads are GETs (retried), creates POSTs (not). */
export const OPS = {
  ListModels: defineOperation({ product: 'AIWorkSpace', action: 'ListModels', method: 'GET', path: '/api/v1/models', response: Ack }),
  GetModel: defineOperation({ product: 'AIWorkSpace', action: 'GetModel', method: 'GET', path: '/api/v1/models/{ModelId}', response: Ack }),
  CreateModel: defineOperation({ product: 'AIWorkSpace', action: 'CreateModel', method: 'POST', path: '/api/v1/models', response: Ack }),
  ListAlgorithms: defineOperation({ product: 'PaiStudio', action: 'ListAlgorithms', method: 'GET', path: '/api/v1/algorithms', response: Ack }),
  ListTensorboards: defineOperation({ product: 'pai-dlc', action: 'ListTensorboards', method: 'GET', path: '/api/v1/tensorboards', response: Ack }),
  ListOnlineEvalTasks: defineOperation({ product: 'PaiLLMTrace', action: 'ListOnlineEvalTasks', method: 'GET', path: '/api/v1/PAILLMTrace/onlineevaltasks', response: Ack, errorInBody: true }),
} satisfies Record<string, OperationSpec<unknown>>;

/** The upstream client over a scripted upstream; `close()` stops the breakers' timers. */
export function virtualClient(opts: { maxPauseMs?: number; timeoutMs?: number; qpsLimits?: string } = {}) {
  const upstream = scriptedUpstream();
  const logs: string[] = [];
  const destination = { write: (line: string) => void logs.push(line) } as unknown as Writable;
  const client: UpstreamClient = createUpstreamClient({
    origins: Object.fromEntries(PRODUCT_NAMES.map((p) => [p, 'https://pai.invalid'])) as Record<ProductName, string>,
    signer: createBearerSigner({ kind: 'bearer', apiKey: new Secret('sk-virtual-0123456789') }),
    timeoutMs: opts.timeoutMs ?? 1000,
    logger: createLogger({ level: 'debug', destination }),
    governor: createGovernor({ rules: parseQpsLimits(opts.qpsLimits ?? DEFAULT_QPS_LIMITS), ...(opts.maxPauseMs ? { maxPauseMs: opts.maxPauseMs } : {}) }),
    breaker: { volumeThreshold: 10_000 },
    fetch: upstream.fetch,
  });
  return { client, upstream, logs, close: () => client.breakers.shutdown() };
}

/** How one call ended, in virtual time. */
export interface Outcome {
  requestId: string;
  action: string;
  startedAt: number;
  deadline: number;
  settledAt?: number;
  error?: UpstreamError;
  /** Anything thrown that is not a typed upstream error (a bug). */
  unexpected?: unknown;
  ok?: boolean;
}

/**
 * Starts a call now with `deadlineMs` to finish; the outcome fills in when it settles. Each
 * call reads its own resource (named after `requestId`), so identical reads are not shared
 * and every call is a caller of its own.
 */
export function start(client: UpstreamClient, op: OperationSpec<unknown>, deadlineMs: number, requestId: string): Outcome {
  const outcome: Outcome = { requestId, action: op.action, startedAt: clock(), deadline: clock() + deadlineMs };
  const input = op.path.includes('{ModelId}') ? { path: { ModelId: `model-${requestId}` } } : { query: { Caller: requestId } };
  client.call(op, input, { deadline: Date.now() + deadlineMs, requestId }).then(
    () => {
      outcome.ok = true;
      outcome.settledAt = clock();
    },
    (err: unknown) => {
      if (err instanceof UpstreamError) outcome.error = err;
      else outcome.unexpected = err;
      outcome.settledAt = clock();
    },
  );
  return outcome;
}
