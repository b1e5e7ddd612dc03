import DataLoader from 'dataloader';
import { stringify } from 'safe-stable-stringify';
import { ErrorCode, GatewayError } from './errors.js';
import type { Window } from './pagination.js';

/**
 * A per-request loader over an upstream that has no batch read: each distinct key is one
 * upstream call (their concurrency is capped by the request's upstream session), duplicate
 * keys within the request are served from the loader's cache. The batch contract (same
 * length, same order, an Error in the slot of a key that failed) is kept here, once.
 */
export function createKeyedLoader<K, V, C = K>(load: (key: K) => Promise<V>, options: { cacheKeyFn?: (key: K) => C; onHit?: (() => void) | undefined } = {}): DataLoader<K, V, C> {
  return new DataLoader<K, V, C>(
    (keys) => Promise.all(keys.map((key) => load(key).catch(asError))),
    loaderOptions<K, V, C>(options.cacheKeyFn, options.onHit),
  );
}

const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

/** DataLoader's options, built without spreading (loaders are made per request). */
function loaderOptions<K, V, C>(cacheKeyFn: ((key: K) => C) | undefined, onHit: (() => void) | undefined): DataLoader.Options<K, V, C> {
  const options: DataLoader.Options<K, V, C> = {};
  if (cacheKeyFn) options.cacheKeyFn = cacheKeyFn;
  if (onHit) options.cacheMap = new CountingMap<C, Promise<V>>(onHit);
  return options;
}

/**
 * A per-request loader whose keys of one tick are answered together (e.g. one upstream list
 * for many parents): `loadMany` returns a value or an Error per key, in the keys' order. The
 * same batch contract is kept here: a wrong-length answer or a rejection fails each key of the
 * batch with that error, never the others' batches.
 */
export function createBatchLoader<K, V, C = K>(
  loadMany: (keys: readonly K[]) => Promise<readonly (V | Error)[]>,
  options: { cacheKeyFn?: (key: K) => C; onHit?: (() => void) | undefined } = {},
): DataLoader<K, V, C> {
  return new DataLoader<K, V, C>(
    async (keys) => {
      try {
        const values = await loadMany(keys);
        if (values.length !== keys.length) throw new Error(`a batch loader answered ${values.length} values for ${keys.length} keys`);
        return values;
      } catch (err) {
        const error = err instanceof Error ? err : new Error(String(err));
        return keys.map(() => error);
      }
    },
    loaderOptions<K, V, C>(options.cacheKeyFn, options.onHit),
  );
}

/**
 * A loader cache that reports each load it answers without calling upstream (for metrics).
 * It wraps a Map rather than extending it: a `super.get` in a Map subclass is markedly slower,
 * and every load and prime goes through `get`.
 */
class CountingMap<K, V> {
  private readonly map = new Map<K, V>();

  constructor(private readonly onHit: () => void) {}

  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) this.onHit();
    return value;
  }

  set(key: K, value: V): this {
    this.map.set(key, value);
    return this;
  }

  delete(key: K): boolean {
    return this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
  }
}

/** createKeyedLoader with the request's cache-hit hook applied to every loader a domain makes. */
export const loaderFactory =
  (onHit: (() => void) | undefined) =>
  <K, V, C = K>(load: (key: K) => Promise<V>, options?: { cacheKeyFn?: (key: K) => C }): DataLoader<K, V, C> =>
    createKeyedLoader<K, V, C>(load, { cacheKeyFn: options?.cacheKeyFn, onHit });

/**
 * JSON with sorted keys: equal objects give equal cache keys whatever their key order.
 * safe-stable-stringify (deterministic by default; the serializer pino uses) gives what
 * JSON.stringify with every object's keys sorted gives, without copying each object to sort it.
 */
export function stableKey(value: object): string {
  return stringify(value);
}

/**
 * The loader key of a list read `{ ...owner, query, window }`: the same text for equal reads
 * whatever their key order, as stableKey gives, built directly (a nested list is read once per
 * parent, and most carry no filter or order). `owner` names the parent (its ids, which are
 * path segments and hold no control character), '' for a top-level list.
 */
export function listKey(owner: string, query: object | undefined, window: Window): string {
  let filtered = '';
  if (query) {
    for (const field in query) {
      if ((query as Record<string, unknown>)[field] !== undefined) {
        filtered = stableKey(query);
        break;
      }
    }
  }
  return `${owner}\n${window.start}:${window.count}${window.fromEnd ? ':end' : ''}\n${filtered}`;
}

/** A read whose NOT_FOUND answer means "no such object": resolves to null instead. */
export async function orNullIfMissing<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof GatewayError && err.code === ErrorCode.NOT_FOUND) return null;
    throw err;
  }
}
