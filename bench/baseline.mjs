/**
 * The bench's baseline: bare Apollo Server on Fastify, the stack the gateway is built on, with
 * the gateway's schema and none of its work. Started by bench/run.ts (child_process.fork, plain
 * `node`, no tsx) and measured like the gateway.
 *
 * - Same HTTP stack as the gateway: Fastify 5 with @as-integrations/fastify, POST /graphql.
 * - Same schema: schema/*.graphql built with buildSubgraphSchema, as src/schema.ts does, but
 *   with no resolvers at all: every field uses graphql-js's default resolver.
 * - Same Apollo settings that change per-request work: production mode, introspection off,
 *   cache-control and inline-trace plugins off, landing page off, CSRF prevention on (the
 *   server itself is bench/apollo-stack.mjs, shared with the reference gateway).
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
import { buildSubgraphSchema } from '@apollo/subgraph';
import { Kind, parse } from 'graphql';
import { serveGraphQL } from './apollo-stack.mjs';

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

process.on('message', (message) => {
  if (message?.type === 'data') {
    store(message.operationName, message.variables ?? {}, message.data);
    process.send?.({ type: 'stored', operationName: message.operationName });
  }
});

await serveGraphQL({ schema, rootValue });
