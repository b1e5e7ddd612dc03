import { LRUCache } from 'lru-cache';
import { parseActionRules, ruleFor, type ActionRule } from './action-rules.js';

/**
 * The opt-in read cache (PAI_CACHE_TTLS): successful upstream reads kept for a few seconds,
 * per credential, so repeated reads of the same resource cost PAI nothing. Entries are found
 * by the exact request (product, action, path and query) and tagged with the resource path
 * they read, so a write can drop exactly what it may have changed:
 *
 * - a read of `/api/v1/models/m1/versions` is tagged `at:/api/v1/models/m1/versions` and
 *   `under:` each of its path prefixes (`/api`, `/api/v1`, `/api/v1/models`, ...);
 * - a write to `/api/v1/models/m1/versions/v2` drops `under:` that path (the resource and
 *   everything below it) and `at:` each ancestor (the version list, the model, the model list,
 *   which show the latest version).
 *
 * ROA paths are hierarchical, so this follows from the path alone and holds for every
 * operation without a table per action. A write also bumps its scope's generation: a read
 * that was in flight when the write happened is not stored, because it may predate the write.
 */

/**
 * A store keeps the body as the operation's schema parsed it (in process as is, in Redis as
 * JSON), never the raw upstream text: what the schema drops (an eval task's model API key)
 * is never kept.
 */
export type Lookup = { readonly hit: true; readonly value: unknown } | { readonly hit: false; readonly generation: string };

/** Where entries live: in this process (LRU) or in Redis (shared by every replica). */
export interface ReadCacheStore {
  readonly kind: 'memory' | 'redis';
  /** The entry, or the scope's write generation to hand back to `store`. */
  lookup(scope: string, key: string): Promise<Lookup>;
  /** Keeps `value` for `ttlMs` unless a write happened in `scope` since `generation`. */
  store(scope: string, key: string, value: unknown, ttlMs: number, tags: readonly string[], generation: string): Promise<void>;
  /** Drops every entry of `scope` carrying one of `tags`, and bumps the scope's generation. */
  invalidate(scope: string, tags: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

/** Parses `PAI_CACHE_TTLS`: `Action=seconds` with `*` wildcards; 0 turns caching off for those actions. */
export function parseCacheTtls(text: string): ActionRule[] {
  return parseActionRules(text, (s) => s >= 0 && s <= 3600, 'a number of seconds from 0 to 3600');
}

/** The TTL of each action (ms; 0: not cached), memoised because it is asked on every read. */
export function createTtlTable(rules: readonly ActionRule[]): (action: string) => number {
  const memo = new Map<string, number>();
  return (action) => {
    let ttl = memo.get(action);
    if (ttl === undefined) {
      ttl = Math.round((ruleFor(rules, action)?.value ?? 0) * 1000);
      memo.set(action, ttl);
    }
    return ttl;
  };
}

/** Whether any action may be cached at all: unset, empty and `*=0` all mean off. */
export const cachingEnabled = (rules: readonly ActionRule[] | undefined): boolean => Boolean(rules?.some((r) => r.value > 0));

function prefixes(path: string): string[] {
  const out: string[] = [];
  let at = path.indexOf('/', 1);
  while (at > 0) {
    out.push(path.slice(0, at));
    at = path.indexOf('/', at + 1);
  }
  return out;
}

/** Tags of a read of `path` (URL-encoded, starting with `/`). */
export function readTags(path: string): string[] {
  return [`at:${path}`, `under:${path}`, ...prefixes(path).map((p) => `under:${p}`)];
}

/**
 * Tags a write to `path` invalidates: the resource, what lies under it, and each ancestor
 * itself; plus every read at or under the `also` paths (see OperationSpec.invalidates).
 */
export function writeTags(path: string, also: readonly string[] = []): string[] {
  return [`under:${path}`, ...prefixes(path).map((p) => `at:${p}`), ...also.map((p) => `under:${p}`)];
}

interface MemoryEntry {
  readonly scope: string;
  readonly value: unknown;
  readonly tags: readonly string[];
}

/**
 * The size an entry counts for against `maxBytes`: its key, tags and value as JSON, in UTF-16
 * code units (what V8 keeps a string in at worst). The parsed value itself takes a few times
 * that; a count of entries alone says nothing, as a page of 100 models is a thousand times
 * one model.
 */
export function entrySize(key: string, value: unknown, tags: readonly string[]): number {
  let size = key.length + (JSON.stringify(value)?.length ?? 0);
  for (const tag of tags) size += tag.length;
  return size * 2;
}

/**
 * The in-process store: lru-cache bounded by `maxEntries` and, when given, by `maxBytes` of
 * entries (see entrySize; one larger than that is not kept), each entry with its own TTL;
 * least recently used entries go first. An invalidation walks the entries once (linear in the
 * cache's size, and writes are rare next to reads: PAI allows 10 creates per second).
 */
export function createMemoryReadCache(opts: { maxEntries: number; maxBytes?: number | undefined; now?: () => number }): ReadCacheStore {
  const { maxBytes } = opts;
  const lru = new LRUCache<string, MemoryEntry>({ max: opts.maxEntries, ...(maxBytes ? { maxSize: maxBytes } : {}), ...(opts.now ? { perf: { now: opts.now } } : {}) });
  const generations = new Map<string, number>();
  const generationOf = (scope: string) => String(generations.get(scope) ?? 0);
  return {
    kind: 'memory',
    lookup(scope, key) {
      const entry = lru.get(`${scope}\n${key}`);
      return Promise.resolve(entry ? { hit: true, value: entry.value } : { hit: false, generation: generationOf(scope) });
    },
    store(scope, key, value, ttlMs, tags, generation) {
      if (generationOf(scope) !== generation) return Promise.resolve();
      const entryKey = `${scope}\n${key}`;
      // An entry over maxBytes is not kept (and drops the one it would have replaced).
      lru.set(entryKey, { scope, value, tags }, maxBytes ? { ttl: ttlMs, size: entrySize(entryKey, value, tags) } : { ttl: ttlMs });
      return Promise.resolve();
    },
    invalidate(scope, tags) {
      generations.set(scope, (generations.get(scope) ?? 0) + 1);
      const dropped = new Set(tags);
      const doomed: string[] = [];
      for (const [key, entry] of lru.entries()) if (entry.scope === scope && entry.tags.some((t) => dropped.has(t))) doomed.push(key);
      for (const key of doomed) lru.delete(key);
      return Promise.resolve();
    },
    close() {
      lru.clear();
      return Promise.resolve();
    },
  };
}
