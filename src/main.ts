import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { ConfigError, describeCredentials, loadConfig, type Config, type UpstreamTarget } from './core/config.js';
import { createSharedCallerBudgets, createSharedDocumentCache } from './core/shared-state.js';
import { createMemoryReadCache, createTtlTable } from './core/upstream/read-cache.js';
import { createRedisReadCache } from './core/upstream/redis-read-cache.js';
import { createSharedRateLog } from './core/upstream/rate-log.js';
import { createLogger } from './core/logger.js';
import { createUpstreamClient } from './core/upstream/client.js';
import { PRODUCT_NAMES } from './core/upstream/products.js';
import { readTokensFile, type AuthSettings } from './core/auth.js';
import { createGovernor } from './core/upstream/governor.js';
import { createMetrics, type Metrics } from './core/metrics.js';
import { readManifest } from './core/plugins/trusted-documents.js';
import { createSigner } from './core/upstream/signer.js';
import { Secret } from './core/secret.js';
import type { Emulator } from './emulator/index.js';
import { createServer } from './server.js';
import { createTelemetry } from './core/telemetry.js';

/** The read cache PAI_CACHE_TTLS asks for: in Redis when REDIS_URL is set, else in this process. */
function createReadCache(settings: Config['upstream']['cache'], redis: Redis | undefined, metrics: Metrics, logger: Logger) {
  if (!settings) return undefined;
  const store = redis
    ? createRedisReadCache({
        redis,
        onError: (operation, err) => {
          metrics.onRedisError(`cache_${operation}`);
          logger.debug({ err: { name: err.name, message: err.message }, operation }, 'redis read cache unavailable for this call');
        },
      })
    : createMemoryReadCache({ maxEntries: settings.maxEntries, maxBytes: settings.maxBytes });
  logger.info({ ttls: settings.ttls, store: store.kind }, `read cache on (${store.kind === 'redis' ? 'shared in Redis' : `in process, at most ${settings.maxEntries} entries and ${settings.maxBytes / 1024 / 1024} MB`})`);
  return { store, ttlMs: createTtlTable(settings.ttls) };
}

/** How long startup waits for Redis before serving in degraded mode. */
const REDIS_STARTUP_WAIT_MS = 2000;

/** Reads the file a variable names; a bad one stops startup with one line, like a bad variable. */
function readOrExit<T>(variable: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    process.stderr.write(`Invalid configuration: ${variable}: ${(err as Error).message}\n`);
    process.exit(1);
  }
}

/** The only file with side effects: config -> (emulator) -> server -> listen -> drain on signals. */
async function main() {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger({ level: config.logLevel });

  let emulator: Emulator | undefined;
  let target: UpstreamTarget;
  if (config.target) {
    target = config.target;
    logger.info({ origins: target.origins, credentials: target.credentials.kind }, `upstream mode: calling PAI with ${describeCredentials(target.credentials)}`);
  } else {
    // Demo mode: an AccessKey pair only this process knows, so every demo call is V3-signed
    // and verified by the emulator exactly as PAI would.
    const credential = { accessKeyId: `DEMO${randomBytes(8).toString('hex').toUpperCase()}`, accessKeySecret: new Secret(randomBytes(24).toString('base64url')) };
    // Loaded only in demo mode: a gateway in front of PAI keeps neither the emulator nor its demo data in memory.
    const { createEmulator } = await import('./emulator/index.js');
    emulator = createEmulator({ accessKeys: [credential], demoData: config.emulator.demoData });
    const url = await emulator.listen(config.emulator.port ?? 0, config.emulator.host);
    target = { origins: Object.fromEntries(PRODUCT_NAMES.map((p) => [p, url])) as UpstreamTarget['origins'], credentials: { kind: 'accessKey', credential } };
    logger.warn(
      { emulator: url, models: emulator.store.models.size },
      `DEMO MODE: no PAI_ENDPOINT or PAI_REGION set, serving the built-in PAI emulator at ${url} with demo data. Nothing reaches Alibaba Cloud.`,
    );
  }

  const signer = readOrExit('PAI_CREDENTIALS_FILE', () =>
    createSigner(target.credentials, { onCredentialError: (message) => logger.error(`credentials file not reloaded, still signing with the last good credentials: ${message}`) }),
  );
  const metrics = createMetrics();
  // ioredis (about 8 MB resident) is loaded only when REDIS_URL asks for it.
  const redis = config.redis ? (await import('./core/redis.js')).createRedis(config.redis.url.reveal(), logger) : undefined;
  const rateLog = redis
    ? createSharedRateLog({
        redis,
        replicas: config.replicas,
        onError: (operation) => metrics.onRedisError(`governor_${operation}`),
        onModeChange: (mode) => {
          metrics.onRedisMode(mode);
          if (mode === 'degraded') logger.warn({ replicas: config.replicas }, 'redis unavailable: keeping to this replica\'s share of every QPS limit (limit / GATEWAY_REPLICAS) until it is back');
          else logger.info('redis back: QPS limits shared by all replicas again');
        },
      })
    : undefined;
  const governor = createGovernor({ rules: config.upstream.qpsLimits, maxPauseMs: config.upstream.maxPauseMs, onWait: metrics.onGovernorWait, ...(rateLog ? { log: rateLog } : {}) });
  const cache = createReadCache(config.upstream.cache, redis, metrics, logger);
  const upstream = createUpstreamClient({ origins: target.origins, signer, timeoutMs: config.upstream.timeoutMs, maxAnswerBytes: config.upstream.maxAnswerBytes, logger, governor, events: metrics.upstreamEvents, cache });
  const { tokensFile } = config.auth;
  const auth: AuthSettings = { ...config.auth, tokens: [...config.auth.tokens, ...(tokensFile ? readOrExit('GATEWAY_TOKENS_FILE', () => readTokensFile(tokensFile)) : [])] };
  if (auth.allowAnonymous) {
    logger.warn(
      config.target
        ? 'ANONYMOUS ACCESS (ALLOW_ANONYMOUS=true): anyone who can reach this gateway can read and write PAI and spend the account. Set GATEWAY_TOKENS instead.'
        : 'Anonymous access is on because this is demo mode; it is off as soon as PAI_ENDPOINT or PAI_REGION is set.',
    );
  }
  logger.info({ callers: auth.tokens.map((t) => ({ name: t.name, scopes: t.scopes })), jwt: Boolean(auth.jwt) }, `callers: ${auth.tokens.length} gateway tokens${auth.jwt ? ' and JWTs from the JWKS' : ''}`);
  const documents = config.http.persistedDocuments;
  const trustedDocuments = documents ? { manifest: readOrExit('PERSISTED_DOCUMENTS_FILE', () => readManifest(documents.file)), only: documents.only } : undefined;
  if (trustedDocuments) {
    logger.info(`trusted documents: ${trustedDocuments.manifest.size} in the manifest${trustedDocuments.only ? ', and only those may run' : ''}`);
  }
  const budgets = redis
    ? createSharedCallerBudgets({ redis, maximum: config.limits.budget, restoreRate: config.limits.budgetRestoreRate, replicas: config.replicas, onError: () => metrics.onRedisError('budget') })
    : undefined;
  const documentCache = redis ? createSharedDocumentCache(redis, () => metrics.onRedisError('persisted_query')) : undefined;
  // The OpenTelemetry SDK is imported only when OTEL_EXPORTER_OTLP_ENDPOINT is set.
  const telemetry = await createTelemetry(config.telemetry);
  if (config.telemetry) logger.info({ traces: config.telemetry.tracesUrl, serviceName: config.telemetry.serviceName }, 'tracing on: spans exported over OTLP/HTTP');
  const { app } = await createServer(config, { upstream, logger, auth, metrics, trustedDocuments, budgets, documentCache, redis, telemetry });
  // Start shared rather than degraded when Redis is there: wait for it briefly, never longer.
  if (redis && redis.status !== 'ready') {
    let timer: NodeJS.Timeout | undefined;
    // Not events.once: a Redis error must not stop startup, only the wait.
    await Promise.race([new Promise((resolve) => redis.once('ready', resolve)), new Promise((resolve) => (timer = setTimeout(resolve, REDIS_STARTUP_WAIT_MS)))]);
    clearTimeout(timer);
  }
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  logger.info(`pai-graph ready at http://${shown}:${port}/graphql${config.env === 'production' ? '' : ' (open it in a browser for Apollo Sandbox)'}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests, closing WebSockets (1001) and stopping subscription polls');
    const force = setTimeout(() => {
      logger.error({ graceMs: config.shutdownGraceMs }, 'shutdown grace period over: exiting with operations still in flight');
      process.exit(1);
    }, config.shutdownGraceMs);
    force.unref();
    const started = Date.now();
    await app.close();
    logger.info({ ms: Date.now() - started }, 'in-flight requests finished');
    // The last spans leave before the process does (bounded by the grace period above).
    await telemetry?.shutdown().catch((err: unknown) => logger.warn({ err: { message: (err as Error).message } }, 'could not export the last spans'));
    upstream.breakers.shutdown();
    redis?.disconnect();
    await emulator?.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`pai-graph failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
