import { ErrorCode, isGatewayError } from './core/errors.js';
import type { Logger } from './core/logger.js';
import type { UpstreamClient } from './core/upstream/client.js';
import { ModelOps } from './models/index.js';

/** What /readyz answers. */
export interface Readiness {
  readonly ready: boolean;
  readonly body: {
    status: 'ready' | 'not ready';
    upstream: { product: string; action: string; /** `ok`, `throttled`, or the error code of the failed check. */ result: string; requestId?: string | undefined; checkedAt: string; cached: boolean };
    /** Circuit breaker per product, and actions the governor is holding back right now. */
    breakers?: Record<string, string>;
    governor?: { key: string; qps: number; queued: number; pausedForMs: number }[];
    /** With REDIS_URL: `ok` while the QPS limits are shared, `degraded` while this replica keeps to its share. */
    redis?: 'ok' | 'degraded';
  };
}

/**
 * Readiness: can the gateway reach PAI with its credentials? One cheap signed call (a
 * one-item ListModels), whose answer is cached for `ttlMs` (failures for a tenth of it, at
 * least a second) and shared by concurrent probes, so a probe every few seconds spends
 * one upstream call per TTL, not one per probe. Throttling means the credentials were
 * accepted and PAI asked us to slow down: still ready.
 */
export function createReadinessCheck(opts: { upstream: UpstreamClient; ttlMs: number; logger: Logger; now?: () => number }) {
  const now = opts.now ?? Date.now;
  const op = ModelOps.ListModels;
  let cached: { until: number; value: Omit<Readiness, 'body'> & { body: Readiness['body'] } } | undefined;
  let inFlight: Promise<Readiness> | undefined;

  async function probe(): Promise<Readiness> {
    const checkedAt = new Date(now()).toISOString();
    const where = { product: op.product, action: op.action };
    try {
      await opts.upstream.call(op, { query: { PageNumber: 1, PageSize: 1 } }, { fresh: true });
      return { ready: true, body: { status: 'ready', upstream: { ...where, result: 'ok', checkedAt, cached: false } } };
    } catch (err) {
      if (isGatewayError(err) && err.code === ErrorCode.RATE_LIMITED) {
        return { ready: true, body: { status: 'ready', upstream: { ...where, result: 'throttled', checkedAt, cached: false } } };
      }
      const requestId = isGatewayError(err) ? (err.extensions.upstream as { requestId?: string } | undefined)?.requestId : undefined;
      const result = isGatewayError(err) ? `${err.code}: ${err.message}` : 'unexpected error';
      opts.logger.warn({ upstream: { ...where, requestId } }, `readiness check failed: ${result}`);
      return { ready: false, body: { status: 'not ready', upstream: { ...where, result, requestId, checkedAt, cached: false } } };
    }
  }

  const live = (r: Readiness, fromCache: boolean): Readiness => ({
    ...r,
    body: {
      ...r.body,
      upstream: { ...r.body.upstream, cached: fromCache },
      breakers: opts.upstream.breakers.snapshot(),
      governor: opts.upstream.governor.snapshot().filter((g) => g.queued > 0 || g.pausedForMs > 0),
      // Degraded is still ready: the replica answers, within its share of the account.
      ...(opts.upstream.governor.mode === 'memory' ? {} : { redis: opts.upstream.governor.mode === 'degraded' ? ('degraded' as const) : ('ok' as const) }),
    },
  });

  return async function check(): Promise<Readiness> {
    if (cached && now() < cached.until) return live(cached.value, true);
    inFlight ??= probe().then((value) => {
      cached = { until: now() + (value.ready ? opts.ttlMs : Math.max(1000, opts.ttlMs / 10)), value };
      inFlight = undefined;
      return value;
    });
    return live(await inFlight, false);
  };
}
