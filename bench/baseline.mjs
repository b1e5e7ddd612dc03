/**
 * The bench's baseline: bare Apollo Server on Fastify, the stack the gateway is built on, with
 * the gateway's schema and none of its work. Started by bench/run.ts (child_process.fork, plain
 * `node`, no tsx) and measured like the gateway.
 *
 * - Same HTTP stack as the gateway: Fastify 5 with @as-integrations/fastify, POST /graphql.
 * - Same schema: schema/*.graphql built with buildSubgraphSchema, as src/schema.ts does, but
 *   with no resolvers at all: every field uses graphql-js's default resolver.
 * - Same Apollo settings that change per-request work: production mode, introspection off,
 *   cache-control and inline-trace plugins off, landing page off, CSRF prevention on.
 * - The answers come from memory: run.ts sends, over IPC, the `data` the gateway returned for
 *   each benchmark operation and its variables, and that tree is the root value: each root
 *   field is a function (graphql-js's default resolver calls it) that picks the tree stored for
 *   the request's variables. So the baseline executes the same document over the same values
 *   and serializes the same JSON, and does nothing else (no auth, limits, cost, upstream
 *   calls, metrics).
 *
 * IPC: parent -> { type: 'data', operationName, variables, data }, answered { type: 'stored', operationName };
 * child -> { type: 'listening', port } once it accepts connections.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { fastifyApolloDrainPlugin, fastifyApolloHandler } from '@as-integrations/fastify';
import { buildSubgraphSchema } from '@apollo/subgraph';
import Fastify from 'fastify';
import { Kind, parse } from 'graphql';

const schemaDir = new URL('../schema/', import.meta.url);
const typeDefs = readdirSync(schemaDir)
  .filter((f) => f.endsWith('.graphql'))
  .sort((a, b) => (a === 'base.graphql' ? -1 : b === 'base.graphql' ? 1 : a.localeCompare(b)))
  .map((f) => readFileSync(new URL(f, schemaDir), 'utf8'))
  .join('\n');
const schema = buildSubgraphSchema({ typeDefs: parse(typeDefs) });

/** operation name -> { byVariables: JSON of the variables -> the `data` tree, root: the root value } */
const answers = new Map();
const rootValue = (document) => {
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  return answers.get(operation?.name?.value)?.root ?? {};
};
function store(operationName, variables, data) {
  let entry = answers.get(operationName);
  if (!entry) {
    const byVariables = new Map();
    const root = {};
    for (const field of Object.keys(data)) root[field] = (_args, _context, info) => byVariables.get(JSON.stringify(info.variableValues))?.[field];
    entry = { byVariables, root };
    answers.set(operationName, entry);
  }
  entry.byVariables.set(JSON.stringify(variables), data);
}

const app = Fastify({ logger: false });
const apollo = new ApolloServer({
  schema,
  rootValue,
  introspection: false,
  includeStacktraceInErrorResponses: false,
  plugins: [fastifyApolloDrainPlugin(app), ApolloServerPluginCacheControlDisabled(), ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginLandingPageDisabled()],
});
await apollo.start();
app.route({ url: '/graphql', method: ['GET', 'POST'], handler: fastifyApolloHandler(apollo) });

process.on('message', (message) => {
  if (message?.type === 'data') {
    store(message.operationName, message.variables ?? {}, message.data);
    process.send?.({ type: 'stored', operationName: message.operationName });
  }
});
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
// The parent went away without stopping us: do not linger.
process.on('disconnect', () => process.exit(0));

await app.listen({ port: 0, host: '127.0.0.1' });
process.send?.({ type: 'listening', port: app.server.address().port });
