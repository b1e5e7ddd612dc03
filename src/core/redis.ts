import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * Redis timeouts: a shared store must never make a GraphQL operation wait on a dead
 * connection. Commands fail at once while disconnected (no offline queue) and after
 * COMMAND_TIMEOUT_MS otherwise; callers treat a failure as "not shared this time".
 */
export const REDIS_COMMAND_TIMEOUT_MS = 250;
const CONNECT_TIMEOUT_MS = 1000;
const RECONNECT_CAP_MS = 2000;

/**
 * The Redis client (ioredis: kept, scriptable, reconnects by itself) for everything several
 * replicas must agree on. Connection changes are logged once each, not once per retry.
 */
export function createRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: CONNECT_TIMEOUT_MS,
    retryStrategy: (times) => Math.min(100 * times, RECONNECT_CAP_MS),
    lazyConnect: false,
  });
  // The URL may carry a password: log where it points, never the URL itself.
  const where = (() => {
    try {
      const u = new URL(url);
      return `${u.hostname}:${u.port || 6379}`;
    } catch {
      return 'redis';
    }
  })();
  let up: boolean | undefined;
  redis.on('ready', () => {
    if (up !== true) logger.info({ redis: where }, 'redis connected');
    up = true;
  });
  redis.on('error', (err: Error) => {
    if (up !== false) logger.warn({ redis: where, err: { name: err.name, message: err.message } }, 'redis unavailable: shared state falls back until it is back');
    up = false;
  });
  return redis;
}
