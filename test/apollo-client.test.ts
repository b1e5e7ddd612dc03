import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  AddModelLabelsDocument,
  CreateModelVersionDocument,
  DeployModelVersionDocument,
  EvalTaskDashboardDocument,
  ModelDetailDocument,
  ModelListPageDocument,
  NodeCardDocument,
  NodeCardsDocument,
  RemoveModelLabelsDocument,
  ServiceStatusDocument,
  TensorboardShareLinkDocument,
} from '../src/__generated__/client/graphql.js';
import { startHarness, type Harness } from './helpers/harness.js';

/**
 * The example frontend operations (examples/frontend/*.graphql, typed by codegen's client
 * preset) driven through a real Apollo Client with a normalised InMemoryCache, as a frontend
 * would use pai-graph: relay pagination merges pages, and mutation payloads update cached
 * objects without a refetch.
 */

let h: Harness;
let client: ApolloClient;

/** The cache a pai-graph frontend wants: ids are unique per type; model lists page by cursor. */
const createCache = () =>
  new InMemoryCache({
    typePolicies: {
      Query: { fields: { models: relayStylePagination(['filter']) } },
      // Labels are values owned by their model or version, not entities.
      Label: { keyFields: false },
    },
  });

beforeAll(async () => {
  h = await startHarness();
  client = new ApolloClient({ link: new HttpLink({ uri: h.url, fetch }), cache: createCache() });
});
afterAll(async () => {
  client.stop();
  await h.close();
});
beforeEach(() => h.resetCalls());

describe('Apollo Client against pai-graph', () => {
  it('merges model pages fetched with fetchMore into one cached list, one upstream call per page', async () => {
    const first = await client.query({ query: ModelListPageDocument, variables: { first: 5, filter: { domain: 'nlp' } } });
    expect(first.data!.models!.edges).toHaveLength(5);
    const page1Ids = first.data!.models!.edges.map((e) => e.node.id);

    const observable = client.watchQuery({ query: ModelListPageDocument, variables: { first: 5, filter: { domain: 'nlp' } } });
    await observable.fetchMore({ variables: { after: first.data!.models!.pageInfo.endCursor } });
    const merged = client.readQuery({ query: ModelListPageDocument, variables: { first: 5, filter: { domain: 'nlp' } } });
    expect(merged!.models!.edges).toHaveLength(10);
    expect(merged!.models!.edges.slice(0, 5).map((e) => e.node.id)).toEqual(page1Ids);
    expect(new Set(merged!.models!.edges.map((e) => e.node.id)).size).toBe(10);
    expect(h.actions()).toEqual(['ListModels', 'ListModels']);
  });

  it('shows labels added by a mutation on the cached model without a refetch', async () => {
    const id = (await client.query({ query: ModelListPageDocument, variables: { first: 1 } })).data!.models!.edges[0]!.node.id;
    const detail = await client.query({ query: ModelDetailDocument, variables: { id } });
    expect(detail.data!.model!.labels.some((l) => l.key === 'reviewed')).toBe(false);

    h.resetCalls();
    await client.mutate({ mutation: AddModelLabelsDocument, variables: { input: { modelId: id, labels: [{ key: 'reviewed', value: 'yes' }] } } });
    expect(h.actions()).toEqual(['CreateModelLabels', 'GetModel']);

    h.resetCalls();
    const cached = await client.query({ query: ModelDetailDocument, variables: { id }, fetchPolicy: 'cache-only' });
    expect(cached.data!.model!.labels).toContainEqual({ __typename: 'Label', key: 'reviewed', value: 'yes' });
    expect(h.actions()).toEqual([]);

    await client.mutate({ mutation: RemoveModelLabelsDocument, variables: { input: { modelId: id, keys: ['reviewed'] } } });
    const after = client.readQuery({ query: ModelDetailDocument, variables: { id } });
    expect(after!.model!.labels.some((l) => l.key === 'reviewed')).toBe(false);
  });

  it('normalises a created version by its id, reachable from its model', async () => {
    const id = (await client.query({ query: ModelListPageDocument, variables: { first: 1 } })).data!.models!.edges[0]!.node.id;
    const created = await client.mutate({
      mutation: CreateModelVersionDocument,
      variables: { input: { modelId: id, uri: 'oss://pai-demo-models.oss-cn-hangzhou.aliyuncs.com/client-test/', formatType: 'SAVED_MODEL', frameworkType: 'TENSORFLOW' } },
    });
    const version = created.data!.createModelVersion!.modelVersion!;
    expect(version.model?.id).toBe(id);
    expect(client.cache.identify(version)).toBe(`ModelVersion:${version.id}`);
    expect(version.id).toBe(`${id}/${version.name}`);
  });

  it('runs the evaluation dashboard and the TensorBoard share link', async () => {
    const dashboard = await client.query({ query: EvalTaskDashboardDocument, variables: { first: 10 } });
    expect(dashboard.data!.evalTasks!.nodes.length).toBeGreaterThan(0);
    expect(dashboard.data!.evalTasks!.nodes.every((t) => !t.modelConfig || typeof t.modelConfig.hasApiKey === 'boolean')).toBe(true);
    const boards = await h.gql(`{ tensorboards(first: 1, filter: { status: RUNNING }) { nodes { id } } }`);
    const link = await client.query({ query: TensorboardShareLinkDocument, variables: { id: boards.body.data!.tensorboards.nodes[0].id, seconds: 3600 } });
    expect(link.data!.tensorboard!.sharedUrl).toMatch(/^https:\/\/.+\/share\/tensorboard-/);
  });

  it('deploys a model version, then polls the one cached service the payload and the poll share', async () => {
    const deployed = await client.mutate({
      mutation: DeployModelVersionDocument,
      variables: { input: { modelId: 'model-a0ty3tfe9sci9aiytd', versionName: '1.0.0', serviceName: 'apollo_client_deploy', instanceCount: 2 } },
    });
    const service = deployed.data!.deployModelVersion!.service!;
    expect(service).toMatchObject({ name: 'apollo_client_deploy', status: 'CREATING', totalInstances: 2 });
    const polled = await client.query({ query: ServiceStatusDocument, variables: { name: 'apollo_client_deploy' }, fetchPolicy: 'network-only' });
    expect(polled.data!.service).toMatchObject({ id: service.id, hasAccessToken: true, pendingInstances: 2 });
    expect((client.cache.extract() as Record<string, unknown>)[client.cache.identify(service)!]).toMatchObject({ name: 'apollo_client_deploy', totalInstances: 2, hasAccessToken: true });
    expect(h.actions()).toEqual(['GetModelVersion', 'CreateService', 'DescribeService']);
  });

  it('normalises an object fetched through node() and through its own query into one cache entry', async () => {
    const cache = createCache();
    const fresh = new ApolloClient({ link: new HttpLink({ uri: h.url, fetch }), cache });
    try {
      const id = (await fresh.query({ query: ModelListPageDocument, variables: { first: 1 } })).data!.models!.edges[0]!.node.id;
      const detail = await fresh.query({ query: ModelDetailDocument, variables: { id } });
      const version = detail.data!.model!.versions!.nodes[0]!;

      h.resetCalls();
      const viaNode = await fresh.query({ query: NodeCardDocument, variables: { id } });
      const model = viaNode.data!.node!;
      expect(model.__typename).toBe('Model');
      expect(cache.identify(model)).toBe(`Model:${id}`);
      const viaVersion = await fresh.query({ query: NodeCardDocument, variables: { id: version.id } });
      expect(cache.identify(viaVersion.data!.node!)).toBe(`ModelVersion:${version.id}`);
      // The version's `model { id name }` is read again: loaders live for one operation.
      expect(h.actions()).toEqual(['GetModel', 'GetModelVersion', 'GetModel']);

      // One entry per object, holding what every query read of it.
      const entries = Object.keys(cache.extract());
      expect(entries.filter((k) => k.includes(id) && k.startsWith('Model:'))).toEqual([`Model:${id}`]);
      expect(entries.filter((k) => k === `ModelVersion:${version.id}`)).toHaveLength(1);
      expect((cache.extract() as Record<string, any>)[`Model:${id}`]).toMatchObject({ id, name: detail.data!.model!.name, labels: expect.any(Array) });
      expect((cache.extract() as Record<string, any>)[`ModelVersion:${version.id}`]).toMatchObject({ id: version.id, formatType: version.formatType, labels: expect.any(Array) });

      // The model detail page now reads back from the cache, node() having changed nothing it shows.
      h.resetCalls();
      const cached = await fresh.query({ query: ModelDetailDocument, variables: { id }, fetchPolicy: 'cache-only' });
      expect(cached.data!.model!.name).toBe(detail.data!.model!.name);
      expect(h.actions()).toEqual([]);
    } finally {
      fresh.stop();
    }
  });

  it('normalises every Node type by __typename and id, and nodes() in the order asked', async () => {
    const r = await h.gql(`{
      models(first: 1) { nodes { id latestVersion { id } } }
      algorithms(first: 1) { nodes { id versions(first: 1) { nodes { id } } } }
      evalTasks(first: 1) { nodes { id } }
      tensorboards(first: 1, filter: { createdAfter: "2020-01-01T00:00:00Z" }) { nodes { id } }
      services(first: 1) { nodes { id } }
    }`);
    const d = r.body.data!;
    const ids = [d.models.nodes[0].id, d.models.nodes[0].latestVersion.id, d.algorithms.nodes[0].id, d.algorithms.nodes[0].versions.nodes[0].id, d.evalTasks.nodes[0].id, d.tensorboards.nodes[0].id, d.services.nodes[0].id];
    const cache = createCache();
    const fresh = new ApolloClient({ link: new HttpLink({ uri: h.url, fetch }), cache });
    try {
      const result = await fresh.query({ query: NodeCardsDocument, variables: { ids: [...ids, ids[0]] } });
      const nodes = result.data!.nodes!;
      expect(nodes.map((n) => n!.id)).toEqual([...ids, ids[0]]);
      expect(nodes.map((n) => cache.identify(n!))).toEqual(nodes.map((n) => `${n!.__typename}:${n!.id}`));
      expect(new Set(nodes.map((n) => n!.__typename))).toEqual(new Set(['Model', 'ModelVersion', 'Algorithm', 'AlgorithmVersion', 'EvalTask', 'Tensorboard', 'Service']));
      const entries = Object.keys(cache.extract() as Record<string, unknown>).filter((k) => k !== 'ROOT_QUERY');
      expect(entries.sort()).toEqual(nodes.slice(0, 7).map((n) => `${n!.__typename}:${n!.id}`).sort());
    } finally {
      fresh.stop();
    }
  });
});
