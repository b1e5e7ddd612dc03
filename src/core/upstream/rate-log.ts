import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * The governor's sliding log: per action, the places taken in the last window. A place is
 * taken when a call is admitted, counted until `holdMs` later (the longest the call may take)
 * and, once the call's answer is in, until one window after that answer. Pauses named by PAI
 * live here too, so with Redis every replica sees them.
 *
 * Why a hand-written log rather than a library: rate-limiter-flexible and most Redis limiters
 * count in fixed windows (2N can pass across a boundary) or approximate a sliding window, and
 * spacing (GCRA, Bottleneck's minTime) turns every burst of N into N sequential waits. A
 * sliding log is exact, lets a burst of N through at once, and is a dozen lines of Lua.
 */
/**
 * `waitMs` is exact when `settled` (the oldest place belongs to a call whose answer is in);
 * otherwise it assumes that call takes as long as it may, and a place may free sooner.
 */
export type Take = { readonly taken: true; readonly id: string } | { readonly taken: false; readonly waitMs: number; readonly pausedMs: number; readonly settled: boolean };

export interface RateLog {
  /** Takes a place if fewer than `limit` are counted in the window; else says how long to wait. */
  take(key: string, limit: number, windowMs: number, holdMs: number): Promise<Take>;
  /** The call holding place `id` has its answer: the place counts until one window from now. */
  finish(key: string, id: string): void;
  /** Holds the action for `ms` from now, unless it is held longer already. */
  pause(key: string, ms: number): void;
  /** How often a waiting head asks again at most (other replicas free places without telling us). */
  readonly pollMs: number;
  /** The same as `take`, answered at once, where the log can (in process). */
  readonly takeNow?: (key: string, limit: number, windowMs: number, holdMs: number) => Take;
  mode(): 'memory' | 'shared' | 'degraded';
  reset(): void;
}

export function createMemoryRateLog(now: () => number = Date.now): RateLog & { takeNow(key: string, limit: number, windowMs: number, holdMs: number): Take } {
  interface ActionLog {
    /** Calls without an answer yet: id -> the latest they may still arrive (admission + hold). */
    readonly inFlight: Map<string, number>;
    /** Answer times of finished calls, oldest first (they finish in time order). */
    readonly finished: number[];
    head: number;
  }
  const logs = new Map<string, ActionLog>();
  const pauses = new Map<string, number>();
  let seq = 0;

  function takeNow(key: string, limit: number, windowMs: number, holdMs: number): Take {
    const t = now();
    const pausedMs = (pauses.get(key) ?? 0) - t;
    if (pausedMs > 0) return { taken: false, waitMs: pausedMs, pausedMs, settled: true };
    let log = logs.get(key);
    if (!log) logs.set(key, (log = { inFlight: new Map(), finished: [], head: 0 }));
    // Amortised O(1): drop finished calls a window old from the front.
    while (log.head < log.finished.length && log.finished[log.head]! + windowMs <= t) log.head += 1;
    if (log.head > 1024 && log.head * 2 > log.finished.length) {
      log.finished.splice(0, log.head);
      log.head = 0;
    }
    let counted = log.inFlight.size + log.finished.length - log.head;
    if (counted >= limit) {
      // Only when full: forget calls whose hold ran out a window ago (they never reported).
      for (const [id, until] of log.inFlight) if (until + windowMs <= t) log.inFlight.delete(id);
      counted = log.inFlight.size + log.finished.length - log.head;
    }
    if (counted < limit) {
      seq += 1;
      const id = String(seq);
      log.inFlight.set(id, t + holdMs);
      return { taken: true, id };
    }
    if (log.head < log.finished.length) return { taken: false, waitMs: Math.max(1, log.finished[log.head]! + windowMs - t), pausedMs: 0, settled: true };
    let oldest = Number.POSITIVE_INFINITY;
    for (const until of log.inFlight.values()) oldest = Math.min(oldest, until);
    return { taken: false, waitMs: Math.max(1, oldest + windowMs - t), pausedMs: 0, settled: false };
  }

  return {
    pollMs: Number.POSITIVE_INFINITY,
    takeNow,
    take: (key, limit, windowMs, holdMs) => Promise.resolve(takeNow(key, limit, windowMs, holdMs)),
    finish(key, id) {
      const log = logs.get(key);
      if (!log?.inFlight.delete(id)) return;
      log.finished.push(now());
    },
    pause(key, ms) {
      const until = now() + ms;
      if (until > (pauses.get(key) ?? 0)) pauses.set(key, until);
    },
    mode: () => 'memory',
    reset() {
      logs.clear();
      pauses.clear();
    },
  };
}

// Redis keeps one clock for every replica: its own TIME, in ms.
const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

const TAKE = `${NOW}
local paused = redis.call('PTTL', KEYS[2])
if paused > 0 then return {0, paused, paused, 1} end
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  local hold_until = now + tonumber(ARGV[3])
  redis.call('ZADD', KEYS[1], hold_until, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) + window + 1000)
  return {1, 0, 0, 1}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local at = tonumber(oldest[2])
if at <= now then return {0, math.max(1, at + window - now), 0, 1} end
return {0, math.max(1, at + window - now), 0, 0}`;

const FINISH = `${NOW}
redis.call('ZADD', KEYS[1], 'XX', 'LT', now, ARGV[1])
return 1`;

const PAUSE = `local ms = tonumber(ARGV[1])
if redis.call('PTTL', KEYS[1]) < ms then redis.call('SET', KEYS[1], '1', 'PX', ms) end
return 1`;

interface Scripted {
  paiGraphRateTake(...args: (string | number)[]): Promise<[number, number, number, number]>;
  paiGraphRateFinish(...args: (string | number)[]): Promise<number>;
  paiGraphRatePause(...args: (string | number)[]): Promise<number>;
}

export interface SharedRateLogOptions {
  readonly redis: Redis;
  /** How many replicas share the account (GATEWAY_REPLICAS): each one's share while Redis is down. */
  readonly replicas: number;
  readonly onError?: (operation: 'take' | 'finish' | 'pause', err: Error) => void;
  /** Told when the log switches between shared and this process's share. */
  readonly onModeChange?: (mode: 'shared' | 'degraded') => void;
}

/** While Redis answers, a waiting head asks again this often, so places other replicas free are seen. */
const SHARED_POLL_MS = 25;
/** Consecutive failed takes after which a replica keeps to its own share for a while. */
const FAILURES_BEFORE_FALLBACK = 3;
const FALLBACK_RECHECK_MS = 1000;

/**
 * The log shared by every replica in Redis (one atomic script per take). When Redis fails or
 * is unreachable, each replica falls back to its share, `limit / replicas`, in process, keeps
 * answering, and returns to the shared log by itself once Redis answers again.
 */
export function createSharedRateLog(opts: SharedRateLogOptions): RateLog {
  const { redis, replicas } = opts;
  redis.defineCommand('paiGraphRateTake', { numberOfKeys: 2, lua: TAKE });
  redis.defineCommand('paiGraphRateFinish', { numberOfKeys: 1, lua: FINISH });
  redis.defineCommand('paiGraphRatePause', { numberOfKeys: 1, lua: PAUSE });
  const scripted = redis as unknown as Scripted;
  const local = createMemoryRateLog();
  const replica = randomBytes(6).toString('hex');
  let seq = 0;
  let degraded = false;
  let failures = 0;
  /** After repeated failures, Redis is not asked again before then (epoch ms). */
  let skipUntil = 0;
  const keys = (key: string) => [`pai-graph:gov:{${key}}:log`, `pai-graph:gov:{${key}}:pause`] as const;

  function setDegraded(value: boolean) {
    if (degraded === value) return;
    degraded = value;
    opts.onModeChange?.(value ? 'degraded' : 'shared');
  }

  redis.on('ready', () => {
    failures = 0;
    skipUntil = 0;
    setDegraded(false);
  });
  redis.on('close', () => setDegraded(true));

  const shareOf = (limit: number) => Math.max(1, Math.floor(limit / replicas));

  return {
    get pollMs() {
      return degraded ? Number.POSITIVE_INFINITY : SHARED_POLL_MS;
    },
    async take(key, limit, windowMs, holdMs) {
      if (redis.status === 'ready' && Date.now() >= skipUntil) {
        seq += 1;
        const id = `${replica}:${seq}`;
        const [log, pause] = keys(key);
        try {
          const [taken, waitMs, pausedMs, settled] = await scripted.paiGraphRateTake(log, pause, limit, windowMs, holdMs, id);
          failures = 0;
          setDegraded(false);
          return taken === 1 ? { taken: true, id } : { taken: false, waitMs, pausedMs, settled: settled === 1 };
        } catch (err) {
          opts.onError?.('take', err as Error);
          // A slow answer may still have taken a place in Redis: taking this replica's share
          // on top of it could overspend, so one slow answer only means "ask again soon". A
          // Redis that keeps failing is given up for a while; a lost connection at once.
          failures += 1;
          if (failures < FAILURES_BEFORE_FALLBACK && redis.status === 'ready') return { taken: false, waitMs: SHARED_POLL_MS, pausedMs: 0, settled: false };
          skipUntil = Date.now() + FALLBACK_RECHECK_MS;
        }
      }
      setDegraded(true);
      const fallback = await local.take(key, shareOf(limit), windowMs, holdMs);
      return fallback.taken ? { taken: true, id: `local:${fallback.id}` } : fallback;
    },
    finish(key, id) {
      if (id.startsWith('local:')) return local.finish(key, id.slice(6));
      scripted.paiGraphRateFinish(keys(key)[0], id).catch((err: unknown) => opts.onError?.('finish', err as Error));
    },
    pause(key, ms) {
      // Held here at once; shared with the other replicas when Redis answers.
      local.pause(key, ms);
      if (redis.status !== 'ready') return;
      scripted.paiGraphRatePause(keys(key)[1], ms).catch((err: unknown) => opts.onError?.('pause', err as Error));
    },
    mode: () => (degraded || redis.status !== 'ready' ? 'degraded' : 'shared'),
    reset() {
      local.reset();
    },
  };
}
