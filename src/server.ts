import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault, ApolloServerPluginLandingPageProductionDefault } from '@apollo/server/plugin/landingPage/default';
import { fastifyApolloDrainPlugin, fastifyApolloHandler } from '@as-integrations/fastify';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Config } from './core/config.js';
import { createFormatError } from './core/format-error.js';
import { createArgumentChecksPlugin } from './core/plugins/argument-checks.js';
import { createSecretRedactionPlugin } from './core/plugins/secret-redaction.js';
import type { Logger } from './core/logger.js';
import type { UpstreamClient } from './core/upstream/client.js';
import { createContext, readRequestId, type Context } from './context.js';
import { algorithmArgumentChecks } from './algorithms/index.js';
import { EVAL_TASK_SECRET_FIELDS } from './eval-tasks/index.js';
import { modelArgumentChecks } from './models/index.js';
import { createReadinessCheck } from './readiness.js';
import { createSchema } from './schema.js';
import { SANDBOX_DOCUMENT, SANDBOX_VARIABLES } from './sandbox.js';
import { tensorboardArgumentChecks } from './tensorboards/index.js';

export interface ServerDeps {
  readonly upstream: UpstreamClient;
  readonly logger: Logger;
}

export interface Server {
  readonly app: FastifyInstance;
  readonly apollo: ApolloServer<Context>;
}

/** Largest request body accepted, in bytes. */
export const BODY_LIMIT = 1024 * 1024;

/**
 * Builds the gateway: Apollo Server on Fastify, with the GraphQL endpoint at /graphql, a
 * liveness probe at /healthz (no upstream call) and a readiness probe at /readyz (one cached,
 * signed upstream call). Never listens; main.ts (or a test) does.
 */
export async function createServer(config: Pick<Config, 'env' | 'upstream'>, deps: ServerDeps): Promise<Server> {
  const { logger } = deps;
  const production = config.env === 'production';
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT,
    genReqId: (req) => readRequestId(req.headers['x-request-id']),
  });

  const apollo = new ApolloServer<Context>({
    schema: createSchema(),
    introspection: !production,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    formatError: createFormatError(logger),
    logger,
    plugins: [
      fastifyApolloDrainPlugin(app),
      // The default cache-control plugin costs throughput and no field sets cache hints.
      ApolloServerPluginCacheControlDisabled(),
      createArgumentChecksPlugin({ ...modelArgumentChecks, ...algorithmArgumentChecks, ...tensorboardArgumentChecks }),
      createSecretRedactionPlugin({ fields: EVAL_TASK_SECRET_FIELDS }),
      production
        ? ApolloServerPluginLandingPageProductionDefault({ footer: false })
        : ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false, document: SANDBOX_DOCUMENT, variables: SANDBOX_VARIABLES, footer: false }),
    ],
  });
  await apollo.start();

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  const handler = fastifyApolloHandler(apollo, {
    context: async (request, reply) => {
      const abort = new AbortController();
      reply.raw.once('close', () => {
        if (!reply.raw.writableFinished) abort.abort();
      });
      return createContext({ client: deps.upstream, concurrency: config.upstream.concurrency, requestId: request.id, signal: abort.signal, deadline: Date.now() + config.upstream.deadlineMs });
    },
  });
  app.route({ url: '/graphql', method: ['GET', 'POST', 'OPTIONS'], handler });
  app.get('/', (_req, reply) => reply.redirect('/graphql'));
  app.get('/healthz', async () => ({ status: 'ok' }));
  const readiness = createReadinessCheck({ upstream: deps.upstream, ttlMs: config.upstream.readinessCacheMs, logger });
  app.get('/readyz', async (_req, reply) => {
    const { ready, body } = await readiness();
    return reply.code(ready ? 200 : 503).send(body);
  });

  return { app, apollo };
}
