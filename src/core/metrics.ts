import type { ApolloServerPlugin } from '@apollo/server';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CallEvents } from './upstream/client.js';
import type { ProductName } from './upstream/products.js';

/**
 * Prometheus metrics (prom-client) for /metrics: GraphQL operations by name and outcome with
 * latency, upstream calls by product, action and status with latency and answer size,
 * retries, governor waits, breaker state and loader cache hits. One registry per server, so
 * tests and several servers in one process never share counters.
 */
export function createMetrics(opts: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'pai_graph_' });

  const operations = new Counter({ name: 'pai_graph_operations_total', help: 'GraphQL operations by name, type and outcome (ok or the first error code).', labelNames: ['operation', 'type', 'outcome'], registers: [registry] });
  const operationSeconds = new Histogram({
    name: 'pai_graph_operation_duration_seconds',
    help: 'Time to answer a GraphQL operation.',
    labelNames: ['type'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const upstreamCalls = new Counter({ name: 'pai_graph_upstream_calls_total', help: 'Upstream attempts by product, action, HTTP status and outcome.', labelNames: ['product', 'action', 'status', 'outcome'], registers: [registry] });
  const upstreamSeconds = new Histogram({
    name: 'pai_graph_upstream_duration_seconds',
    help: 'Time of one upstream attempt.',
    labelNames: ['product', 'action'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const answerBytes = new Histogram({
    name: 'pai_graph_upstream_answer_bytes',
    help: 'Length of the upstream answers read whole, in bytes, by product and action (UPSTREAM_MAX_ANSWER_MB cuts off longer ones).',
    labelNames: ['product', 'action'],
    buckets: [1024, 4096, 16_384, 65_536, 262_144, 1_048_576, 4_194_304, 16_777_216, 67_108_864],
    registers: [registry],
  });
  const retries = new Counter({ name: 'pai_graph_upstream_retries_total', help: 'Upstream retries by product, action and reason.', labelNames: ['product', 'action', 'reason'], registers: [registry] });
  const governorWaits = new Counter({ name: 'pai_graph_governor_waits_total', help: 'Calls the governor held back, by reason (qps or throttled).', labelNames: ['product', 'action', 'reason'], registers: [registry] });
  const governorWaitSeconds = new Histogram({ name: 'pai_graph_governor_wait_seconds', help: 'How long the governor held calls back.', labelNames: ['reason'], buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10], registers: [registry] });
  const breakerState = new Gauge({ name: 'pai_graph_breaker_state', help: 'Circuit breaker per product: 0 closed, 1 half-open, 2 open.', labelNames: ['product'], registers: [registry] });
  const sharedReads = new Counter({
    name: 'pai_graph_upstream_reads_shared_total',
    help: 'Upstream reads answered without a request of their own: joined an identical read in flight (coalesced) or from the read cache (cache).',
    labelNames: ['product', 'action', 'via'],
    registers: [registry],
  });
  const redisErrors = new Counter({ name: 'pai_graph_redis_errors_total', help: 'Redis commands that failed or timed out, by use (the gateway went on without the shared state).', labelNames: ['operation'], registers: [registry] });
  const redisDegraded = new Gauge({
    name: 'pai_graph_redis_degraded',
    help: '1 while Redis is unreachable and this replica keeps to its share (limit / GATEWAY_REPLICAS) of the QPS limits in process; 0 while they are shared.',
    registers: [registry],
  });
  const loaderHits = new Counter({ name: 'pai_graph_loader_cache_hits_total', help: 'Loads answered from the per-request DataLoader cache instead of upstream.', registers: [registry] });

  // GraphQL subscriptions (WebSocket): read when scraped from whatever serves them.
  let subscriptionState: () => { connections: number; subscriptions: number; loops: number; polling: number } = () => ({ connections: 0, subscriptions: 0, loops: 0, polling: 0 });
  new Gauge({ name: 'pai_graph_websocket_connections', help: 'Open WebSocket connections (graphql-transport-ws).', registers: [registry], collect() { this.set(subscriptionState().connections); } });
  new Gauge({ name: 'pai_graph_subscriptions_active', help: 'Active GraphQL subscriptions on this replica.', registers: [registry], collect() { this.set(subscriptionState().subscriptions); } });
  new Gauge({
    name: 'pai_graph_subscription_pollers',
    help: 'Resources this replica watches for its subscribers, by role: polling (it holds the poll, or there is no Redis) or listening (another replica polls and shares).',
    labelNames: ['role'],
    registers: [registry],
    collect() {
      const s = subscriptionState();
      this.set({ role: 'polling' }, s.polling);
      this.set({ role: 'listening' }, s.loops - s.polling);
    },
  });
  const subscriptionPolls = new Counter({ name: 'pai_graph_subscription_polls_total', help: 'Upstream reads of subscription poll loops, by resource kind and outcome (changed, unchanged, gone, error).', labelNames: ['kind', 'outcome'], registers: [registry] });

  const upstreamEvents: CallEvents = {
    onAttempt: (e) => {
      upstreamCalls.inc({ product: e.product, action: e.action, status: String(e.status ?? 'none'), outcome: e.outcome });
      upstreamSeconds.observe({ product: e.product, action: e.action }, e.ms / 1000);
    },
    onRetry: (e) => retries.inc({ product: e.product, action: e.action, reason: e.reason }),
    onBreaker: (product, state) => breakerState.set({ product }, state === 'open' ? 2 : state === 'halfOpen' ? 1 : 0),
    onShared: (e) => sharedReads.inc({ product: e.product, action: e.action, via: e.via }),
    onAnswerSize: (e) => answerBytes.observe({ product: e.product, action: e.action }, e.bytes),
  };

  const plugin: ApolloServerPlugin = {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ operation, operationName, response, errors }) {
          const type = operation?.operation ?? 'unknown';
          const body = response.body.kind === 'single' ? response.body.singleResult : undefined;
          const first = errors?.[0] ?? body?.errors?.[0];
          const code = (first?.extensions as { code?: unknown } | undefined)?.code;
          const outcome = first ? (typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR') : 'ok';
          operations.inc({ operation: operationName ?? '(anonymous)', type, outcome });
          operationSeconds.observe({ type }, (performance.now() - started) / 1000);
        },
      };
    },
  };

  return {
    registry,
    upstreamEvents,
    plugin,
    onGovernorWait: (product: ProductName, action: string, ms: number, reason: 'qps' | 'throttled') => {
      governorWaits.inc({ product, action, reason });
      governorWaitSeconds.observe({ reason }, ms / 1000);
    },
    onLoaderHit: () => loaderHits.inc(),
    onRedisError: (operation: string) => redisErrors.inc({ operation }),
    onRedisMode: (mode: 'shared' | 'degraded') => redisDegraded.set(mode === 'degraded' ? 1 : 0),
    /** Where the subscription gauges read from (the WebSocket server, once built). */
    observeSubscriptions: (read: typeof subscriptionState) => {
      subscriptionState = read;
    },
    onSubscriptionPoll: (kind: string, outcome: string) => subscriptionPolls.inc({ kind, outcome }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
