import pThrottle from 'p-throttle';
import { ErrorCode, UpstreamError } from '../errors.js';
import type { ProductName } from './products.js';
import { parseActionRules, ruleFor } from './action-rules.js';

/**
 * The upstream governor: keeps every product/action within its QPS limit (PAI allows about
 * 100 QPS per account for most calls, 10 for creates) and honours PAI's throttling answers.
 *
 * The rate itself is p-throttle's strict algorithm (a sliding log: never more than `qps`
 * calls start in any 1-second window, bursts included). Calls over the limit wait in a
 * bounded queue, but only as long as their operation's deadline allows; a call whose wait
 * cannot fit gets RATE_LIMITED with `retryAfter` and costs nothing upstream. An answer
 * that names a time (a throttling answer, or a 5xx with `Retry-After`) pauses that action
 * for every caller until then, for at most `maxPauseMs`.
 */

/** The documented limits: 100 QPS per user for most calls, 10 for creates. */
export const DEFAULT_QPS_LIMITS = '*=100,Create*=10';

export interface QpsRule {
  readonly pattern: string;
  readonly qps: number;
}

/**
 * Parses `PAI_QPS_LIMITS`: comma-separated `Action=qps` with `*` wildcards, e.g.
 * `*=100,Create*=10,GetModel=20`. Throws a one-line Error naming the bad entry.
 */
export function parseQpsLimits(text: string): QpsRule[] {
  return parseActionRules(text, (qps) => qps > 0 && qps <= 10_000, 'a rate above 0 and at most 10000').map((r) => ({ pattern: r.pattern, qps: r.value }));
}

/** The rule for an action: an exact name wins, then the pattern with the most literal characters. */
export function qpsFor(rules: readonly QpsRule[], action: string): number | undefined {
  return ruleFor(rules, action)?.qps;
}

interface ActionState {
  readonly qps: number;
  /** A slot in the sliding window; resolves when this call may start. */
  readonly slot: (() => Promise<void>) & { readonly queueSize: number };
  /** PAI asked us to hold this action until then (epoch ms). */
  pausedUntil: number;
  /** Callers waiting out the pause, woken when it grows so each can recheck its deadline. */
  readonly pauseWaiters: Set<() => void>;
  /** Actual start times inside the current window: a guard for timers that fire late. */
  readonly starts: number[];
  readonly limit: number;
  readonly interval: number;
}

export interface GovernorOptions {
  readonly rules: readonly QpsRule[];
  /** The longest queue per action, in seconds of its rate (default 10). */
  readonly maxQueueSeconds?: number;
  /** Told about every wait the governor imposes (for metrics). */
  readonly onWait?: (product: ProductName, action: string, ms: number, reason: 'qps' | 'throttled') => void;
  /** The longest one pause may last, whatever the upstream named (UPSTREAM_MAX_PAUSE_MS). */
  readonly maxPauseMs?: number;
}

/** UPSTREAM_MAX_PAUSE_MS's default. */
export const DEFAULT_MAX_PAUSE_MS = 10_000;

const WINDOW_MARGIN = 1.02;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

export function createGovernor(options: GovernorOptions) {
  const states = new Map<string, ActionState>();
  const maxQueueSeconds = options.maxQueueSeconds ?? 10;
  const maxPauseMs = options.maxPauseMs ?? DEFAULT_MAX_PAUSE_MS;

  function stateOf(product: ProductName, action: string): ActionState {
    const key = `${product}:${action}`;
    let state = states.get(key);
    if (!state) {
      const qps = qpsFor(options.rules, action) ?? 100;
      // A 2% margin on the window absorbs network jitter between our start and PAI's count.
      const interval = (Math.floor(qps) >= 1 ? 1000 : Math.ceil(1000 / qps)) * WINDOW_MARGIN;
      const limit = Math.max(1, Math.floor(qps));
      state = { qps, limit, interval, starts: [], slot: pThrottle({ limit, interval, strict: true })(async () => undefined), pausedUntil: 0, pauseWaiters: new Set() };
      states.set(key, state);
    }
    return state;
  }

  const limited = (product: ProductName, action: string, waitMs: number, why: string) =>
    new UpstreamError(ErrorCode.RATE_LIMITED, `${action} is over its ${why}; retry after ${Math.max(1, Math.ceil(waitMs / 1000))} s`, { product, action }, { retryAfterMs: Math.max(1, waitMs) });
  const held = (product: ProductName, action: string, waitMs: number) =>
    new UpstreamError(ErrorCode.RATE_LIMITED, `${product} asked to hold ${action}; retry after ${Math.max(1, Math.ceil(waitMs / 1000))} s`, { product, action }, { retryAfterMs: Math.max(1, waitMs) });

  /**
   * Waits until the action's pause is over. Throws RATE_LIMITED as soon as the pause reaches
   * past `deadline`, also when an answer lengthens the pause while this caller waits, so
   * nobody waits for a start that cannot come in time.
   */
  async function waitOutPause(state: ActionState, product: ProductName, action: string, deadline: number): Promise<void> {
    const started = Date.now();
    for (;;) {
      const now = Date.now();
      const pause = state.pausedUntil - now;
      if (pause <= 0) break;
      if (now + pause >= deadline) throw held(product, action, pause);
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          state.pauseWaiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, pause);
        state.pauseWaiters.add(wake);
      });
    }
    const waited = Date.now() - started;
    if (waited > 0) options.onWait?.(product, action, waited, 'throttled');
  }

  /**
   * Waits for a place inside the QPS limit and takes it, or throws RATE_LIMITED if none comes
   * before `deadline`. False when a pause began meanwhile: the place is given up, which only
   * leaves the rate lower.
   */
  async function takeSlot(state: ActionState, product: ProductName, action: string, deadline: number): Promise<boolean> {
    // Calls already queued need at least queued/qps seconds before this one can start.
    const ahead = state.slot.queueSize;
    const estimate = Math.ceil(((ahead + 1) / state.qps) * 1000);
    if (ahead >= state.qps * maxQueueSeconds || (ahead > 0 && Date.now() + estimate - 1000 / state.qps >= deadline)) {
      throw limited(product, action, estimate, `limit of ${state.qps} calls per second`);
    }
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const inTime = await Promise.race([
      state.slot().then(() => true),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()));
      }),
    ]);
    clearTimeout(timer);
    // A slot that arrives after its caller gave up starts nothing upstream.
    if (!inTime) throw limited(product, action, estimate, `limit of ${state.qps} calls per second`);
    // p-throttle schedules each slot when it is asked for; a timer that fires late (a busy
    // event loop) could bunch starts. Check the real start times before letting one go.
    for (;;) {
      const now = Date.now();
      while (state.starts.length && now - state.starts[0]! >= state.interval) state.starts.shift();
      if (state.starts.length < state.limit) break;
      const wait = state.starts[0]! + state.interval - now;
      if (now + wait >= deadline) throw limited(product, action, wait, `limit of ${state.qps} calls per second`);
      await sleep(wait);
    }
    if (state.pausedUntil > Date.now()) return false;
    state.starts.push(Date.now());
    const waited = Date.now() - started;
    if (waited > 1) options.onWait?.(product, action, waited, 'qps');
    return true;
  }

  return {
    /** The longest pause one upstream answer can impose (ms). */
    maxPauseMs,

    /**
     * Resolves when a call of `action` may start: after any pause PAI asked for and inside the
     * QPS limit. Throws RATE_LIMITED, without spending a slot when it can tell in advance,
     * if that cannot happen before `deadline` (epoch ms).
     */
    async admit(product: ProductName, action: string, deadline: number): Promise<void> {
      const state = stateOf(product, action);
      // A pause that began while this call queued for its slot holds it too.
      for (;;) {
        await waitOutPause(state, product, action, deadline);
        if (await takeSlot(state, product, action, deadline)) return;
      }
    },

    /**
     * An upstream answer named a time: hold the action for every caller for `ms`, but at most
     * `maxPauseMs` (a rogue header must not freeze it for minutes), never shortening a longer
     * pause. Returns how long the action is now held (ms).
     */
    pause(product: ProductName, action: string, ms: number): number {
      const state = stateOf(product, action);
      const until = Date.now() + Math.min(Math.max(0, ms), maxPauseMs);
      if (until > state.pausedUntil) {
        state.pausedUntil = until;
        // Waiters recheck their deadlines now rather than when the shorter pause would have ended.
        for (const wake of [...state.pauseWaiters]) wake();
      }
      return Math.max(0, state.pausedUntil - Date.now());
    },

    /** Forgets all limits' history and pauses (tests). */
    reset(): void {
      states.clear();
    },

    /** The state of every action seen so far (for /readyz and /metrics). */
    snapshot() {
      return [...states.entries()].map(([key, s]) => ({ key, qps: s.qps, queued: s.slot.queueSize, pausedForMs: Math.max(0, s.pausedUntil - Date.now()) }));
    },
  };
}

export type Governor = ReturnType<typeof createGovernor>;
