import { hash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ReadCacheStore } from './read-cache.js';

/**
 * The read cache shared by every replica through Redis. All keys of one scope (credential and
 * product) share a hash tag, so they live in one slot and each script touches one node.
 *
 *   pai-graph:rc:{scope}:gen       the scope's write generation (INCR on every write)
 *   pai-graph:rc:{scope}:e:<sha1>  one entry: the parsed body as JSON, with a TTL
 *   pai-graph:rc:{scope}:t:<tag>   a set of the entry keys carrying that tag, expiring with them
 *
 * Storing is one script that checks the generation first, so a read that raced a write in
 * any replica is not stored; invalidating is one script that bumps the generation and drops
 * every entry of the tags. Both are atomic.
 */

const STORE = `
local generation = redis.call('GET', KEYS[1]) or '0'
if generation ~= ARGV[1] then return 0 end
local ttl = tonumber(ARGV[3])
redis.call('SET', KEYS[2], ARGV[2], 'PX', ttl)
for i = 3, #KEYS do
  redis.call('SADD', KEYS[i], KEYS[2])
  if redis.call('PTTL', KEYS[i]) < ttl then redis.call('PEXPIRE', KEYS[i], ttl) end
end
return 1
`;

const INVALIDATE = `
redis.call('INCR', KEYS[1])
for i = 2, #KEYS do
  local members = redis.call('SMEMBERS', KEYS[i])
  for j = 1, #members, 500 do
    redis.call('DEL', unpack(members, j, math.min(j + 499, #members)))
  end
  redis.call('DEL', KEYS[i])
end
return 1
`;

interface Scripted {
  paiGraphCacheStore(numKeys: number, ...args: string[]): Promise<number>;
  paiGraphCacheInvalidate(numKeys: number, ...args: string[]): Promise<number>;
}

export interface RedisReadCacheOptions {
  readonly redis: Redis;
  /** Told about each Redis failure (the read then goes upstream; a write's drop is lost). */
  readonly onError: (operation: 'lookup' | 'store' | 'invalidate', err: Error) => void;
}

const sha1 = (s: string) => hash('sha1', s, 'hex');

export function createRedisReadCache({ redis, onError }: RedisReadCacheOptions): ReadCacheStore {
  redis.defineCommand('paiGraphCacheStore', { lua: STORE });
  redis.defineCommand('paiGraphCacheInvalidate', { lua: INVALIDATE });
  const scripted = redis as unknown as Scripted;
  const prefix = (scope: string) => `pai-graph:rc:{${scope}}:`;
  return {
    kind: 'redis',
    async lookup(scope, key) {
      const p = prefix(scope);
      try {
        const [text, generation] = await redis.mget(`${p}e:${sha1(key)}`, `${p}gen`);
        return text != null ? { hit: true, value: JSON.parse(text) as unknown } : { hit: false, generation: generation ?? '0' };
      } catch (err) {
        onError('lookup', err as Error);
        // No generation can match this one, so nothing read now is stored.
        return { hit: false, generation: 'unavailable' };
      }
    },
    async store(scope, key, value, ttlMs, tags, generation) {
      if (generation === 'unavailable') return;
      const p = prefix(scope);
      try {
        await scripted.paiGraphCacheStore(2 + tags.length, `${p}gen`, `${p}e:${sha1(key)}`, ...tags.map((t) => `${p}t:${t}`), generation, JSON.stringify(value), String(ttlMs));
      } catch (err) {
        onError('store', err as Error);
      }
    },
    async invalidate(scope, tags) {
      const p = prefix(scope);
      try {
        await scripted.paiGraphCacheInvalidate(1 + tags.length, `${p}gen`, ...tags.map((t) => `${p}t:${t}`));
      } catch (err) {
        onError('invalidate', err as Error);
      }
    },
    async close() {
      // The client belongs to whoever made it.
    },
  };
}
