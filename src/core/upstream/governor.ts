import { ErrorCode, UpstreamError } from '../errors.js';
import type { ProductName } from './products.js';
import { parseActionRules, ruleFor } from './action-rules.js';
import { createMemoryRateLog, type RateLog } from './rate-log.js';

/**
 * The upstream governor: keeps every product/action within its QPS limit (PAI allows about
 * 100 QPS per account for most calls, 10 for creates) and honours PAI's throttling answers.
 *
 * The rate is a sliding log (./rate-log.ts): at most `qps` calls of an action in any window
 * of a second, bursts included. A call holds its place from the moment it is admitted until
 * a second after its answer came back, not after it was sent: PAI counts a request when it
 * arrives, which can be any time between the two, so only this makes "never more than N
 * arrivals in any second" hold whatever the network does (the cost: the rate is N per
 * 1 s + the call's latency). The log lives in this process or, with Redis, is shared by
 * every replica.
 *
 * Calls over the limit wait in a FIFO queue per action (only its head asks the log), but
 * only as long as their operation's deadline allows; a call whose wait cannot fit gets
 * RATE_LIMITED with `retryAfter` and costs nothing upstream. An answer that names a time (a
 * throttling answer, or a 5xx with `Retry-After`) pauses that action for every caller (every
 * replica, with Redis) until then, for at most `maxPauseMs`.
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

interface Waiter {
  readonly deadline: number;
  readonly holdMs: number;
  readonly enqueuedAt: number;
  readonly resolve: (ticket: Ticket) => void;
  readonly reject: (err: UpstreamError) => void;
  timer?: NodeJS.Timeout;
  paused?: boolean;
}

interface ActionState {
  readonly product: ProductName;
  readonly action: string;
  readonly key: string;
  readonly qps: number;
  readonly limit: number;
  readonly windowMs: number;
  readonly queue: Waiter[];
  pumping: boolean;
  /** PAI asked us to hold this action until then (epoch ms), as far as this process knows. */
  pausedUntil: number;
  /** Wakes the pump early (a place freed, a pause changed). */
  wake: (() => void) | undefined;
  /** Something changed while the pump was not asleep: look again before sleeping. */
  poked: boolean;
}

/** A place in the action's log; `done()` when the call's answer is in (or it never went out). */
export interface Ticket {
  done(): void;
}

export interface GovernorOptions {
  readonly rules: readonly QpsRule[];
  /** The longest queue per action, in seconds of its rate (default 10). */
  readonly maxQueueSeconds?: number;
  /** Told about every wait the governor imposes (for metrics). */
  readonly onWait?: (product: ProductName, action: string, ms: number, reason: 'qps' | 'throttled') => void;
  /** The longest one pause may last, whatever the upstream named (UPSTREAM_MAX_PAUSE_MS). */
  readonly maxPauseMs?: number;
  /** Where the log and pauses live (default: this process). */
  readonly log?: RateLog;
}

/** UPSTREAM_MAX_PAUSE_MS's default. */
export const DEFAULT_MAX_PAUSE_MS = 10_000;

/** Added to each second: Date.now's millisecond steps and timers that fire a little early. */
const WINDOW_MARGIN_MS = 10;

/** How long a call may hold its place when the caller does not say (its attempt's time limit). */
const DEFAULT_HOLD_MS = 10_000;

export function createGovernor(options: GovernorOptions) {
  const states = new Map<string, ActionState>();
  const maxQueueSeconds = options.maxQueueSeconds ?? 10;
  const maxPauseMs = options.maxPauseMs ?? DEFAULT_MAX_PAUSE_MS;
  const log = options.log ?? createMemoryRateLog();

  function stateOf(product: ProductName, action: string): ActionState {
    const key = `${product}:${action}`;
    let state = states.get(key);
    if (!state) {
      const qps = qpsFor(options.rules, action) ?? 100;
      // Below 1 QPS: one call per 1/qps seconds.
      const windowMs = (qps >= 1 ? 1000 : Math.ceil(1000 / qps)) + WINDOW_MARGIN_MS;
      state = { product, action, key, qps, limit: Math.max(1, Math.floor(qps)), windowMs, queue: [], pumping: false, pausedUntil: 0, wake: undefined, poked: false };
      states.set(key, state);
    }
    return state;
  }

  const limited = (product: ProductName, action: string, waitMs: number, why: string) =>
    new UpstreamError(ErrorCode.RATE_LIMITED, `${action} is over its ${why}; retry after ${Math.max(1, Math.ceil(waitMs / 1000))} s`, { product, action }, { retryAfterMs: Math.max(1, waitMs) });
  const held = (product: ProductName, action: string, waitMs: number) =>
    new UpstreamError(ErrorCode.RATE_LIMITED, `${product} asked to hold ${action}; retry after ${Math.max(1, Math.ceil(waitMs / 1000))} s`, { product, action }, { retryAfterMs: Math.max(1, waitMs) });
  const overLimit = (s: ActionState, waitMs: number) => limited(s.product, s.action, waitMs, `limit of ${s.qps} calls per second`);

  function remove(state: ActionState, waiter: Waiter): void {
    const at = state.queue.indexOf(waiter);
    if (at >= 0) state.queue.splice(at, 1);
    clearTimeout(waiter.timer);
  }

  /** Turns away, at once, every waiter whose deadline the pause reaches past. */
  function refusePaused(state: ActionState): void {
    const now = Date.now();
    for (const waiter of [...state.queue]) {
      if (state.pausedUntil >= waiter.deadline) {
        remove(state, waiter);
        waiter.reject(held(state.product, state.action, state.pausedUntil - now));
      } else waiter.paused = true;
    }
  }

  function sleep(state: ActionState, ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        if (state.wake === wake) state.wake = undefined;
        resolve();
      };
      const timer = setTimeout(wake, Math.max(0, ms));
      state.wake = wake;
    });
  }

  /** Serves the action's queue in order; only the head asks the log. One pump per action. */
  async function pump(state: ActionState): Promise<void> {
    if (state.pumping) return;
    state.pumping = true;
    try {
      while (state.queue.length) {
        const now = Date.now();
        if (state.pausedUntil > now) {
          refusePaused(state);
          if (state.queue.length) await sleep(state, state.pausedUntil - now);
          continue;
        }
        const head = state.queue[0]!;
        state.poked = false;
        const taken = await log.take(state.key, state.limit, state.windowMs, head.holdMs);
        if (state.queue[0] !== head) continue; // its deadline passed meanwhile
        if (taken.taken) {
          remove(state, head);
          const waited = Date.now() - head.enqueuedAt;
          if (waited > 1) options.onWait?.(state.product, state.action, waited, head.paused ? 'throttled' : 'qps');
          head.resolve({ done: () => finish(state, taken.id) });
          continue;
        }
        if (taken.pausedMs > 0) {
          // Another replica learned a pause.
          state.pausedUntil = Math.max(state.pausedUntil, Date.now() + taken.pausedMs);
          continue;
        }
        // Known not to fit: refused now. A wait that assumes a call in flight takes all its
        // time may end sooner (its answer pokes us), so the head keeps its place until its
        // deadline.
        if (taken.settled && Date.now() + taken.waitMs >= head.deadline) {
          remove(state, head);
          head.reject(overLimit(state, taken.waitMs));
          continue;
        }
        if (state.poked) continue;
        await sleep(state, Math.min(taken.waitMs, log.pollMs, Math.max(0, head.deadline - Date.now())));
      }
    } finally {
      state.pumping = false;
    }
  }

  function poke(state: ActionState): void {
    if (state.wake) state.wake();
    else state.poked = true;
  }

  function finish(state: ActionState, id: string): void {
    log.finish(state.key, id);
    // The place now frees a second from now, maybe sooner than the head was told.
    poke(state);
  }

  return {
    /** The longest pause one upstream answer can impose (ms). */
    maxPauseMs,

    /**
     * Resolves when a call of `action` may start: after any pause PAI asked for and inside the
     * QPS limit; the ticket must be `done()` when the call's answer is in. Throws RATE_LIMITED,
     * without spending a place when it can tell in advance, if that cannot happen before
     * `deadline` (epoch ms). `holdMs` is how long the call may take at most.
     */
    admit(product: ProductName, action: string, deadline: number, holdMs: number = DEFAULT_HOLD_MS): Promise<Ticket> {
      const state = stateOf(product, action);
      const now = Date.now();
      if (state.pausedUntil >= deadline) return Promise.reject(held(product, action, state.pausedUntil - now));
      // Calls already queued need at least queued/qps seconds before this one can start.
      const ahead = state.queue.length;
      const estimate = Math.ceil(((ahead + 1) / state.qps) * 1000);
      if (ahead >= state.qps * maxQueueSeconds || (ahead > 0 && now + estimate - 1000 / state.qps >= deadline)) {
        return Promise.reject(overLimit(state, estimate));
      }
      // Nobody queued, nothing paused, a log that answers at once: no queue, no timer.
      if (ahead === 0 && !state.pumping && state.pausedUntil <= now && log.takeNow) {
        const taken = log.takeNow(state.key, state.limit, state.windowMs, holdMs);
        if (taken.taken) return Promise.resolve({ done: () => finish(state, taken.id) });
      }
      return new Promise<Ticket>((resolve, reject) => {
        const waiter: Waiter = { deadline, holdMs, enqueuedAt: now, resolve, reject };
        waiter.timer = setTimeout(() => {
          remove(state, waiter);
          reject(state.pausedUntil > Date.now() ? held(product, action, state.pausedUntil - Date.now()) : overLimit(state, estimate));
        }, Math.max(0, deadline - now));
        state.queue.push(waiter);
        void pump(state);
      });
    },

    /**
     * An upstream answer named a time: hold the action for every caller for `ms`, but at most
     * `maxPauseMs` (a rogue header must not freeze it for minutes), never shortening a longer
     * pause. Returns how long the action is now held (ms).
     */
    pause(product: ProductName, action: string, ms: number): number {
      const state = stateOf(product, action);
      const capped = Math.min(Math.max(0, ms), maxPauseMs);
      const until = Date.now() + capped;
      if (until > state.pausedUntil) {
        state.pausedUntil = until;
        log.pause(state.key, capped);
        // Waiters recheck their deadlines now rather than when the shorter pause would have ended.
        refusePaused(state);
        poke(state);
      }
      return Math.max(0, state.pausedUntil - Date.now());
    },

    /** Forgets all limits' history and pauses (tests). */
    reset(): void {
      for (const state of states.values()) for (const waiter of state.queue) clearTimeout(waiter.timer);
      states.clear();
      log.reset();
    },

    /** The state of every action seen so far (for /readyz and /metrics). */
    snapshot() {
      return [...states.values()].map((s) => ({ key: s.key, qps: s.qps, queued: s.queue.length, pausedForMs: Math.max(0, s.pausedUntil - Date.now()) }));
    },

    /** Where the log lives, and whether a shared one is degraded to this process's share. */
    get mode(): 'memory' | 'shared' | 'degraded' {
      return log.mode();
    },
  };
}

export type Governor = ReturnType<typeof createGovernor>;
