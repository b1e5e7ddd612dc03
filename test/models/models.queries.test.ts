import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startHarness, type Harness } from '../helpers/harness.js';
import { until } from '../helpers/until.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => h.resetCalls());

const LIST_IDS = `query($first: Int, $after: String, $filter: ModelFilter, $orderBy: ModelOrder) {
  models(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id name } }
  }
}`;

async function allModelIds(): Promise<string[]> {
  const r = await h.gql(LIST_IDS, { first: 100 });
  return r.body.data!.models.edges.map((e: { node: { id: string } }) => e.node.id);
}

describe('listing models', () => {
  it('lists 20 models with their latest version in exactly one upstream call', async () => {
    const r = await h.gql(`{ models(first: 20) { totalCount nodes { id name latestVersion { id name formatType frameworkType approvalStatus labels { key value } createdAt } } } }`);
    expect(r.status).toBe(200);
    expect(r.body.errors).toBeUndefined();
    const nodes = r.body.data!.models.nodes;
    expect(nodes).toHaveLength(20);
    expect(nodes.every((n: any) => n.latestVersion && n.latestVersion.id === `${n.id}/${n.latestVersion.name}`)).toBe(true);
    expect(h.actions()).toEqual(['ListModels']);
    expect(h.emulator.calls[0]!.query).toBe('PageNumber=1&PageSize=20');
  });

  it('lists 20 models with their versions in exactly 21 upstream calls, one ListModelVersions per model', async () => {
    const r = await h.gql(`{ models(first: 20) { nodes { id versions { totalCount nodes { id name } } } } }`);
    expect(r.body.errors).toBeUndefined();
    const nodes = r.body.data!.models.nodes;
    expect(nodes).toHaveLength(20);
    expect(nodes.every((n: any) => n.versions.nodes.length >= 2 && n.versions.totalCount === n.versions.nodes.length)).toBe(true);
    const actions = h.actions();
    expect(actions).toHaveLength(21);
    expect(actions[0]).toBe('ListModels');
    expect(actions.filter((a) => a === 'ListModelVersions')).toHaveLength(20);
    const versionPaths = h.emulator.calls.slice(1).map((c) => c.path);
    expect(new Set(versionPaths).size).toBe(20);
    expect(versionPaths.sort()).toEqual(nodes.map((n: any) => `/api/v1/models/${n.id}/versions`).sort());
  });

  it('costs one upstream call when the same model is asked for twice in one operation', async () => {
    const [id] = await allModelIds();
    h.resetCalls();
    const r = await h.gql(`query($id: ID!) { a: model(id: $id) { id name } b: model(id: $id) { id domain versions(first: 1) { totalCount } } }`, { id });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.a.id).toBe(id);
    expect(r.body.data!.b.id).toBe(id);
    expect(h.actions()).toEqual(['GetModel', 'ListModelVersions']);
  });

  it('asks for a model and the versions selected under it together, without waiting for GetModel to answer', async () => {
    const [id] = await allModelIds();
    h.resetCalls();
    const release = h.hold('GetModel');
    const pending = h.gql(`query($id: ID!, $n: Int!) { model(id: $id) { id ... on Model { versions(first: $n) { totalCount nodes { name } } } skipped: versions(first: 3) @skip(if: true) { totalCount } } }`, { id, n: 2 });
    // GetModel is held at the gateway's edge; its versions reach PAI all the same.
    await until(() => h.actions().includes('ListModelVersions'));
    expect(h.actions()).toEqual(['ListModelVersions']);
    release();
    const r = await pending;
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.model.id).toBe(id);
    expect(r.body.data!.model.versions.nodes).toHaveLength(2);
    expect(r.body.data!.model.skipped).toBeUndefined();
    // One list for the selection that runs (the skipped one costs nothing), then the model.
    expect(h.actions()).toEqual(['ListModelVersions', 'GetModel']);
    expect(h.emulator.calls[0]!.query).toBe('PageNumber=1&PageSize=2');
  });

  it('answers null without an error for an unknown model id whose versions were asked for together with it', async () => {
    const r = await h.gql(`{ model(id: "model-doesnotexist000000") { id versions { totalCount } } }`);
    expect(r.status).toBe(200);
    expect(r.result).toEqual({ data: { model: null } });
    expect(h.actions().sort()).toEqual(['GetModel', 'ListModelVersions']);
  });

  it('answers null without an error for an unknown model id, after one upstream call', async () => {
    const r = await h.gql(`{ model(id: "model-doesnotexist000000") { id } }`);
    expect(r.status).toBe(200);
    expect(r.result).toEqual({ data: { model: null } });
    expect(h.actions()).toEqual(['GetModel']);
  });

  it('serves model.latestVersion from the listed model and model.version from the primed loader', async () => {
    const r = await h.gql(`{ models(first: 3) { nodes { id latestVersion { name } } } }`);
    const nodes = r.body.data!.models.nodes;
    h.resetCalls();
    const { id, latestVersion } = nodes[0];
    const one = await h.gql(`query($id: ID!, $v: String!) { model(id: $id) { latestVersion { name uri } version(name: $v) { name uri metrics inferenceSpec } } }`, { id, v: latestVersion.name });
    expect(one.body.errors).toBeUndefined();
    expect(one.body.data!.model.version).toMatchObject({ name: latestVersion.name, uri: one.body.data!.model.latestVersion.uri });
    expect(one.body.data!.model.version.inferenceSpec).toHaveProperty('processor');
    // GetModel carries LatestVersion, which primes the version loader: no GetModelVersion.
    expect(h.actions()).toEqual(['GetModel']);
  });

  it('fetches a version that is not the latest with one GetModelVersion and answers null for a missing one', async () => {
    const [id] = await allModelIds();
    h.resetCalls();
    const r = await h.gql(`query($id: ID!) { model(id: $id) { first: version(name: "0.1.0") { id name model { id } } missing: version(name: "9.9.9") { id } } }`, { id });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.model.first).toEqual({ id: `${id}/0.1.0`, name: '0.1.0', model: { id } });
    expect(r.body.data!.model.missing).toBeNull();
    expect(h.actions().sort()).toEqual(['GetModel', 'GetModelVersion', 'GetModelVersion']);
  });

  it('translates cursors to PageNumber/PageSize exactly, also when after is not on a page boundary', async () => {
    const everything = await allModelIds();
    expect(everything.length).toBeGreaterThanOrEqual(30);
    for (const [offset, first] of [
      [0, 7],
      [6, 7],
      [14, 10],
      [3, 25],
      [29, 5],
    ] as const) {
      const start = await h.gql(LIST_IDS, { first: offset + 1 });
      const after = start.body.data!.models.pageInfo.endCursor;
      h.resetCalls();
      const page = await h.gql(LIST_IDS, { first, after });
      const ids = page.body.data!.models.edges.map((e: any) => e.node.id);
      expect(ids).toEqual(everything.slice(offset + 1, offset + 1 + first));
      expect(page.body.data!.models.pageInfo.hasNextPage).toBe(offset + 1 + first < everything.length);
      expect(page.body.data!.models.totalCount).toBe(everything.length);
      // One upstream page holds the whole window whenever a page size up to 100 allows it.
      expect(h.actions()).toEqual(['ListModels']);
    }
  });

  it('walks every model page by page without gaps or repeats', async () => {
    const everything = await allModelIds();
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 20; i += 1) {
      const r = await h.gql(LIST_IDS, { first: 7, after });
      const conn: any = r.body.data!.models;
      seen.push(...conn.edges.map((e: any) => e.node.id));
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(seen).toEqual(everything);
  });

  it('sends filters and order as ListModels query parameters and returns what matches', async () => {
    const r = await h.gql(`{ models(first: 50, filter: { domain: "audio", label: "speech" }, orderBy: { field: CREATED_AT, direction: DESC }) { totalCount nodes { domain createdAt labels { key value } } } }`);
    expect(r.body.errors).toBeUndefined();
    const nodes = r.body.data!.models.nodes;
    expect(nodes.length).toBe(r.body.data!.models.totalCount);
    expect(nodes.length).toBeGreaterThanOrEqual(8);
    expect(nodes.every((n: any) => n.domain === 'audio' && n.labels.some((l: any) => l.value === 'speech'))).toBe(true);
    const times = nodes.map((n: any) => n.createdAt);
    expect(times).toEqual([...times].sort().reverse());
    const sent = new URLSearchParams(h.emulator.calls[0]!.query);
    expect(Object.fromEntries(sent)).toEqual({ Domain: 'audio', Label: 'speech', SortBy: 'GmtCreateTime', Order: 'DESC', PageNumber: '1', PageSize: '50' });
  });

  it('lists a provider’s public models only when filter.provider is given', async () => {
    const own = await h.gql(`{ models(first: 100) { nodes { provider } } }`);
    expect(own.body.data!.models.nodes.every((n: any) => n.provider === null)).toBe(true);
    const pub = await h.gql(`{ models(first: 100, filter: { provider: "pai" }) { totalCount nodes { provider accessibility } } }`);
    expect(pub.body.data!.models.totalCount).toBeGreaterThan(0);
    expect(pub.body.data!.models.nodes.every((n: any) => n.provider === 'pai' && n.accessibility === 'PUBLIC')).toBe(true);
  });

  it('sends tags and conditions as JSON-serialised query parameters', async () => {
    const r = await h.gql(`{ models(first: 100, filter: { query: "qwen", tags: [{ key: "team", value: "search" }], conditions: [{ column: "ParameterSize", operator: "LessThan", value: "10000" }] }) { nodes { name parameterSize } } }`);
    expect(r.body.errors).toBeUndefined();
    const names = r.body.data!.models.nodes.map((n: any) => n.name);
    expect(names).toEqual(expect.arrayContaining(['Qwen2.5-7B-Instruct']));
    expect(names).not.toContain('Qwen2.5-72B-Instruct');
    const sent = new URLSearchParams(h.emulator.calls[0]!.query);
    expect(JSON.parse(sent.get('Tag')!)).toEqual([{ Key: 'team', Value: 'search' }]);
    expect(JSON.parse(sent.get('Conditions')!)).toEqual([{ Column: 'ParameterSize', Operator: 'LessThan', Value: '10000' }]);
  });

  it('maps PAI enum strings to GraphQL enum values, e.g. "Keras H5" to KERAS_H5', async () => {
    const r = await h.gql(`{ models(first: 5, filter: { name: "mobilenet" }) { nodes { latestVersion { formatType frameworkType sourceType } } } }`);
    expect(r.body.data!.models.nodes[0].latestVersion).toMatchObject({ formatType: 'KERAS_H5', frameworkType: 'KERAS' });
  });

  it('filters and pages a model’s versions', async () => {
    const [id] = await allModelIds();
    h.resetCalls();
    const r = await h.gql(`query($id: ID!) { model(id: $id) { versions(first: 1, filter: { approvalStatus: APPROVED }) { totalCount nodes { name approvalStatus } } } }`, { id });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.model.versions).toEqual({ totalCount: 1, nodes: [{ name: '1.0.0', approvalStatus: 'APPROVED' }] });
    const versionCall = h.emulator.calls.find((c) => c.action === 'ListModelVersions')!;
    expect(Object.fromEntries(new URLSearchParams(versionCall.query))).toEqual({ ApprovalStatus: 'Approved', PageNumber: '1', PageSize: '1' });
  });

  it('costs exactly one call for totalCount alone with first: 0', async () => {
    const r = await h.gql(`{ models(first: 0) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } }`);
    expect(r.body.data!.models).toMatchObject({ nodes: [], pageInfo: { hasNextPage: true, endCursor: null } });
    expect(r.body.data!.models.totalCount).toBeGreaterThan(0);
    expect(h.actions()).toEqual(['ListModels']);
  });
});
