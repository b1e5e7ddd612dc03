import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { codeOf, startHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => h.resetCalls());

/** One id of every Node type, read from the lists the way a client first meets them. */
async function oneOfEach(): Promise<Record<string, string>> {
  const r = await h.gql(`{
    models(first: 1) { nodes { id latestVersion { id } } }
    algorithms(first: 1) { nodes { id versions(first: 1) { nodes { id } } } }
    evalTasks(first: 1) { nodes { id } }
    tensorboards(first: 1, filter: { createdAfter: "2020-01-01T00:00:00Z" }) { nodes { id } }
    services(first: 1) { nodes { id name } }
  }`);
  expect(r.body.errors).toBeUndefined();
  const d = r.body.data!;
  return {
    Model: d.models.nodes[0].id,
    ModelVersion: d.models.nodes[0].latestVersion.id,
    Algorithm: d.algorithms.nodes[0].id,
    AlgorithmVersion: d.algorithms.nodes[0].versions.nodes[0].id,
    EvalTask: d.evalTasks.nodes[0].id,
    Tensorboard: d.tensorboards.nodes[0].id,
    Service: d.services.nodes[0].id,
  };
}

const NODE_FIELDS = `__typename id
  ... on Model { name }
  ... on ModelVersion { name model { id } }
  ... on Algorithm { name }
  ... on AlgorithmVersion { name algorithm { id } }
  ... on EvalTask { taskName: name }
  ... on Tensorboard { displayName }
  ... on Service { name }`;

describe('node(id:) and nodes(ids:)', () => {
  it('refetches every Node type by the id a query returned, one upstream read each', async () => {
    const ids = await oneOfEach();
    expect(ids.ModelVersion).toBe(`${ids.Model}/${ids.ModelVersion!.split('/')[1]}`);
    expect(ids.Service).toMatch(/^eas-m-/);
    for (const [type, id] of Object.entries(ids)) {
      h.resetCalls();
      const r = await h.gql(`query($id: ID!) { node(id: $id) { __typename id } }`, { id });
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data!.node).toEqual({ __typename: type, id });
      const expected = { Model: 'GetModel', ModelVersion: 'GetModelVersion', Algorithm: 'GetAlgorithm', AlgorithmVersion: 'GetAlgorithmVersion', EvalTask: 'GetOnlineEvalTask', Tensorboard: 'GetTensorboard', Service: 'ListServices' }[type];
      expect(h.actions()).toEqual([expected]);
    }
  });

  it('answers nodes(ids:) in the order asked, with each type’s own fields', async () => {
    const ids = await oneOfEach();
    h.resetCalls();
    const list = Object.values(ids);
    const r = await h.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { ${NODE_FIELDS} } }`, { ids: list });
    expect(r.body.errors).toBeUndefined();
    const nodes = r.body.data!.nodes;
    expect(nodes.map((n: any) => [n.__typename, n.id])).toEqual(Object.entries(ids));
    expect(nodes[1].model.id).toBe(ids.Model);
    expect(nodes[3].algorithm.id).toBe(ids.Algorithm);
    // One read per object; the version's model is the model already read.
    expect(h.actions().sort()).toEqual(['GetAlgorithm', 'GetAlgorithmVersion', 'GetModel', 'GetModelVersion', 'GetOnlineEvalTask', 'GetTensorboard', 'ListServices']);
    const byUid = h.emulator.calls.find((c) => c.action === 'ListServices')!;
    expect(byUid.query).toContain(`ServiceUid=${ids.Service}`);
  });

  it('reads 5 distinct model ids in at most 5 upstream calls and a repeated id in one', async () => {
    const r0 = await h.gql(`{ models(first: 5) { nodes { id } } }`);
    const five: string[] = r0.body.data!.models.nodes.map((n: { id: string }) => n.id);
    expect(five).toHaveLength(5);

    h.resetCalls();
    const r = await h.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Model { name } } }`, { ids: five });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.nodes.map((n: { id: string }) => n.id)).toEqual(five);
    expect(h.actions()).toEqual(['GetModel', 'GetModel', 'GetModel', 'GetModel', 'GetModel']);

    h.resetCalls();
    const again = await h.gql(`query($ids: [ID!]!, $id: ID!) { nodes(ids: $ids) { id } node(id: $id) { id } model(id: $id) { id } }`, { ids: [five[0], five[0], five[0]], id: five[0] });
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data!.nodes).toEqual([{ id: five[0] }, { id: five[0] }, { id: five[0] }]);
    expect(h.actions()).toEqual(['GetModel']);
  });

  it('answers null for a well-formed id of an object that does not exist, and null items in nodes', async () => {
    const r = await h.gql(`query($ids: [ID!]!) { node(id: "model-doesnotexist0000000") { id } nodes(ids: $ids) { id } }`, {
      ids: ['tensorboard-20000101000000-000000000000', 'algo-nosuchalgorithm', '0123456789abcdef0123456789abcdef', 'eas-m-nosuchservice', 'model-doesnotexist0000000/9.9.9'],
    });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data).toEqual({ node: null, nodes: [null, null, null, null, null] });
    expect(h.actions().sort()).toEqual(['GetAlgorithm', 'GetModel', 'GetModelVersion', 'GetOnlineEvalTask', 'GetTensorboard', 'ListServices']);
  });

  it.each([
    ['an id that names no kind of object', 'nonsense!', /must be the id of a Model/],
    ['a version of something without versions', 'tensorboard-x/1.0.0', /must be the id of a Model/],
    ['a model version whose name is `..`', 'model-abc/..', /its version name must match major\.minor\.patch/],
    ['a model version with a further `/`', 'model-abc/1.0.0/x', /its version name must match/],
    ['an algorithm version whose name is `.`', 'algo-abc/.', /its version name must be 1 to 64/],
    ['an empty model id part', '/1.0.0', /must be the id of a Model/],
  ])('refuses %s with BAD_USER_INPUT naming the argument, before any upstream call', async (_what, bad, rule) => {
    const one = await h.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: bad });
    expect(one.body.data).toEqual({ node: null });
    expect(codeOf(one)).toBe('BAD_USER_INPUT');
    expect(one.body.errors![0]!.extensions!.field).toBe('id');
    expect(one.body.errors![0]!.message).toMatch(rule);

    const ok = (await h.gql(`{ models(first: 1) { nodes { id } } }`)).body.data!.models.nodes[0].id;
    h.resetCalls();
    const many = await h.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [ok, ok, ok, bad] });
    expect(many.body.data).toEqual({ nodes: null });
    expect(codeOf(many)).toBe('BAD_USER_INPUT');
    expect(many.body.errors![0]!.extensions!.field).toBe('ids[3]');
    expect(many.body.errors![0]!.message).toMatch(rule);
    expect(h.actions()).toEqual([]);
  });

  it.each([
    ['longer than 128 characters', `model-${'a'.repeat(130)}`, /at most 128 characters/],
    ['holding a control character', 'model-abc\u0000', /control characters/],
  ])('refuses an id %s for the whole operation, before any upstream call', async (_what, bad, rule) => {
    const r = await h.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: ['model-abc', 'model-abd', 'model-abe', bad] });
    expect(r.status).toBe(400);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.body.errors![0]!.message).toMatch(/ids\[3\]/);
    expect(r.body.errors![0]!.message).toMatch(rule);
    expect(h.actions()).toEqual([]);
  });

  it('refuses more than 100 ids before any upstream call', async () => {
    const ids = Array.from({ length: 101 }, (_, i) => `model-${String(i).padStart(18, '0')}`);
    const r = await h.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids });
    expect(r.status).toBe(400);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.body.errors![0]!.message).toMatch(/ids: must hold at most 100 items/);
    expect(h.actions()).toEqual([]);
  });

  it('estimates one upstream call per id, and the ids’ children once per id', async () => {
    const ids = Array.from({ length: 7 }, (_, i) => `model-${String(i).padStart(18, '0')}`);
    const r = await h.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Model { versions(first: 5) { totalCount } } } }`, { ids });
    expect(r.body.errors).toBeUndefined();
    // 7 reads + 7 version lists at most; the models do not exist, so only the reads happen.
    expect(r.body.extensions!.cost.estimated).toBe(14);
    expect(r.body.extensions!.cost.actualUpstreamCalls).toBe(7);
  });

  it('resolves a router’s references to every entity type as before (federation keys unchanged)', async () => {
    const ids = await oneOfEach();
    h.resetCalls();
    const [modelId, versionName] = ids.ModelVersion!.split('/');
    const r = await h.gql(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Node { id } } }`, {
      r: [
        { __typename: 'Model', id: ids.Model },
        { __typename: 'ModelVersion', model: { id: modelId }, name: versionName },
        { __typename: 'EvalTask', id: ids.EvalTask },
        { __typename: 'Tensorboard', id: ids.Tensorboard },
      ],
    });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!._entities.map((e: { id: string }) => e.id)).toEqual([ids.Model, ids.ModelVersion, ids.EvalTask, ids.Tensorboard]);
  });
});
