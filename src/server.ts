import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { fastifyApolloDrainPlugin, fastifyApolloHandler } from '@as-integrations/fastify';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyServerOptions, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { Config } from './core/config.js';
import { DEFAULT_SUBSCRIPTION_POLL_MS } from './core/config.js';
import { createFormatError } from './core/format-error.js';
import { lazyChildLogger } from './core/logger.js';
import cors from '@fastify/cors';
import { AuthError, createAuthenticator, createSharedSecretCheck, readBearerToken, type AuthSettings, type Caller } from './core/auth.js';
import type { Metrics } from './core/metrics.js';
import { createCallerBudgets, type CallerBudgets } from './core/plugins/cost.js';
import type { DocumentCache } from './core/shared-state.js';
import { createDocumentLimitRules } from './core/plugins/document-limits.js';
import { createOperationPolicyPlugin } from './core/plugins/operation-policy.js';
import { createTrustedDocumentsPlugin } from './core/plugins/trusted-documents.js';
import { createSecretRedactionPlugin } from './core/plugins/secret-redaction.js';
import { createHideSuggestionsPlugin } from './core/plugins/hide-suggestions.js';
import { createUpstreamExtensionsPlugin, DEBUG_HEADER, wantsUpstreamExtensions } from './core/plugins/upstream-extensions.js';
import type { Telemetry } from './core/telemetry.js';
import { UpstreamReport } from './core/upstream-report.js';
import { createTransportOptions, installTransportRules } from './core/transport.js';
import type { Logger } from './core/logger.js';
import type { UpstreamClient } from './core/upstream/client.js';
import { Ending } from './core/upstream/ending.js';
import { createContext, readRequestId, type Context } from './context.js';
import { createEnumReader } from './core/enums.js';
import { createFeedHub, type Scheduler } from './core/subscriptions/feeds.js';
import { createRedisFeedCoordinator } from './core/subscriptions/redis-feeds.js';
import { installSubscriptions } from './core/subscriptions/websocket.js';
import { algorithmArgumentChecks, algorithmCosts } from './algorithms/index.js';
import { EVAL_TASK_SECRET_FIELDS, evalTaskArgumentChecks, evalTaskCosts, evalTaskFeeds } from './eval-tasks/index.js';
import { modelArgumentChecks, modelCosts } from './models/index.js';
import { nodeCosts } from './nodes/index.js';
import { createReadinessCheck } from './readiness.js';
import { createSchema } from './schema.js';
import { createSandboxLandingPage, exampleTabs } from './sandbox.js';
import { GRAPHIQL_PATH, installGraphiql } from './graphiql.js';
import { tensorboardArgumentChecks, tensorboardCosts, tensorboardFeeds } from './tensorboards/index.js';
import { SERVICE_SECRET_FIELDS, serviceArgumentChecks, serviceCosts, serviceFeeds } from './services/index.js';

export interface ServerDeps {
  readonly upstream: UpstreamClient;
  readonly logger: Logger;
  /** Who may call; main.ts resolves the tokens file into it. */
  readonly auth: AuthSettings;
  /** The registry /metrics serves; its upstream hooks are already on `upstream`. */
  readonly metrics: Metrics;
  /** A persisted-document manifest (hash -> document), and whether only its documents may run. */
  readonly trustedDocuments?: { readonly manifest: ReadonlyMap<string, string>; readonly only: boolean } | undefined;
  /** Caller budgets shared by the replicas (Redis); default: this process's own. */
  readonly budgets?: CallerBudgets | undefined;
  /** Where automatic persisted queries are registered (Redis); default: Apollo's in-memory LRU. */
  readonly documentCache?: DocumentCache | undefined;
  /** With it, one subscription poll loop per resource across all replicas; without, one per replica. */
  readonly redis?: Redis | undefined;
  /** The timers of subscription poll loops (tests move them by hand). */
  readonly scheduler?: Scheduler | undefined;
  /** OpenTelemetry tracing (OTEL_EXPORTER_OTLP_ENDPOINT); without it no span is made. */
  readonly telemetry?: Telemetry | undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller;
  }
}

export interface Server {
  readonly app: FastifyInstance;
  readonly apollo: ApolloServer<Context>;
}

/** The caller of a request that skipped authentication (the Sandbox page): may do nothing. */
const ANONYMOUS_LANDING: Caller = { name: 'landing-page', scopes: new Set(), anonymous: true };

/**
 * Builds the gateway: Apollo Server on Fastify, with the GraphQL endpoint at /graphql, a
 * liveness probe at /healthz (no upstream call) and a readiness probe at /readyz (one cached,
 * signed upstream call). Never listens; main.ts (or a test) does.
 */
export async function createServer(config: Pick<Config, 'env' | 'upstream' | 'limits' | 'http' | 'transport'> & Partial<Pick<Config, 'subscriptions'>>, deps: ServerDeps): Promise<Server> {
  const { logger } = deps;
  const production = config.env === 'production';
  const authenticate = createAuthenticator(deps.auth);
  const isRouter = createSharedSecretCheck(config.http.routerSecret?.reveal());
  const isMetricsScraper = createSharedSecretCheck(config.http.metricsToken?.reveal());
  const app = Fastify({
    ...createTransportOptions(config.transport, logger),
    // tsc needs the cast (pino's Logger and Fastify's child logger factory); typescript-eslint calls it unnecessary.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    loggerInstance: logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    // request.log is made when a request first logs, not for every request.
    childLoggerFactory: lazyChildLogger as unknown as NonNullable<FastifyServerOptions['childLoggerFactory']>,
    genReqId: (req) => readRequestId(req.headers['x-request-id']),
  });
  // Before any route: @fastify/otel wires each route as it is added.
  if (deps.telemetry) await app.register(deps.telemetry.fastifyPlugin);

  const schema = createSchema();
  const argumentChecks = { ...modelArgumentChecks, ...algorithmArgumentChecks, ...tensorboardArgumentChecks, ...evalTaskArgumentChecks, ...serviceArgumentChecks };
  const costModel = {
    ...modelCosts,
    ...algorithmCosts,
    ...evalTaskCosts,
    ...tensorboardCosts,
    ...serviceCosts,
    ...nodeCosts,
    // One reference is at most one upstream read (fewer when deduplicated).
    'Query._entities': { calls: (a: Record<string, unknown>) => (Array.isArray(a.representations) ? a.representations.length : 1) },
  };
  const documentLimitRules = createDocumentLimitRules(config.limits);
  const formatError = createFormatError(logger);
  const apollo = new ApolloServer<Context>({
    schema,
    introspection: config.http.introspection,
    ...(deps.documentCache ? { persistedQueries: { cache: deps.documentCache } } : {}),
    // "Did you mean ...?" would spell out the schema to callers who may not introspect it.
    hideSchemaDetailsFromClientErrors: production,
    // Limits checked before execution; each rejection is a 400 that states the limit.
    parseOptions: { maxTokens: config.limits.maxTokens },
    validationRules: documentLimitRules,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    formatError,
    logger,
    plugins: [
      ...(deps.telemetry ? [deps.telemetry.plugin] : []),
      fastifyApolloDrainPlugin(app),
      deps.metrics.plugin,
      ...(deps.trustedDocuments ? [createTrustedDocumentsPlugin(deps.trustedDocuments)] : []),
      // The default cache-control plugin costs throughput and no field sets cache hints.
      ApolloServerPluginCacheControlDisabled(),
      // Apollo turns on federated inline tracing for subgraphs; its traces would carry error
      // details to any router that asks and cost work per request, and no GraphOS reads them here.
      ApolloServerPluginInlineTraceDisabled(),
      createOperationPolicyPlugin({
        argumentChecks,
        costModel,
        maxCost: config.limits.maxCost,
        budgets: deps.budgets ?? createCallerBudgets({ maximum: config.limits.budget, restoreRate: config.limits.budgetRestoreRate }),
      }),
      createSecretRedactionPlugin({ fields: [...EVAL_TASK_SECRET_FIELDS, ...SERVICE_SECRET_FIELDS] }),
      createUpstreamExtensionsPlugin(),
      ...(production ? [createHideSuggestionsPlugin<Context>()] : []),
      production
        ? ApolloServerPluginLandingPageDisabled()
        : createSandboxLandingPage<Context>({ graphiqlPath: config.http.graphiql ? GRAPHIQL_PATH : undefined }),
    ],
  });
  await apollo.start();

  // While shutting down, answers close their connection, so draining does not wait for idle
  // keep-alive sockets to time out.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  // Callback-style hooks: an async hook costs a promise and a microtask turn per request.
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
  // Before CORS, so its preflight route answers errors through the same handler.
  installTransportRules(app, config.transport);
  await app.register(cors, { origin: config.http.corsOrigins.length ? [...config.http.corsOrigins] : false, credentials: false, maxAge: 600 });

  // Callers authenticate before Apollo parses anything; the Sandbox page itself is public.
  const isLandingPage = (method: string, accept: string | undefined) => method === 'GET' && (accept ?? '').includes('text/html');
  const authenticateRequest = async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method === 'OPTIONS' || isLandingPage(request.method, request.headers.accept)) return;
    try {
      request.caller = await authenticate(request.headers.authorization);
    } catch (err) {
      if (!(err instanceof AuthError)) throw err;
      if (err.status === 401) reply.header('www-authenticate', 'Bearer realm="pai-graph"');
      return reply
        .code(err.status)
        .type('application/json; charset=utf-8')
        .send({ errors: [{ message: err.message, extensions: { code: err.status === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN' } }] });
    }
  };

  const enums = createEnumReader({ logger });
  const handler = fastifyApolloHandler(apollo, {
    context: async (request, reply) => {
      // Work of an operation stops when its response is sent or its client goes away: calls
      // still queued or waiting then start nothing upstream (graphql-js can answer before every
      // field's promise settles, e.g. when an error nulls a parent). An Ending is a plain object
      // (an AbortController is two EventTargets), so every operation gets one.
      const signal = new Ending();
      reply.raw.once('close', () => signal.abort());
      // Only operations that asked for extensions.upstream, or all while tracing, get a report.
      const expose = wantsUpstreamExtensions(config.env, request.headers[DEBUG_HEADER]);
      const upstreamReport = expose || deps.telemetry ? new UpstreamReport(expose, deps.telemetry?.parentOf(request)) : undefined;
      return createContext({
        client: deps.upstream,
        enums,
        concurrency: config.upstream.concurrency,
        requestId: request.id,
        signal,
        deadline: Date.now() + config.upstream.deadlineMs,
        caller: request.caller ?? ANONYMOUS_LANDING,
        fromRouter: isRouter(request.headers['x-router-secret']),
        onCacheHit: deps.metrics.onLoaderHit,
        upstreamReport,
      });
    },
  });
  app.route({ url: '/graphql', method: ['GET', 'POST'], preHandler: authenticateRequest, handler });
  // The IDE that needs no CDN: public like the Sandbox page, its requests authenticate as any.
  // Without Sandbox (production with GRAPHIQL=true), it is where / leads.
  if (config.http.graphiql) installGraphiql(app, { endpoint: '/graphql', tabs: exampleTabs() });
  const home = production && config.http.graphiql ? GRAPHIQL_PATH : '/graphql';
  app.get('/', (_req, reply) => reply.redirect(home));
  app.get('/healthz', async () => ({ status: 'ok' }));
  // With METRICS_TOKEN set, only a scraper that sends it may read the gateway's traffic and callers.
  const authenticateScraper = async (request: FastifyRequest, reply: FastifyReply) => {
    if (isMetricsScraper(readBearerToken(request.headers.authorization))) return;
    return reply
      .code(401)
      .header('www-authenticate', 'Bearer realm="pai-graph metrics"')
      .type('application/json; charset=utf-8')
      .send({ errors: [{ message: '/metrics needs Authorization: Bearer <METRICS_TOKEN>.', extensions: { code: 'UNAUTHENTICATED' } }] });
  };
  app.get('/metrics', { preHandler: authenticateScraper }, async (_req, reply) => reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics()));
  // GraphQL subscriptions: WebSocket (graphql-transport-ws) on the same port and path.
  const subscriptionLimits = config.subscriptions ?? { pollMs: DEFAULT_SUBSCRIPTION_POLL_MS, maxPerCaller: 20, maxConnections: 1000 };
  const hub = createFeedHub({
    client: deps.upstream,
    intervalMs: subscriptionLimits.pollMs,
    logger,
    scheduler: deps.scheduler,
    coordinator: deps.redis ? createRedisFeedCoordinator({ redis: deps.redis, logger, namespace: () => deps.upstream.namespace(), onError: (operation) => deps.metrics.onRedisError(operation) }) : undefined,
    events: { onPoll: deps.metrics.onSubscriptionPoll },
  });
  const subscriptions = installSubscriptions(app, {
    schema,
    hub,
    feeds: { ...tensorboardFeeds, ...evalTaskFeeds, ...serviceFeeds },
    authenticate,
    limits: { maxTokens: config.limits.maxTokens, maxPerCaller: subscriptionLimits.maxPerCaller, maxConnections: subscriptionLimits.maxConnections, maxMessageBytes: config.transport.maxBodyBytes },
    validationRules: documentLimitRules,
    costModel,
    argumentChecks,
    trustedDocuments: deps.trustedDocuments,
    formatError,
    hideSuggestions: production,
    logger,
    upstream: deps.upstream,
    scheduler: deps.scheduler,
    createContext: ({ caller, requestId, client, feeds }) =>
      createContext({ client: client ?? deps.upstream, enums, concurrency: config.upstream.concurrency, requestId, caller, fromRouter: false, onCacheHit: deps.metrics.onLoaderHit, feeds }),
  });
  deps.metrics.observeSubscriptions(() => ({ ...subscriptions.stats(), ...hub.stats() }));

  const readiness = createReadinessCheck({ upstream: deps.upstream, ttlMs: config.upstream.readinessCacheMs, logger });
  app.get('/readyz', async (_req, reply) => {
    const { ready, body } = await readiness();
    return reply.code(ready ? 200 : 503).send(body);
  });

  return { app, apollo };
}
