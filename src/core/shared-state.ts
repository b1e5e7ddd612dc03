import { hash } from 'node:crypto';
import type { ApolloServerOptions, BaseContext } from '@apollo/server';
import type { Redis } from 'ioredis';
import { createCallerBudgets, type CallerBudgets, type ThrottleStatus } from './plugins/cost.js';

/**
 * Per-caller state every replica must agree on, in Redis: the caller budgets
 * (CALLER_BUDGET) and the automatic persisted queries a client registered on any replica.
 * Each falls back to this process when Redis does not answer, never making a request wait.
 */

/** The cache Apollo's persisted queries take (its KeyValueCache). */
export type DocumentCache = NonNullable<Exclude<ApolloServerOptions<BaseContext>['persistedQueries'], false | undefined>['cache']>;

const sha1 = (s: string) => hash('sha1', s, 'hex');

// A leaky bucket per caller, refilled by `rate` per second, on Redis's clock. Numbers travel
// as strings: Lua would truncate a fractional level returned as a number.
const CHARGE = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local maximum = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'a', 't')
local available = maximum
if state[1] then available = math.min(maximum, tonumber(state[1]) + (now - tonumber(state[2])) / 1000 * rate) end
if available < cost then return {0, tostring(available)} end
available = available - cost
redis.call('HSET', KEYS[1], 'a', tostring(available), 't', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((maximum - available) / rate * 1000) + 1000)
return {1, tostring(available)}`;

interface Scripted {
  paiGraphBudgetCharge(key: string, maximum: number, rate: number, cost: number): Promise<[number, string]>;
}

export interface SharedBudgetOptions {
  readonly redis: Redis;
  readonly maximum: number;
  readonly restoreRate: number;
  /** GATEWAY_REPLICAS: while Redis is down each replica keeps this share of every bucket. */
  readonly replicas: number;
  readonly onError?: (err: Error) => void;
}

/** Caller budgets shared by every replica; while Redis is down, each keeps 1/replicas of them. */
export function createSharedCallerBudgets(opts: SharedBudgetOptions): CallerBudgets {
  opts.redis.defineCommand('paiGraphBudgetCharge', { numberOfKeys: 1, lua: CHARGE });
  const scripted = opts.redis as unknown as Scripted;
  const share = createCallerBudgets({ maximum: Math.max(1, Math.floor(opts.maximum / opts.replicas)), restoreRate: Math.max(1, opts.restoreRate / opts.replicas) });
  const status = (available: number): ThrottleStatus => ({ maximumAvailable: opts.maximum, currentlyAvailable: Math.max(0, Math.floor(available)), restoreRate: opts.restoreRate });
  return {
    full: () => status(opts.maximum),
    async charge(caller, cost) {
      if (opts.redis.status === 'ready') {
        try {
          const [ok, level] = await scripted.paiGraphBudgetCharge(`pai-graph:budget:${sha1(caller)}`, opts.maximum, opts.restoreRate, cost);
          const available = Number(level);
          return ok === 1 ? { ok: true, status: status(available) } : { ok: false, status: status(available), retryAfterSeconds: Math.max(1, Math.ceil((cost - available) / opts.restoreRate)) };
        } catch (err) {
          opts.onError?.(err as Error);
        }
      }
      return share.charge(caller, cost);
    },
  };
}

/**
 * Apollo's automatic persisted queries in Redis, so a query registered on one replica runs by
 * its hash on every other. A failure reads as "not registered": the client sends the query
 * again, as the APQ protocol expects.
 */
export function createSharedDocumentCache(redis: Redis, onError?: (err: Error) => void): DocumentCache {
  const key = (k: string) => `pai-graph:apq:${k}`;
  return {
    async get(k) {
      if (redis.status !== 'ready') return undefined;
      try {
        return (await redis.get(key(k))) ?? undefined;
      } catch (err) {
        onError?.(err as Error);
        return undefined;
      }
    },
    async set(k, value, options) {
      if (redis.status !== 'ready') return;
      try {
        const ttl = options?.ttl;
        if (ttl) await redis.set(key(k), value, 'EX', ttl);
        else await redis.set(key(k), value, 'EX', 24 * 3600);
      } catch (err) {
        onError?.(err as Error);
      }
    },
    async delete(k) {
      if (redis.status !== 'ready') return;
      try {
        await redis.del(key(k));
      } catch (err) {
        onError?.(err as Error);
      }
    },
  };
}
