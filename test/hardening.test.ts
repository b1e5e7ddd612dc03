import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { parse, type OperationDefinitionNode } from 'graphql';
import { DocumentTooComplexError, estimateCost, isPlanKept } from '../src/core/plugins/cost.js';
import { buildPath } from '../src/core/upstream/encoding.js';
import { modelCosts } from '../src/models/index.js';
import { createSchema } from '../src/schema.js';
import { codeOf, startHarness, type Harness } from './helpers/harness.js';

/**
 * What a hostile or careless caller can send: ids that are not one URL path segment,
 * fragment bombs, negative and huge counts, oversized strings and lists, federation fields
 * hidden in fragments, and clients that go away. Every refusal costs zero upstream calls.
 */

let h: Harness;
let modelId: string;
beforeAll(async () => {
  h = await startHarness({ routerSecret: 'router-secret-0123456789' });
  modelId = (await h.gql(`{ models(first: 1) { nodes { id } } }`)).body.data!.models.nodes[0].id;
});
afterAll(() => h.close());
beforeEach(() => {
  h.emulator.faults.clear();
  h.resetCalls();
});

/** Ids that are not a single URL path segment, and what each breaks. */
const BAD_SEGMENTS: [string, string][] = [
  ['.', 'must not be "." or ".."'],
  ['..', 'must not be "." or ".."'],
  ['a/b', 'must not contain "/" or "\\"'],
  ['../../api/v1/models', 'must not contain "/" or "\\"'],
  ['a\\b', 'must not contain "/" or "\\"'],
  ['x\u0000y', 'must not contain control characters'],
  ['line\nbreak', 'must not contain control characters'],
  ['m'.repeat(129), 'must be at most 128 characters'],
];

/** Every operation whose argument becomes a path segment upstream, with that argument's name. */
const PATH_OPERATIONS: [string, string, (id: string) => Record<string, unknown>][] = [
  ['query($v: ID!) { model(id: $v) { id } }', 'id', (v) => ({ v })],
  ['query($v: ID!) { algorithm(id: $v) { id } }', 'id', (v) => ({ v })],
  ['query($v: ID!) { evalTask(id: $v) { id } }', 'id', (v) => ({ v })],
  ['query($v: ID!) { tensorboard(id: $v) { id } }', 'id', (v) => ({ v })],
  ['mutation($v: ID!) { updateModel(input: { id: $v, description: "x" }) { model { id } } }', 'input.id', (v) => ({ v })],
  ['mutation($v: ID!) { deleteModel(input: { id: $v }) { deletedId } }', 'input.id', (v) => ({ v })],
  ['mutation($v: ID!) { deleteModelVersion(input: { modelId: $v, name: "1.1.0" }) { deletedId } }', 'input.modelId', (v) => ({ v })],
  ['mutation($v: ID!) { createModelVersion(input: { modelId: $v, uri: "oss://b.oss-cn-hangzhou.aliyuncs.com/m/" }) { modelVersion { id } } }', 'input.modelId', (v) => ({ v })],
  ['mutation($v: ID!) { addModelLabels(input: { modelId: $v, labels: [{ key: "k", value: "v" }] }) { model { id } } }', 'input.modelId', (v) => ({ v })],
  ['mutation($v: ID!) { removeModelVersionLabels(input: { modelId: $v, name: "1.0.0", keys: ["k"] }) { modelVersion { id } } }', 'input.modelId', (v) => ({ v })],
  ['mutation($v: ID!) { deleteAlgorithm(input: { id: $v }) { deletedId } }', 'input.id', (v) => ({ v })],
  ['mutation($v: ID!) { deleteAlgorithmVersion(input: { algorithmId: $v, name: "v1" }) { deletedId } }', 'input.algorithmId', (v) => ({ v })],
  ['mutation($v: ID!) { stopEvalTask(input: { id: $v }) { evalTask { id } } }', 'input.id', (v) => ({ v })],
  ['mutation($v: ID!) { deleteEvalTask(input: { id: $v }) { deletedId } }', 'input.id', (v) => ({ v })],
  ['mutation($v: ID!) { startTensorboard(input: { id: $v }) { tensorboard { id } } }', 'input.id', (v) => ({ v })],
  ['mutation($v: ID!) { stopTensorboard(input: { id: $v }) { tensorboard { id } } }', 'input.id', (v) => ({ v })],
  ['mutation($v: ID!) { updateTensorboard(input: { id: $v, priority: "2" }) { tensorboard { id } } }', 'input.id', (v) => ({ v })],
  ['mutation($v: ID!) { deleteTensorboard(input: { id: $v }) { deletedId } }', 'input.id', (v) => ({ v })],
];

describe('values that become URL path segments', () => {
  it.each(PATH_OPERATIONS.flatMap(([query, field, vars]) => BAD_SEGMENTS.map(([id, rule]) => [query.slice(0, 60), JSON.stringify(id).slice(0, 20), query, field, vars(id), rule] as const)))(
    '%s refuses id %s with BAD_USER_INPUT naming the argument and calls nothing',
    async (_label, _id, query, field, variables, rule) => {
      const r = await h.gql(query, variables);
      expect(r.status).toBeLessThan(500);
      expect(r.body.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field, rule }) })]);
      expect(h.actions()).toEqual([]);
    },
  );

  it('refuses version names that are not one segment, in queries and mutations, calling nothing', async () => {
    const nested = await h.gql(`query($id: ID!) { model(id: $id) { version(name: "..") { id } } }`, { id: modelId });
    expect(nested.status).toBe(400);
    expect(nested.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name', coordinate: 'Model.version' });
    const algorithm = await h.gql(`mutation { deleteAlgorithmVersion(input: { algorithmId: "algo-1", name: ".." }) { deletedId } }`);
    expect(algorithm.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
    expect(h.actions()).toEqual([]);
  });

  it('refuses federation references whose keys are not one segment, calling nothing', async () => {
    const r = await h.gql(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on ModelVersion { id } ... on Model { id } } }`,
      { r: [{ __typename: 'ModelVersion', model: { id: '..' }, name: '1.0.0' }, { __typename: 'Model', id: '.' }] },
      { 'x-router-secret': 'router-secret-0123456789' },
    );
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({ _entities: [null, null] });
    expect(r.body.errors!.map((e) => e.extensions!.code)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT']);
    expect(h.actions()).toEqual([]);
  });

  it('percent-encodes any other id, so it stays one segment upstream', async () => {
    const r = await h.gql(`{ model(id: "a b%2e?x#y") { id } }`);
    expect(r.result).toEqual({ data: { model: null } });
    expect(h.emulator.calls.map((c) => [c.action, c.path])).toEqual([['GetModel', '/api/v1/models/a%20b%252e%3Fx%23y']]);
  });

  it('is enforced where paths are built, whatever the caller checked before', () => {
    for (const [id, rule] of [...BAD_SEGMENTS.filter(([v]) => v.length < 100), ['', 'must not be empty'], ['x'.repeat(257), 'must be at most 256 characters']] as const) {
      expect(() => buildPath('/api/v1/models/{ModelId}', { ModelId: id })).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'ModelId', rule }) }));
    }
    expect(buildPath('/api/v1/models/{ModelId}/versions/{VersionName}', { ModelId: 'model-1', VersionName: '1.0.0' })).toBe('/api/v1/models/model-1/versions/1.0.0');
  });
});

describe('fragment bombs', () => {
  /** 30 fragments on Query, each spreading the next twice: 2^30 spreads when expanded. */
  const sameLevel = () => {
    let doc = `query { ...F0 }\n`;
    for (let i = 0; i < 30; i += 1) doc += `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }\n`;
    return `${doc}fragment F30 on Query { models(first: 1) { totalCount } }\n`;
  };
  /** 30 fragments on Model, each selecting the next under two aliases: 2^30 paths, 60 levels deep. */
  const nested = () => {
    let doc = `query { model(id: "m") { ...G0 } }\n`;
    for (let i = 0; i < 30; i += 1) doc += `fragment G${i} on Model { a: latestVersion { model { ...G${i + 1} } } b: latestVersion { model { ...G${i + 1} } } }\n`;
    return `${doc}fragment G30 on Model { id }\n`;
  };

  it('answers a document whose fields merge as execution merges them, with one upstream call', async () => {
    const [bomb, other] = await Promise.all([h.gql(sameLevel()), h.gql(`{ algorithms(first: 1) { totalCount } }`)]);
    expect(bomb.result).toEqual({ data: { models: { totalCount: expect.any(Number) } } });
    expect(bomb.body.extensions!.cost.estimated).toBe(1);
    expect(other.result.errors).toBeUndefined();
    expect(h.actions().sort()).toEqual(['ListAlgorithms', 'ListModels']);
  });

  it('refuses a document that would be 60 levels deep with 400 before any call, while other requests are answered', async () => {
    const [bomb, other] = await Promise.all([h.gql(nested()), h.gql(`{ algorithms(first: 1) { totalCount } }`)]);
    expect(bomb.status).toBe(400);
    expect(bomb.body.errors![0]).toMatchObject({ message: 'The operation is 62 levels deep; the limit is 12.', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(other.result.errors).toBeUndefined();
    expect(h.actions()).toEqual(['ListAlgorithms']);
  });

  it('estimates both in a walk linear in the document: a few hundred steps, not 2^30', () => {
    const schema = createSchema();
    const estimate = (text: string) => {
      const document = parse(text);
      const fields = new Set<unknown>();
      // 1,000 steps: every spread and field of these documents, each merged group walked once.
      const cost = estimateCost(schema, document, document.definitions[0] as OperationDefinitionNode, {}, modelCosts, (_f, _a, node) => fields.add(node), 1000);
      return { cost, fields: fields.size };
    };
    expect(estimate(sameLevel())).toEqual({ cost: 1, fields: 2 });
    // model(id) costs 1; each level's two model fields cost 1 each plus what they select below.
    const g = (i: number): number => (i === 30 ? 0 : 2 * (1 + g(i + 1)));
    expect(estimate(nested())).toEqual({ cost: 1 + g(0), fields: 2 + 4 * 30 });
    expect(() => estimateCost(schema, parse(nested()), parse(nested()).definitions[0] as OperationDefinitionNode, {}, modelCosts, undefined, 100)).toThrow(DocumentTooComplexError);
  });

  it('plans an operation once and evaluates it per request: variables are read afresh, every field shown to the checks each time', () => {
    const schema = createSchema();
    const document = parse(`query($n: Int, $m: Int) {
      a: models(first: $n) { nodes { id versions(first: $m) { nodes { name } } } }
      b: models(first: 2) { nodes { versions(first: 3) { totalCount } } }
    }`);
    const operation = document.definitions[0] as OperationDefinitionNode;
    const run = (variables: Record<string, unknown>) => {
      const seen: string[] = [];
      const cost = estimateCost(schema, document, operation, variables, modelCosts, ({ coordinate }, args) => seen.push(`${coordinate}(${JSON.stringify(args)})`));
      return { cost, seen };
    };
    // a: one ListModels, then one ListModelVersions per model; b: 1 + 2 x 1, whatever the variables.
    const first = run({ n: 5, m: 1 });
    expect(first.cost).toBe(1 + 5 + 1 + 2);
    expect(run({ n: 20, m: 1 }).cost).toBe(1 + 20 + 1 + 2);
    const again = run({ n: 5, m: 1 });
    expect(again).toEqual(first);
    expect(again.seen).toEqual(['Query.models({"first":5})', 'ModelConnection.nodes({})', 'Model.id({})', 'Model.versions({"first":1})', 'ModelVersionConnection.nodes({})', 'ModelVersion.name({})', 'Query.models({"first":2})', 'ModelConnection.nodes({})', 'Model.versions({"first":3})', 'ModelVersionConnection.totalCount({})']);
    // A variable left out falls back to the field's default (10) in that request only.
    const without = run({ m: 1 });
    expect([without.cost, without.seen[0]]).toEqual([1 + 10 + 1 + 2, 'Query.models({})']);
    expect(run({ n: 3, m: 1 }).cost).toBe(1 + 3 + 1 + 2);
    expect(isPlanKept(operation)).toBe(true);
  });

  it('keeps no plan for a document whose fragments multiply the walk, so such plans cannot fill memory', () => {
    const schema = createSchema();
    const plan = (text: string) => {
      const document = parse(text);
      const operation = document.definitions[0] as OperationDefinitionNode;
      const first = estimateCost(schema, document, operation, {}, modelCosts);
      // Planned afresh, it estimates the same.
      expect(estimateCost(schema, document, operation, {}, modelCosts)).toBe(first);
      return isPlanKept(operation);
    };
    // Fragments spread many times but merged the same way each time plan once: kept.
    expect(plan(sameLevel())).toBe(true);
    expect(plan(nested())).toBe(true);
    // Under `b` each level merges the next L with an M whose fields merge into the level below,
    // so the merges differ along every path: 2^10 of them for about 100 field nodes.
    let doc = `query { model(id: "m") { ...L0 } }\n`;
    for (let i = 0; i < 10; i += 1) {
      doc += `fragment L${i} on Model { a: latestVersion { model { ...L${i + 1} } } b: latestVersion { model { ...L${i + 1} ...M${i + 1} } } }\n`;
      doc += `fragment M${i + 1} on Model { a: latestVersion { model { id } } b: latestVersion { model { name } } }\n`;
    }
    expect(plan(`${doc}fragment L10 on Model { id }\n`)).toBe(false);
  });
});

describe('introspection', () => {
  it('fits the depth limit as clients send it, while a multiplying introspection query is refused', async () => {
    const { getIntrospectionQuery } = await import('graphql');
    const full = await h.gql(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true }));
    expect(full.status).toBe(200);
    expect(full.result.errors).toBeUndefined();
    // Each `fields { type { ... } }` multiplies by the fields of every type: 14 levels here.
    const levels = ['__schema', 'types', ...Array.from({ length: 5 }, () => ['fields', 'type']).flat(), 'fields'];
    const bomb = await h.gql(`{ ${levels.join(' { ')} { name ${'} '.repeat(levels.length)}}`);
    expect(bomb.status).toBe(400);
    expect(bomb.body.errors![0]!.message).toMatch(/^The operation is 14 levels deep; the limit is 12\.$/);
    expect(h.actions()).toEqual([]);
  });
});

describe('counts', () => {
  it.each([
    ['models', `{ models(first: -1000000) { totalCount } }`, 'first'],
    ['models, one over', `{ models(first: 101) { totalCount } }`, 'first'],
    ['models, the largest Int', `{ models(first: 2147483647) { totalCount } }`, 'first'],
    ['algorithms', `{ algorithms(first: -1) { totalCount } }`, 'first'],
    ['eval tasks', `{ evalTasks(first: -1) { totalCount } }`, 'first'],
    ['TensorBoards', `{ tensorboards(first: -5) { totalCount } }`, 'first'],
  ])('refuses a root %s list with first out of range, calling nothing', async (_label, query, field) => {
    const r = await h.gql(query);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.body.errors![0]!.extensions!.field).toBe(field);
    expect(r.body.extensions!.cost.estimated).toBeGreaterThanOrEqual(0);
    expect(h.actions()).toEqual([]);
  });

  it.each([
    ['model versions', `query($id: ID!) { model(id: $id) { versions(first: -1000000) { totalCount } } }`, 'Model.versions'],
    ['model versions, the largest Int', `{ models(first: 100) { nodes { versions(first: 2147483647) { totalCount } } } }`, 'Model.versions'],
    ['algorithm versions', `{ algorithm(id: "a") { versions(first: -3) { totalCount } } }`, 'Algorithm.versions'],
    ['a shared URL lifetime', `{ tensorboard(id: "t") { sharedUrl(expireTimeSeconds: -60) } }`, 'Tensorboard.sharedUrl'],
  ])('refuses nested %s out of range with 400 before the parent is fetched', async (_label, query, coordinate) => {
    const r = await h.gql(query, { id: modelId });
    expect(r.status).toBe(400);
    expect(r.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', coordinate });
    expect(h.actions()).toEqual([]);
  });

  it('never lets a negative count lower the estimate below what the rest of the operation costs', async () => {
    const r = await h.gql(`{ a: models(first: -1000000) { nodes { id } } b: models(first: 100) { nodes { versions(first: 100) { totalCount } } } }`);
    expect(r.status).toBe(400);
    expect(r.body.errors![0]!.extensions).toMatchObject({ code: 'OPERATION_TOO_COSTLY', estimated: 1 + 1 + 100 });
    expect(h.actions()).toEqual([]);
  });

  it.each([
    ['cpu', `mutation { createTensorboard(input: { jobId: "dlc-1", cpu: 100000 }) { tensorboard { id } } }`, 'input.cpu'],
    ['memory', `mutation { createTensorboard(input: { jobId: "dlc-1", memory: -1 }) { tensorboard { id } } }`, 'input.memory'],
    ['running time', `mutation { updateTensorboard(input: { id: "t", maxRunningTimeMinutes: 2000000000 }) { tensorboard { id } } }`, 'input.maxRunningTimeMinutes'],
  ])('refuses a TensorBoard %s out of its range, calling nothing', async (_label, query, field) => {
    const r = await h.gql(query);
    expect(r.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(h.actions()).toEqual([]);
  });
});

describe('sizes and characters of every argument', () => {
  it.each([
    ['a 200 KB id', `query($v: ID!) { model(id: $v) { id } }`, { v: 'm'.repeat(200_000) }, 'Query.model', 'id', 'must be at most 128 characters'],
    ['a 200 KB filter', `query($v: String) { models(filter: { name: $v }) { totalCount } }`, { v: 'n'.repeat(200_000) }, 'Query.models', 'filter.name', 'must be at most 4096 characters'],
    ['a name with NUL', `mutation($v: String!) { createModel(input: { name: $v }) { model { id } } }`, { v: 'bad\u0000name' }, 'Mutation.createModel', 'input.name', 'must not contain control characters other than tab and line breaks'],
    ['10,000 labels', `mutation($l: [LabelInput!]!) { addModelLabels(input: { modelId: "m", labels: $l }) { model { id } } }`, { l: Array.from({ length: 10_000 }, (_, i) => ({ key: `k${i}`, value: 'v' })) }, 'Mutation.addModelLabels', 'input.labels', 'must hold at most 100 items'],
    ['a nested 10 KB version name', `query($v: String!) { model(id: "m") { version(name: $v) { id } } }`, { v: 'v'.repeat(10_000) }, 'Model.version', 'name', 'must be at most 4096 characters'],
  ])('refuses %s with 400 naming the coordinate, the argument and the limit, calling nothing', async (_label, query, variables, coordinate, field, rule) => {
    const r = await h.gql(query, variables);
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', coordinate, field, rule }) })]);
    expect(r.text.length).toBeLessThan(2000);
    expect(h.actions()).toEqual([]);
  });

  it('answers a literal nested deeper than the parser can follow with a 400 syntax error, not an engine message', async () => {
    const r = await h.gql(`mutation { createModel(input: { name: "deep", extraInfo: { a: ${'['.repeat(2450)}${']'.repeat(2450)} } }) { model { id } } }`, undefined);
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([{ message: 'Syntax Error: the document is nested too deeply to parse; send deep values as variables.', extensions: { code: 'GRAPHQL_PARSE_FAILED' } }]);
    expect(h.actions()).toEqual([]);
  });

  it('clips the echo of a large invalid variable in its error message', async () => {
    const r = await h.gql(`query($f: ModelFilter) { models(filter: $f) { totalCount } }`, { f: { name: 'n', nope: 'x'.repeat(50_000) } });
    expect(r.status).toBe(400);
    expect(r.body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(r.body.errors![0]!.message.length).toBeLessThan(1100);
    expect(r.body.errors![0]!.message).toMatch(/^Variable "\$f" got invalid value .* \.\.\. \(\d+ characters left out\) \.\.\. .*Field "nope" is not defined by type "ModelFilter"\.( Did you mean "name"\?)?$/);
    expect(h.actions()).toEqual([]);
  });

  it('keeps tabs and line breaks in free text', async () => {
    const r = await h.gql(`mutation($d: String) { createModel(input: { name: "multi-line", description: $d }) { model { description } } }`, { d: 'line one\n\tline two\r\n' });
    expect(r.result).toEqual({ data: { createModel: { model: { description: 'line one\n\tline two\r\n' } } } });
    expect(h.actions()).toEqual(['CreateModel', 'GetModel']);
  });
});

describe('federation fields in fragments', () => {
  it.each([
    ['an inline fragment', `{ ... on Query { _service { sdl } } }`],
    ['a named fragment', `query { ...F } fragment F on Query { _entities(representations: [{ __typename: "Model", id: "m" }]) { __typename } }`],
    ['a fragment inside a fragment', `query { ...A } fragment A on Query { ...B } fragment B on Query { ... on Query { _service { sdl } } }`],
  ])('refuses _service and _entities in %s without the router secret, calling nothing', async (_label, query) => {
    const r = await h.gql(query);
    expect(r.status).toBe(403);
    expect(codeOf(r)).toBe('FORBIDDEN');
    expect(r.text).not.toContain('type Query');
    expect(h.actions()).toEqual([]);
  });
});

describe('a client that goes away', () => {
  it('stops the operation: queued upstream calls never start, and the log has no error line', async () => {
    const slow = await startHarness({ concurrency: 1 });
    try {
      const ids = (await slow.gql(`{ models(first: 5) { nodes { id } } }`)).body.data!.models.nodes.map((n: { id: string }) => n.id);
      slow.resetCalls();
      slow.emulator.faults.add({ action: 'GetModel', hang: true });
      const query = `{ ${ids.map((id: string, i: number) => `m${i}: model(id: "${id}") { name }`).join(' ')} }`;
      const client = new AbortController();
      const request = fetch(slow.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }), signal: client.signal }).catch(() => undefined);
      while (slow.emulator.calls.length === 0) await new Promise((r) => setImmediate(r));
      client.abort();
      await request;
      // The operation ends once every field has given up; each says so at info level.
      while (!slow.logs.some((l) => l.includes('operation ended before an upstream call'))) await new Promise((r) => setTimeout(r, 5));
      expect(slow.actions()).toEqual(['GetModel']);
      expect(slow.logs.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level >= 50)).toEqual([]);
    } finally {
      await slow.close();
    }
  });
});
