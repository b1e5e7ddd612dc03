/**
 * The bench's reference gateway: issue 13's "80-line Apollo + DataLoader + undici gateway", the
 * simplest design that does the same upstream work as pai-graph, so the bench can show what any
 * gateway of that design costs on the machine it runs on. Started by bench/run.ts
 * (child_process.fork, plain `node`, no tsx), measured like the gateway (CPU under load, latency
 * at concurrency 1), and checked to answer the benchmark's operations with the same `data`.
 *
 * - Same HTTP stack as the gateway: Apollo Server 5 on Fastify 5 through @as-integrations/fastify,
 *   with the same per-request Apollo settings as the baseline (both served by apollo-stack.mjs).
 * - Its own small schema: only the types and fields the benchmark's queries select (enums as
 *   strings, which serialize to the same JSON).
 * - Per operation, DataLoaders over GetModel and ListModelVersions; ListModels primes them. A
 *   model's fields wait for GetModel but its versions do not, so `model(id) { versions }` sends
 *   both calls at once, as pai-graph does.
 * - Upstream: undici `request` over one keep-alive Agent (the simplest undici read; pai-graph's
 *   reads use `dispatch`), V3-signed with the gateway's own signer (dist/, so signing costs the
 *   same), every answer parsed as JSON.
 * - None of the rest: no input checks, auth, limits, cost, retries, timeouts, error mapping,
 *   coalescing across operations, metrics or logs.
 *
 * Environment: BENCH_UPSTREAM (the emulator's origin), BENCH_ACCESS_KEY_ID, BENCH_ACCESS_KEY_SECRET.
 * IPC: child -> { type: 'listening', port } once it accepts connections.
 */
import DataLoader from 'dataloader';
import { Agent, request } from 'undici';
import { Secret } from '../dist/core/secret.js';
import { staticCredentials } from '../dist/core/upstream/credentials.js';
import { createAccessKeySigner } from '../dist/core/upstream/signer.js';
import { ModelFormatType, ModelFrameworkType } from '../dist/models/models.enums.js';
import { serveGraphQL } from './apollo-stack.mjs';

const origin = process.env.BENCH_UPSTREAM ?? '';
const signer = createAccessKeySigner({ credentials: staticCredentials({ accessKeyId: process.env.BENCH_ACCESS_KEY_ID ?? '', accessKeySecret: new Secret(process.env.BENCH_ACCESS_KEY_SECRET ?? '') }) });
const agent = new Agent({ keepAliveTimeout: 4_000 });
const VERSION = '2021-02-04';

/** One signed AIWorkSpace read, its answer parsed. */
async function pai(action, path, query) {
  const url = new URL(`${origin}${path}${query ? `?${query}` : ''}`);
  const headers = new Headers({ accept: 'application/json', 'x-acs-action': action, 'x-acs-version': VERSION });
  await signer.sign({ method: 'GET', url, headers, body: undefined, action, version: VERSION });
  const res = await request(url, { method: 'GET', headers: Object.fromEntries(headers), dispatcher: agent });
  const json = await res.body.json();
  if (res.statusCode !== 200) throw new Error(`${action} answered ${res.statusCode}: ${json.Code}`);
  return json;
}

/** PAI's spelling -> the GraphQL enum name, compared as pai-graph does (case, spaces, `_` and `-` ignored). */
const spelling = (s) => s.toLowerCase().replace(/[\s_-]+/g, '');
const enumOf = (values) => {
  const names = new Map(Object.entries(values).map(([name, upstream]) => [spelling(upstream), name]));
  return (raw) => (raw ? (names.get(spelling(raw)) ?? null) : null);
};
const formatType = enumOf(ModelFormatType);
const frameworkType = enumOf(ModelFrameworkType);
const time = (s) => (s ? new Date(s).toISOString() : null);

const typeDefs = `#graphql
  type Query { model(id: ID!): Model, models(first: Int = 20): ModelConnection! }
  type ModelConnection { totalCount: Int!, nodes: [Model!]! }
  type Model {
    id: ID!, name: String, description: String, domain: String, task: String, labels: [Label!]!, createdAt: String
    latestVersion: ModelVersion, versions(first: Int = 20): ModelVersionConnection!
  }
  type ModelVersionConnection { totalCount: Int!, nodes: [ModelVersion!]! }
  type ModelVersion { id: ID!, name: String!, formatType: String, frameworkType: String, uri: String, createdAt: String }
  type Label { key: String!, value: String }
`;

const version = (modelId, v) => ({ id: `${modelId}/${v.VersionName}`, name: v.VersionName, formatType: formatType(v.FormatType), frameworkType: frameworkType(v.FrameworkType), uri: v.Uri ?? null, createdAt: time(v.GmtCreateTime) });
/** A model field: from the listed record when there is one, else once GetModel has answered. */
const field = (read) => (m, _args, { models }) => (m.record ? read(m.record) : models.load(m.id).then(read));

const resolvers = {
  Query: {
    model: (_p, { id }) => ({ id }),
    models: async (_p, { first }, { models }) => {
      const page = await pai('ListModels', '/api/v1/models', `PageNumber=1&PageSize=${first}`);
      for (const record of page.Models) models.prime(record.ModelId, record);
      return { totalCount: page.TotalCount, nodes: page.Models.map((record) => ({ id: record.ModelId, record })) };
    },
  },
  Model: {
    name: field((r) => r.ModelName),
    description: field((r) => r.ModelDescription ?? null),
    domain: field((r) => r.Domain ?? null),
    task: field((r) => r.Task ?? null),
    labels: field((r) => (r.Labels ?? []).map((l) => ({ key: l.Key, value: l.Value ?? null }))),
    createdAt: field((r) => time(r.GmtCreateTime)),
    latestVersion: field((r) => (r.LatestVersion ? version(r.ModelId, r.LatestVersion) : null)),
    versions: async (m, { first }, { versions }) => {
      const page = await versions.load(`${m.id}\n${first}`);
      return { totalCount: page.TotalCount, nodes: page.Versions.map((v) => version(m.id, v)) };
    },
  },
};

const context = async () => ({
  models: new DataLoader((ids) => Promise.all(ids.map((id) => pai('GetModel', `/api/v1/models/${encodeURIComponent(id)}`, '')))),
  versions: new DataLoader((keys) =>
    Promise.all(
      keys.map((key) => {
        const [id, first] = key.split('\n');
        return pai('ListModelVersions', `/api/v1/models/${encodeURIComponent(id)}/versions`, `PageNumber=1&PageSize=${first}`);
      }),
    ),
  ),
});
await serveGraphQL({ typeDefs, resolvers }, { context });
