import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { FeedCoordinator, SharedUpdate } from './feeds.js';

/**
 * One poll loop per resource across all replicas, in Redis. A replica with subscribers to a
 * resource tries, once per interval, to take the resource's lease (SET NX PX) or renew it if it
 * holds it; the holder polls, keeps the latest state under the resource (so a replica whose
 * first subscriber arrives reads it instead of polling) and publishes each change on one
 * channel that every replica listens to. A holder that dies stops renewing: its lease expires
 * after three intervals and the next replica to ask takes over. A holder whose last subscriber
 * leaves gives the lease up at once.
 *
 * Names are kept apart by the upstream client's namespace (a digest of its credential and
 * endpoints): gateways of different accounts or regions sharing one Redis never take each
 * other's leases or see each other's resources.
 *
 *   pai-graph:feed:{ns:name}:lease   the holder's id, PX 3 intervals
 *   pai-graph:feed:{ns:name}:last    the latest state (JSON), PX 3 intervals, refreshed every poll
 *   pai-graph:feeds                  the channel of changes: {from, ns, name, update}
 *
 * While Redis does not answer, every replica polls for itself (as without REDIS_URL): a
 * subscription never waits on Redis.
 */

const CHANNEL = 'pai-graph:feeds';
const leaseKey = (ns: string, name: string) => `pai-graph:feed:{${ns}:${name}}:lease`;
const lastKey = (ns: string, name: string) => `pai-graph:feed:{${ns}:${name}}:last`;

// Renews a lease only for its holder: another replica's lease is never extended or dropped.
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

interface Scripted {
  paiGraphFeedRenew(key: string, holder: string, ttlMs: number): Promise<number>;
  paiGraphFeedRelease(key: string, holder: string): Promise<number>;
}

interface Message {
  readonly from: string;
  readonly ns: string;
  readonly name: string;
  readonly update: SharedUpdate;
}

export function createRedisFeedCoordinator(opts: {
  redis: Redis;
  logger: Logger;
  /** The upstream client's namespace (see UpstreamClient.namespace). */
  namespace: () => Promise<string>;
  onError?: (operation: string, err: Error) => void;
}): FeedCoordinator {
  const { redis, logger } = opts;
  const me = randomUUID();
  /** The namespace as last resolved: messages of any other are not ours. */
  let current: string | undefined;
  const namespace = async () => (current = await opts.namespace());
  redis.defineCommand('paiGraphFeedRenew', { numberOfKeys: 1, lua: RENEW });
  redis.defineCommand('paiGraphFeedRelease', { numberOfKeys: 1, lua: RELEASE });
  const scripted = redis as unknown as Scripted;
  // Subscribing takes a connection of its own.
  const subscriber = redis.duplicate();
  subscriber.on('error', () => undefined); // the main connection already logs Redis going away
  const subscribe = () => void subscriber.subscribe(CHANNEL).catch((err: Error) => opts.onError?.('feed_subscribe', err));
  subscriber.on('ready', subscribe);
  if (subscriber.status === 'ready') subscribe();
  const listeners: ((name: string, update: SharedUpdate) => void)[] = [];
  subscriber.on('message', (channel: string, text: string) => {
    if (channel !== CHANNEL) return;
    let message: Message;
    try {
      message = JSON.parse(text) as Message;
    } catch {
      return;
    }
    if (message.from === me || message.ns !== current || typeof message.name !== 'string' || !message.update) return;
    for (const listener of listeners) listener(message.name, message.update);
  });

  const failed = (operation: string, err: unknown) => {
    opts.onError?.(operation, err as Error);
    logger.debug({ operation, err: { name: (err as Error).name, message: (err as Error).message } }, 'redis unavailable for subscriptions: polling here');
  };
  const ready = () => redis.status === 'ready';

  return {
    async hold(name, ttlMs) {
      if (!ready()) return true;
      try {
        const ns = await namespace();
        if ((await redis.set(leaseKey(ns, name), me, 'PX', ttlMs, 'NX')) === 'OK') return true;
        return (await scripted.paiGraphFeedRenew(leaseKey(ns, name), me, ttlMs)) === 1;
      } catch (err) {
        failed('feed_lease', err);
        return true;
      }
    },
    async release(name) {
      if (!ready()) return;
      try {
        await scripted.paiGraphFeedRelease(leaseKey(await namespace(), name), me);
      } catch (err) {
        failed('feed_release', err);
      }
    },
    async share(name, update, ttlMs, changed) {
      if (!ready()) return;
      try {
        const ns = await namespace();
        const tx = redis.multi();
        if ('gone' in update) tx.del(lastKey(ns, name));
        else tx.set(lastKey(ns, name), JSON.stringify(update), 'PX', ttlMs);
        if (changed) tx.publish(CHANNEL, JSON.stringify({ from: me, ns, name, update } satisfies Message));
        await tx.exec();
      } catch (err) {
        failed('feed_share', err);
      }
    },
    async last(name) {
      if (!ready()) return undefined;
      try {
        const text = await redis.get(lastKey(await namespace(), name));
        return text ? (JSON.parse(text) as SharedUpdate) : undefined;
      } catch (err) {
        failed('feed_last', err);
        return undefined;
      }
    },
    listen(listener) {
      listeners.push(listener);
    },
    async close() {
      subscriber.disconnect();
    },
  };
}
