import { composeServices } from '@apollo/composition';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'graphql';
import { startHarness, type Harness } from './helpers/harness.js';

/**
 * pai-graph composed into a supergraph next to a small `projects` subgraph whose Project
 * references Model and EvalTask by id, served by a real @apollo/gateway: composition must
 * succeed, a cross-subgraph query must resolve, and references must go through pai-graph's
 * loaders (deduplicated, in order, null for unknown ids).
 */

const ROUTER_SECRET = 'router-secret-4b5c6d7e8f';
let pai: Harness;
let projects: ApolloServer;
let projectsUrl: string;
let gateway: ApolloServer;
let gatewayUrl: string;
let modelIds: string[];
let taskId: string;

const PROJECTS_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Query { projects: [Project!]! }
  type Project { id: ID! name: String! model: Model evalTask: EvalTask }
  type Model @key(fields: "id", resolvable: false) { id: ID! }
  type EvalTask @key(fields: "id", resolvable: false) { id: ID! }
`;

async function post(url: string, query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  return { status: res.status, body: (await res.json()) as { data?: any; errors?: any[] } };
}

beforeAll(async () => {
  pai = await startHarness({ routerSecret: ROUTER_SECRET });
  modelIds = (await pai.gql(`{ models(first: 3) { nodes { id } } }`)).body.data!.models.nodes.map((n: { id: string }) => n.id);
  taskId = (await pai.gql(`{ evalTasks(first: 1) { nodes { id } } }`)).body.data!.evalTasks.nodes[0].id;

  const projectRows = [
    { id: 'p1', name: 'Search relevance', model: { id: modelIds[0] }, evalTask: { id: taskId } },
    { id: 'p2', name: 'Support bot', model: { id: modelIds[1] }, evalTask: null },
    { id: 'p3', name: 'Same model again', model: { id: modelIds[0] }, evalTask: null },
    { id: 'p4', name: 'Retired model', model: { id: 'model-does-not-exist' }, evalTask: null },
  ];
  projects = new ApolloServer({ schema: buildSubgraphSchema({ typeDefs: parse(PROJECTS_SDL), resolvers: { Query: { projects: () => projectRows } } }) });
  projectsUrl = (await startStandaloneServer(projects, { listen: { port: 0, host: '127.0.0.1' } })).url;

  const paiSdl = (await post(pai.url, '{ _service { sdl } }', undefined, { 'x-router-secret': ROUTER_SECRET })).body.data!._service.sdl as string;
  const composed = composeServices([
    { name: 'pai', url: pai.url, typeDefs: parse(paiSdl) },
    { name: 'projects', url: projectsUrl, typeDefs: parse(PROJECTS_SDL) },
  ]);
  if (composed.errors) throw new Error(`composition failed: ${composed.errors.map((e) => e.message).join('; ')}`);

  const { RemoteGraphQLDataSource } = await import('@apollo/gateway');
  gateway = new ApolloServer({
    gateway: new ApolloGateway({
      supergraphSdl: composed.supergraphSdl,
      // The router presents the shared secret that unlocks _entities on pai-graph.
      buildService: ({ url }) =>
        new RemoteGraphQLDataSource({
          url,
          willSendRequest: ({ request }) => {
            request.http?.headers.set('x-router-secret', ROUTER_SECRET);
          },
        }),
    }),
  });
  gatewayUrl = (await startStandaloneServer(gateway, { listen: { port: 0, host: '127.0.0.1' } })).url;
}, 30_000);

afterAll(async () => {
  await gateway?.stop();
  await projects?.stop();
  await pai?.close();
});

describe('pai-graph in a supergraph', () => {
  it('resolves a cross-subgraph query, with one deduplicated upstream read per referenced model', async () => {
    pai.resetCalls();
    const r = await post(gatewayUrl, `{ projects { name model { id name domain latestVersion { name } } evalTask { name status } } }`);
    expect(r.body.errors).toBeUndefined();
    const rows = r.body.data.projects;
    expect(rows.map((p: any) => p.name)).toEqual(['Search relevance', 'Support bot', 'Same model again', 'Retired model']);
    expect(rows[0].model.id).toBe(modelIds[0]);
    expect(rows[0].model.name).toEqual(expect.any(String));
    expect(rows[2].model).toEqual(rows[0].model);
    expect(rows[3].model).toBeNull();
    expect(rows[0].evalTask).toEqual({ name: expect.any(String), status: expect.stringMatching(/^(CREATED|RUNNING|FINISHED|USER_CANCELED)$/) });
    // Three distinct model ids and one task: four reads, the repeated model read once.
    expect(pai.actions().sort()).toEqual(['GetModel', 'GetModel', 'GetModel', 'GetOnlineEvalTask']);
  });

  it('answers 50 Model representations in one _entities call with at most 50 deduplicated reads, in order, null for unknown ids', async () => {
    const ids = (await pai.gql(`{ models(first: 30) { nodes { id } } }`)).body.data!.models.nodes.map((n: { id: string }) => n.id);
    const representations = Array.from({ length: 50 }, (_, i) => ({ __typename: 'Model', id: i % 10 === 9 ? `model-unknown-${i}` : ids[i % 30] }));
    pai.resetCalls();
    const r = await post(pai.url, `query($r: [_Any!]!) { _entities(representations: $r) { ... on Model { id } } }`, { r: representations }, { 'x-router-secret': ROUTER_SECRET });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data._entities.map((e: { id: string } | null) => e?.id ?? null)).toEqual(representations.map((rep) => (rep.id.startsWith('model-unknown') ? null : rep.id)));
    const distinct = new Set(representations.map((rep) => rep.id)).size;
    expect(pai.actions()).toHaveLength(distinct);
    expect(distinct).toBeLessThan(50);
    expect(pai.actions().every((a) => a === 'GetModel')).toBe(true);
  });

  it('resolves ModelVersion and AlgorithmVersion references by their compound keys', async () => {
    const version = (await pai.gql(`{ models(first: 1) { nodes { id latestVersion { name } } } }`)).body.data!.models.nodes[0];
    const algo = (await pai.gql(`{ algorithms(first: 1) { nodes { id versions(first: 1) { nodes { name } } } } }`)).body.data!.algorithms.nodes[0];
    const r = await post(
      pai.url,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on ModelVersion { id name } ... on AlgorithmVersion { id name } ... on Tensorboard { id } } }`,
      {
        r: [
          { __typename: 'ModelVersion', model: { id: version.id }, name: version.latestVersion.name },
          { __typename: 'AlgorithmVersion', algorithm: { id: algo.id }, name: algo.versions.nodes[0].name },
          { __typename: 'Tensorboard', id: 'tensorboard-unknown' },
        ],
      },
      { 'x-router-secret': ROUTER_SECRET },
    );
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data._entities).toEqual([{ id: `${version.id}/${version.latestVersion.name}`, name: version.latestVersion.name }, { id: `${algo.id}/${algo.versions.nodes[0].name}`, name: algo.versions.nodes[0].name }, null]);
  });

  it('keeps _service and _entities for the router: without its secret they are refused with 403 and no upstream call', async () => {
    pai.resetCalls();
    const sdl = await post(pai.url, '{ _service { sdl } }');
    expect(sdl.status).toBe(403);
    const entities = await post(pai.url, `query($r: [_Any!]!) { _entities(representations: $r) { ... on Model { id } } }`, { r: [{ __typename: 'Model', id: modelIds[0] }] }, { 'x-router-secret': 'wrong-secret-000000' });
    expect(entities.status).toBe(403);
    expect(entities.body.errors![0].extensions.code).toBe('FORBIDDEN');
    expect(pai.emulator.calls).toHaveLength(0);
  });
});
