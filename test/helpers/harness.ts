import type { Writable } from 'node:stream';
import { createLogger } from '../../src/core/logger.js';
import { Secret } from '../../src/core/secret.js';
import { createUpstreamClient, type UpstreamClient } from '../../src/core/upstream/client.js';
import type { BreakerOptions } from '../../src/core/upstream/breaker.js';
import { createGovernor, DEFAULT_MAX_PAUSE_MS, DEFAULT_QPS_LIMITS, parseQpsLimits } from '../../src/core/upstream/governor.js';
import { DEFAULT_MAX_ANSWER_MB } from '../../src/core/upstream/http.js';
import { PRODUCT_NAMES, type ProductName } from '../../src/core/upstream/products.js';
import { staticCredentials, type AccessKeyCredential } from '../../src/core/upstream/credentials.js';
import { createAccessKeySigner, createBearerSigner, type Signer } from '../../src/core/upstream/signer.js';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import type { Clock } from '../../src/emulator/store.js';
import { createServer } from '../../src/server.js';
import type { AuthSettings } from '../../src/core/auth.js';
import { createMetrics } from '../../src/core/metrics.js';
import type { Config } from '../../src/core/config.js';
import type { RateLog } from '../../src/core/upstream/rate-log.js';
import { createTtlTable, parseCacheTtls, type ReadCacheStore } from '../../src/core/upstream/read-cache.js';
import type { Redis } from 'ioredis';
import type { CallerBudgets } from '../../src/core/plugins/cost.js';
import type { Scheduler } from '../../src/core/subscriptions/feeds.js';
import type { Telemetry } from '../../src/core/telemetry.js';

/** The API key the test emulator accepts; tests assert it never leaks. */
export const TEST_API_KEY = 'sk-test-5f1e2d3c4b5a69788796a5b4c3d2e1f0';

/** The AccessKey pair the test emulator verifies signatures with; tests assert the secret never leaks. */
export const TEST_ACCESS_KEY: AccessKeyCredential = {
  accessKeyId: 'TESTAKID7f3a9c1e5b2d',
  accessKeySecret: new Secret('test-ak-secret-9b8a7c6d5e4f3a2b1c0d'),
};

export interface GraphQLResult {
  status: number;
  headers: Headers;
  body: {
    data?: Record<string, any> | null;
    errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
    extensions?: Record<string, any>;
  };
  /** The body without its top-level `extensions` (the cost report every response carries). */
  result: { data?: Record<string, any> | null; errors?: GraphQLResult['body']['errors'] };
  text: string;
}

export interface Harness {
  emulator: Emulator;
  /** The AccessKeys the emulator accepts signatures from; tests may change it to rotate credentials. */
  trustedAccessKeys: AccessKeyCredential[];
  url: string;
  /** The same endpoint for WebSocket clients (graphql-transport-ws). */
  wsUrl: string;
  /** The gateway's metrics registry, as /metrics serves it. */
  metrics: ReturnType<typeof createMetrics>;
  logs: string[];
  /** Every response body the gateway sent to these tests. */
  responses: string[];
  /** POSTs a GraphQL operation to the gateway over HTTP. */
  gql(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResult>;
  /** Upstream actions called since the last `resetCalls()`, in order. */
  actions(): string[];
  resetCalls(): void;
  /** Forgets the governor's pauses and closes the circuit breakers, so tests do not leak into each other. */
  resetUpstream(): void;
  upstream: UpstreamClient;
  /** When the gateway handed each upstream request to fetch (epoch ms), by action. */
  sent: { action: string; at: number }[];
  /** Reads the client answered without a request of their own (joined one in flight, or cached). */
  shared: { action: string; via: 'coalesced' | 'cache' }[];
  /**
   * Holds every upstream request of `action` before it leaves the gateway until the returned
   * function is called: tests make reads overlap without depending on timing.
   */
  hold(action: string): () => void;
  close(): Promise<void>;
}

/**
 * A real gateway on an ephemeral port over a real emulator, both in process. Logs are
 * captured line by line so tests can search them for secrets.
 */
export async function startHarness(
  opts: {
    demoData?: boolean;
    timeoutMs?: number;
    /** UPSTREAM_MAX_ANSWER_MB, in bytes (default: the gateway's). */
    maxAnswerBytes?: number;
    concurrency?: number;
    /** `accessKey` (default): V3 signatures the emulator verifies; `bearer`: the seeds' API key. */
    auth?: 'accessKey' | 'bearer';
    /** The key the gateway sends in bearer mode (default TEST_API_KEY). */
    apiKey?: string;
    /** The credential the gateway signs with in accessKey mode (default TEST_ACCESS_KEY). */
    accessKey?: AccessKeyCredential;
    clock?: Clock;
    /** Replaces the signer chosen by `auth` (e.g. one with a rotating credential provider). */
    signer?: Signer;
    readinessCacheMs?: number;
    /** PAI_QPS_LIMITS for the gateway's governor (default: PAI's documented limits). */
    qpsLimits?: string;
    /** UPSTREAM_MAX_PAUSE_MS: the longest pause one upstream answer can impose (default 10000). */
    maxPauseMs?: number;
    breaker?: Partial<BreakerOptions>;
    /** OPERATION_DEADLINE_MS (default 15000). */
    deadlineMs?: number;
    /** Who may call the gateway (default: anyone, as in demo mode). */
    callers?: AuthSettings;
    limits?: Partial<Config['limits']>;
    trustedDocuments?: { manifest: ReadonlyMap<string, string>; only: boolean };
    /** NODE_ENV of the gateway (default test); production turns introspection, Sandbox and field suggestions off. */
    env?: 'test' | 'development' | 'production';
    /** GRAPHIQL: serve the IDE at /graphiql (default: outside production, as in config). */
    graphiql?: boolean;
    /** ROUTER_SECRET: only requests carrying it may use _service and _entities. */
    routerSecret?: string;
    corsOrigins?: string[];
    /** METRICS_TOKEN: /metrics then needs it as a bearer token. */
    metricsToken?: string;
    /** MAX_BODY_BYTES, HEADERS_TIMEOUT_MS and REQUEST_TIMEOUT_MS (defaults as in config). */
    transport?: Partial<Config['transport']>;
    /** PAI_CACHE_TTLS and where entries live (default: off). */
    cache?: { ttls: string; store: ReadCacheStore };
    /** The governor's log (default: in process); e.g. one shared through Redis by several harnesses. */
    rateLog?: RateLog;
    /** Another harness's emulator, so two gateways (replicas) share one upstream; not closed here. */
    emulator?: Emulator;
    /** SUBSCRIPTION_POLL_MS and the subscription limits, the poll loops' timers, and Redis to share loops across harnesses. */
    subscriptions?: Partial<Config['subscriptions']> & { scheduler?: Scheduler; redis?: Redis };
    /** Caller budgets (default: in process, as configured by `limits`), e.g. on a clock the test moves. */
    budgets?: CallerBudgets;
    /** OpenTelemetry tracing (createTelemetry with an endpoint); not shut down here. */
    telemetry?: Telemetry;
  } = {},
): Promise<Harness> {
  const trustedAccessKeys = [TEST_ACCESS_KEY];
  const emulator = opts.emulator ?? createEmulator({ apiKey: new Secret(TEST_API_KEY), accessKeys: trustedAccessKeys, demoData: opts.demoData ?? true, ...(opts.clock ? { clock: opts.clock } : {}) });
  const emulatorUrl = opts.emulator ? emulator.url : await emulator.listen();
  const logs: string[] = [];
  const responses: string[] = [];
  const destination = { write: (line: string) => void logs.push(line) } as unknown as Writable;
  const logger = createLogger({ level: 'debug', destination });
  const origins = Object.fromEntries(PRODUCT_NAMES.map((p) => [p, emulatorUrl])) as Record<ProductName, string>;
  const metrics = createMetrics({ defaultMetrics: false });
  const sent: { action: string; at: number }[] = [];
  const held = new Map<string, Promise<void>>();
  const recordingFetch: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    const action = headers.get('x-acs-action') ?? '';
    sent.push({ action, at: Date.now() });
    await held.get(action);
    return fetch(input, init);
  };
  const shared: Harness['shared'] = [];
  const events = { ...metrics.upstreamEvents, onShared: (e: { product: ProductName; action: string; via: 'coalesced' | 'cache' }) => {
    shared.push({ action: e.action, via: e.via });
    metrics.upstreamEvents.onShared?.(e);
  } };
  const upstream = createUpstreamClient({
    fetch: recordingFetch,
    origins,
    signer:
      opts.signer ??
      ((opts.auth ?? (opts.apiKey ? 'bearer' : 'accessKey')) === 'bearer'
        ? createBearerSigner({ kind: 'bearer', apiKey: new Secret(opts.apiKey ?? TEST_API_KEY) })
        : createAccessKeySigner({ credentials: staticCredentials(opts.accessKey ?? TEST_ACCESS_KEY) })),
    timeoutMs: opts.timeoutMs ?? 5000,
    maxAnswerBytes: opts.maxAnswerBytes,
    logger,
    governor: createGovernor({ rules: parseQpsLimits(opts.qpsLimits ?? DEFAULT_QPS_LIMITS), maxPauseMs: opts.maxPauseMs ?? DEFAULT_MAX_PAUSE_MS, onWait: metrics.onGovernorWait, ...(opts.rateLog ? { log: opts.rateLog } : {}) }),
    events,
    ...(opts.breaker ? { breaker: opts.breaker } : {}),
    ...(opts.cache ? { cache: { store: opts.cache.store, ttlMs: createTtlTable(parseCacheTtls(opts.cache.ttls)) } } : {}),
  });
  const { app } = await createServer({
    env: opts.env ?? 'test',
    limits: { maxDepth: 12, maxAliases: 30, maxDirectives: 20, maxTokens: 5000, maxCost: 100, budget: 100_000, budgetRestoreRate: 50, ...opts.limits },
    http: { corsOrigins: opts.corsOrigins ?? [], introspection: opts.env !== 'production', graphiql: opts.graphiql ?? opts.env !== 'production', persistedDocuments: undefined, routerSecret: opts.routerSecret ? new Secret(opts.routerSecret) : undefined, metricsToken: opts.metricsToken ? new Secret(opts.metricsToken) : undefined },
    transport: { maxBodyBytes: 1024 * 1024, headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, ...opts.transport },
    upstream: { timeoutMs: opts.timeoutMs ?? 5000, maxAnswerBytes: opts.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_MB * 1024 * 1024, concurrency: opts.concurrency ?? 8, readinessCacheMs: opts.readinessCacheMs ?? 60_000, deadlineMs: opts.deadlineMs ?? 15_000, qpsLimits: parseQpsLimits(opts.qpsLimits ?? DEFAULT_QPS_LIMITS), maxPauseMs: opts.maxPauseMs ?? DEFAULT_MAX_PAUSE_MS },
    subscriptions: { pollMs: 5000, maxPerCaller: 20, maxConnections: 1000, ...opts.subscriptions } }, { upstream, logger, metrics, auth: opts.callers ?? { tokens: [], allowAnonymous: true }, trustedDocuments: opts.trustedDocuments, scheduler: opts.subscriptions?.scheduler, redis: opts.subscriptions?.redis, budgets: opts.budgets, telemetry: opts.telemetry });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/graphql`;

  return {
    emulator,
    trustedAccessKeys,
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    metrics,
    logs,
    responses,
    async gql(query, variables, headers = {}) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const text = await res.text();
      responses.push(text);
      const body = JSON.parse(text) as GraphQLResult['body'];
      const { extensions: _cost, ...result } = body;
      return { status: res.status, headers: res.headers, body, result, text };
    },
    actions: () => emulator.calls.map((c) => c.action),
    resetCalls: () => {
      emulator.calls.length = 0;
      sent.length = 0;
    },
    resetUpstream: () => {
      upstream.governor.reset();
      upstream.breakers.reset();
    },
    upstream,
    sent,
    shared,
    hold(action) {
      let release!: () => void;
      held.set(action, new Promise<void>((resolve) => (release = resolve)));
      return () => {
        held.delete(action);
        release();
      };
    },
    async close() {
      await app.close();
      upstream.breakers.shutdown();
      if (!opts.emulator) await emulator.close();
    },
  };
}

/** The first error's code, for compact assertions. */
export const codeOf = (r: GraphQLResult) => r.body.errors?.[0]?.extensions?.code;

/** A clock tests move by hand, so time-driven states need no sleeping. */
export function manualClock(start: string) {
  let now = Date.parse(start);
  return {
    now: () => new Date(now),
    set: (iso: string) => {
      now = Date.parse(iso);
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
}
