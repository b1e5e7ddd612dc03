import { OperationEndedError, UpstreamError } from '../errors.js';
import type { OperationSpec } from './operation.js';
import type { ProductName } from './products.js';

/**
 * What the upstream client tells a caller that asked (`CallOptions.onAnswer`) about the answer
 * each call used: for `extensions.upstream` and trace spans. The client fills an Outcome as the
 * request goes (a read's in-flight entry is its Outcome, so every caller sharing the read sees
 * the same one) and reports once the answer is in.
 */

/** The answer one call used: its own request's, an identical read's in flight, or the read cache's. */
export interface UpstreamAnswer {
  readonly product: ProductName;
  readonly action: string;
  readonly method: string;
  readonly via: 'upstream' | 'coalesced' | 'cache';
  /** HTTP status of the last attempt; undefined when none answered (timeout, reset, open circuit). */
  readonly status: number | undefined;
  /** PAI's RequestId of the answer (body `RequestId`, else header `x-acs-request-id`). */
  readonly requestId: string | undefined;
  /** Attempts the request took (retries = attempts - 1); 0 for an answer from the cache. */
  readonly attempts: number;
  /** Time the request spent waiting for the governor (QPS limits, PAI's pauses). */
  readonly governorWaitMs: number;
  /** performance.now() when the call started and when its answer was in. */
  readonly startedAt: number;
  readonly endedAt: number;
  /** The error's code when the call failed. */
  readonly error: string | undefined;
}

/** What a request learns on its way, for `onAnswer`; a read's in-flight entry carries it for every caller. */
export interface Outcome {
  status: number | undefined;
  requestId: string | undefined;
  attempts: number;
  governorWaitMs: number;
  cached: boolean;
  /** Someone reports on it: the governor wait is timed. */
  timed: boolean;
}

export const newOutcome = (timed: boolean): Outcome => ({ status: undefined, requestId: undefined, attempts: 0, governorWaitMs: 0, cached: false, timed });

/** Waits for a call's answer and tells `onAnswer` about it, success or failure. */
export async function reportAnswer<Res>(answer: Promise<Res>, op: OperationSpec<Res>, outcome: Outcome, joined: boolean, startedAt: number, onAnswer: (answer: UpstreamAnswer) => void): Promise<Res> {
  // Read once the answer is in: only then is it known whether it came from the cache.
  const report = (status: number | undefined, requestId: string | undefined, error: string | undefined) =>
    onAnswer({ product: op.product, action: op.action, method: op.method, via: outcome.cached ? 'cache' : joined ? 'coalesced' : 'upstream', status, requestId, attempts: outcome.attempts, governorWaitMs: outcome.governorWaitMs, startedAt, endedAt: performance.now(), error });
  let value: Res;
  try {
    value = await answer;
  } catch (err) {
    if (err instanceof UpstreamError) report(err.upstream.status, err.upstream.requestId, err.code);
    else if (err instanceof OperationEndedError) report(undefined, undefined, 'OPERATION_ENDED');
    throw err;
  }
  report(outcome.status, outcome.requestId, undefined);
  return value;
}

