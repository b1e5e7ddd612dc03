import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => h.resetCalls());

const MODEL = 'model-a0ty3tfe9sci9aiytd';
const createModel = `mutation($input: CreateModelInput!) { createModel(input: $input) { model { id } } }`;
const updateModel = `mutation($input: UpdateModelInput!) { updateModel(input: $input) { model { id } } }`;
const createVersion = `mutation($input: CreateModelVersionInput!) { createModelVersion(input: $input) { modelVersion { id } } }`;
const updateVersion = `mutation($input: UpdateModelVersionInput!) { updateModelVersion(input: $input) { modelVersion { id } } }`;
const addLabels = `mutation($input: AddModelLabelsInput!) { addModelLabels(input: $input) { model { id } } }`;
const removeLabels = `mutation($input: RemoveModelLabelsInput!) { removeModelLabels(input: $input) { model { id } } }`;
const addVersionLabels = `mutation($input: AddModelVersionLabelsInput!) { addModelVersionLabels(input: $input) { modelVersion { id } } }`;
const listModels = `query($first: Int, $after: String, $filter: ModelFilter) { models(first: $first, after: $after, filter: $filter) { totalCount } }`;
const uri = 'oss://bucket.oss-cn-hangzhou.aliyuncs.com/m/';

const cases: [title: string, field: string, query: string, variables: Record<string, unknown>, rule: RegExp][] = [
  ['an empty model name', 'input.name', createModel, { input: { name: '' } }, /must not be empty/],
  ['a blank model name', 'input.name', createModel, { input: { name: '   ' } }, /must not be empty/],
  ['a 128-character model name', 'input.name', createModel, { input: { name: 'x'.repeat(128) } }, /1 to 127 characters/],
  ['a 128-character model name on update', 'input.name', updateModel, { input: { id: MODEL, name: 'm'.repeat(128) } }, /1 to 127 characters/],
  ['a negative parameter size', 'input.parameterSize', createModel, { input: { name: 'ok', parameterSize: -1 } }, /at least 0/],
  ['extraInfo that is not an object', 'input.extraInfo', createModel, { input: { name: 'ok', extraInfo: [1, 2] } }, /JSON object/],
  ['a tag key with "="', 'input.tags[0].key', createModel, { input: { name: 'ok', tags: [{ key: 'a=b', value: 'v' }] } }, /"=" or ","/],
  ['a bad version name', 'input.name', createVersion, { input: { modelId: MODEL, uri, name: 'v1' } }, /major\.minor\.patch/],
  ['a version name with a dash suffix', 'input.name', createVersion, { input: { modelId: MODEL, uri, name: '1.0.0-beta' } }, /major\.minor\.patch/],
  ['a URI that is neither OSS nor HTTP', 'input.uri', createVersion, { input: { modelId: MODEL, uri: 'ftp://x/y' } }, /oss:\/\//],
  ['metrics over 8192 bytes', 'input.metrics', createVersion, { input: { modelId: MODEL, uri, metrics: { blob: 'é'.repeat(4100) } } }, /8192 bytes/],
  ['metrics over 8192 bytes on update', 'input.metrics', updateVersion, { input: { modelId: MODEL, name: '0.1.0', metrics: { blob: 'x'.repeat(8200) } } }, /8192 bytes/],
  ['a malformed source id for a pipeline source', 'input.sourceId', createVersion, { input: { modelId: MODEL, uri, sourceType: 'PAIFLOW', sourceId: 'run-123' } }, /region=<region>/],
  ['a label key with "="', 'input.labels[0].key', addLabels, { input: { modelId: MODEL, labels: [{ key: 'a=b', value: 'v' }] } }, /"=" or ","/],
  ['a label value with ","', 'input.labels[0].value', addLabels, { input: { modelId: MODEL, labels: [{ key: 'k', value: 'a,b' }] } }, /"=" or ","/],
  ['a label key over 128 bytes', 'input.labels[0].key', addLabels, { input: { modelId: MODEL, labels: [{ key: '键'.repeat(43), value: 'v' }] } }, /128 bytes/],
  ['an empty label key', 'input.labels[0].key', addLabels, { input: { modelId: MODEL, labels: [{ key: '', value: 'v' }] } }, /must not be empty/],
  ['no labels at all', 'input.labels', addLabels, { input: { modelId: MODEL, labels: [] } }, /at least one label/],
  ['no keys to remove', 'input.keys', removeLabels, { input: { modelId: MODEL, keys: [] } }, /at least one key/],
  ['a key to remove with ","', 'input.keys[0]', removeLabels, { input: { modelId: MODEL, keys: ['a,b'] } }, /"=" or ","/],
  ['a bad version name on version labels', 'input.name', addVersionLabels, { input: { modelId: MODEL, name: 'latest', labels: [{ key: 'k', value: 'v' }] } }, /major\.minor\.patch/],
  ['an empty model id', 'input.id', updateModel, { input: { id: ' ' } }, /non-empty model id/],
  ['first: 1000', 'first', listModels, { first: 1000 }, /between 0 and 100/],
  ['first: -1', 'first', listModels, { first: -1 }, /between 0 and 100/],
  ['an after cursor that was never issued', 'after', listModels, { after: 'not-a-cursor' }, /cursor returned by this API/],
  ['a collection name with ","', 'filter.collections[0]', listModels, { filter: { collections: ['a,b'] } }, /","/],
];

describe('invalid input is rejected before any upstream call', () => {
  it.each(cases)('%s is BAD_USER_INPUT naming %s', async (_title, field, query, variables, rule) => {
    const r = await h.gql(query, variables);
    expect(r.status).toBeLessThan(500);
    expect(r.body.errors).toHaveLength(1);
    const error = r.body.errors![0]!;
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(error.message.startsWith(`${field}: `)).toBe(true);
    expect(error.message).toMatch(rule);
    expect(h.emulator.calls).toHaveLength(0);
  });

  it('an unknown enum value in variables is BAD_USER_INPUT naming the field, with HTTP 400 and no upstream call', async () => {
    const r = await h.gql(createVersion, { input: { modelId: MODEL, uri, formatType: 'PICKLE' } });
    expect(r.status).toBe(400);
    expect(r.body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(r.body.errors![0]!.message).toMatch(/input\.formatType/);
    expect(r.body.errors![0]!.message).toMatch(/PICKLE/);
    expect(h.emulator.calls).toHaveLength(0);
  });

  it('an unknown enum value written in the document is a 400 validation error with no upstream call', async () => {
    const r = await h.gql(`{ models(orderBy: { field: NAME }) { totalCount } }`);
    expect(r.status).toBe(400);
    expect(r.body.errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(h.emulator.calls).toHaveLength(0);
  });

  it('a bad argument of a nested field is rejected before execution, so its parent costs nothing either', async () => {
    const r = await h.gql(`{ models(first: 2) { nodes { id versions(first: 500) { totalCount } } } }`);
    expect(r.status).toBe(400);
    expect(r.body.data).toBeUndefined();
    expect(r.body.errors).toEqual([
      {
        message: 'Model.versions first: must be between 0 and 100 (got 500)',
        locations: [{ line: 1, column: 33 }],
        extensions: { code: 'BAD_USER_INPUT', field: 'first', rule: 'must be between 0 and 100', coordinate: 'Model.versions' },
      },
    ]);
    expect(h.emulator.calls).toHaveLength(0);
  });

  it('nested arguments are checked with their variables, inside fragments too', async () => {
    const query = `query($id: ID!, $name: String!) { model(id: $id) { ...M } } fragment M on Model { id version(name: $name) { id } }`;
    const bad = await h.gql(query, { id: MODEL, name: 'latest' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name', coordinate: 'Model.version' });
    expect(bad.body.errors![0]!.message).toMatch(/^Model.version name: must match major.minor.patch/);
    expect(h.emulator.calls).toHaveLength(0);
    const good = await h.gql(query, { id: MODEL, name: '9.9.9' });
    expect(good.result).toEqual({ data: { model: { id: MODEL, version: null } } });
    expect(h.actions()).toEqual(['GetModel', 'GetModelVersion']);
  });
});
