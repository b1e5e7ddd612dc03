/**
 * The GraphQL server the bench's own processes run (bench/baseline.mjs, bench/reference.mjs):
 * Apollo Server 5 on Fastify 5 through @as-integrations/fastify, the gateway's stack, with the
 * Apollo settings that change per-request work set as the gateway sets them in production
 * (introspection off, no stack traces, cache-control, inline-trace and landing-page plugins
 * off). One function, so both measure the same stack.
 *
 * `serveGraphQL` listens on a free port of 127.0.0.1 (POST and GET /graphql), tells the parent
 * `{ type: 'listening', port }` over IPC, answers `{ type: 'gc' }` with `{ type: 'gc', ms }` (the
 * time spent in garbage collection so far, from the same `gc` performance entries as the
 * gateway's `nodejs_gc_duration_seconds`), and exits on SIGTERM or when the parent goes away.
 */
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { fastifyApolloDrainPlugin, fastifyApolloHandler } from '@as-integrations/fastify';
import Fastify from 'fastify';
import { PerformanceObserver } from 'node:perf_hooks';

/**
 * @param {Record<string, unknown>} config the ApolloServer options that differ: `schema` and `rootValue`, or `typeDefs` and `resolvers`
 * @param {{ context?: () => Promise<object> }} [handler] options of the Fastify handler
 */
export async function serveGraphQL(config, handler = {}) {
  let gcMs = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  }).observe({ entryTypes: ['gc'] });
  process.on('message', (m) => {
    if (m?.type === 'gc') process.send?.({ type: 'gc', ms: gcMs });
  });
  const app = Fastify({ logger: false });
  const apollo = new ApolloServer({
    ...config,
    introspection: false,
    includeStacktraceInErrorResponses: false,
    plugins: [fastifyApolloDrainPlugin(app), ApolloServerPluginCacheControlDisabled(), ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginLandingPageDisabled()],
  });
  await apollo.start();
  app.route({ url: '/graphql', method: ['GET', 'POST'], handler: fastifyApolloHandler(apollo, handler) });
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
  // The parent went away without stopping us: do not linger.
  process.on('disconnect', () => process.exit(0));
  await app.listen({ port: 0, host: '127.0.0.1' });
  process.send?.({ type: 'listening', port: app.server.address().port });
}
