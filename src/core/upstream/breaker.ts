import CircuitBreaker from 'opossum';
import { ErrorCode, UpstreamError } from '../errors.js';
import { PRODUCT_NAMES, type ProductName } from './products.js';

/**
 * One circuit breaker per PAI product (opossum). Sustained outages (timeouts, unreachable
 * hosts, 5xx) open it; while open, calls fail fast with UPSTREAM_UNAVAILABLE instead of
 * queueing on a dead product; after `resetTimeoutMs` one probe call is let through
 * (half-open) and its outcome closes or reopens it. Throttling, 4xx answers and contract
 * errors never count: the product is up and answering.
 */

export interface BreakerOptions {
  /** Failure percentage within the rolling window that opens the breaker. */
  readonly errorThresholdPercentage: number;
  /** Calls the rolling window must hold before the percentage counts. */
  readonly volumeThreshold: number;
  readonly rollingWindowMs: number;
  /** How long the breaker stays open before a probe. */
  readonly resetTimeoutMs: number;
}

export const DEFAULT_BREAKER: BreakerOptions = { errorThresholdPercentage: 50, volumeThreshold: 10, rollingWindowMs: 10_000, resetTimeoutMs: 10_000 };

/** Failures that say a product is unwell. */
export const isOutage = (error: unknown): boolean =>
  error instanceof UpstreamError &&
  (error.code === ErrorCode.UPSTREAM_TIMEOUT || error.code === ErrorCode.UPSTREAM_UNAVAILABLE || (error.code === ErrorCode.UPSTREAM_ERROR && (error.upstream.status ?? 0) >= 500));

export type BreakerState = 'closed' | 'open' | 'halfOpen';

export function createBreakers(overrides: Partial<BreakerOptions> = {}, onStateChange?: (product: ProductName, state: BreakerState) => void) {
  const o = { ...DEFAULT_BREAKER, ...overrides };
  const breakers = new Map<ProductName, CircuitBreaker<[() => Promise<unknown>], unknown>>();
  for (const product of PRODUCT_NAMES) {
    const breaker = new CircuitBreaker((fn: () => Promise<unknown>) => fn(), {
      timeout: false, // the upstream client enforces its own timeouts
      errorThresholdPercentage: o.errorThresholdPercentage,
      volumeThreshold: o.volumeThreshold,
      rollingCountTimeout: o.rollingWindowMs,
      resetTimeout: o.resetTimeoutMs,
      errorFilter: (err: unknown) => !isOutage(err),
    });
    breaker.on('open', () => onStateChange?.(product, 'open'));
    breaker.on('halfOpen', () => onStateChange?.(product, 'halfOpen'));
    breaker.on('close', () => onStateChange?.(product, 'closed'));
    breakers.set(product, breaker);
  }
  const stateOf = (b: CircuitBreaker<[() => Promise<unknown>], unknown>): BreakerState => (b.opened ? 'open' : b.halfOpen ? 'halfOpen' : 'closed');

  return {
    async run<T>(product: ProductName, action: string, fn: () => Promise<T>): Promise<T> {
      const breaker = breakers.get(product)!;
      try {
        return (await breaker.fire(fn)) as T;
      } catch (err) {
        if ((err as { code?: string }).code === 'EOPENBREAKER') {
          const open = new UpstreamError(ErrorCode.UPSTREAM_UNAVAILABLE, `${product} is failing; pai-graph stopped calling it for a while (circuit open), so ${action} was not sent`, { product, action }, { retryAfterMs: o.resetTimeoutMs });
          (open.extensions as Record<string, unknown>).circuitOpen = true;
          throw open;
        }
        throw err;
      }
    },
    state: (product: ProductName): BreakerState => stateOf(breakers.get(product)!),
    snapshot: () => Object.fromEntries(PRODUCT_NAMES.map((p) => [p, stateOf(breakers.get(p)!)])) as Record<ProductName, BreakerState>,
    /** Closes every breaker and forgets its statistics (tests). */
    reset(): void {
      for (const b of breakers.values()) {
        b.close();
      }
    },
    /** Stops the breakers' timers (for shutdown and tests). */
    shutdown(): void {
      for (const b of breakers.values()) b.shutdown();
    },
  };
}
