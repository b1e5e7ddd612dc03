import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { codeOf, startHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ demoData: false });
});
afterAll(() => h.close());
beforeEach(() => h.resetCalls());

const MODEL_FIELDS = `id name description domain task origin accessibility modelType parameterSize orderNumber extraInfo labels { key value } tags { key value } createdAt modifiedAt`;
const VERSION_FIELDS = `id name uri description formatType frameworkType approvalStatus sourceType sourceId metrics inferenceSpec options labels { key value } model { id }`;

async function createModel(input: Record<string, unknown>) {
  const r = await h.gql(`mutation($input: CreateModelInput!) { createModel(input: $input) { model { ${MODEL_FIELDS} } } }`, { input });
  expect(r.body.errors).toBeUndefined();
  return r.body.data!.createModel.model;
}

describe('model mutations round-trip through the gateway and the emulator', () => {
  it('createModel sends one CreateModel with upstream field names and returns the model read back', async () => {
    const model = await createModel({
      name: '情感分析-v2',
      description: '通用情感分析。',
      domain: 'nlp',
      task: 'text-classification',
      origin: 'ModelScope',
      accessibility: 'PUBLIC',
      modelType: 'Checkpoint',
      parameterSize: 102,
      orderNumber: 7,
      extraInfo: { rating: 4.9 },
      tags: [{ key: 'team', value: 'search' }],
    });
    expect(model).toMatchObject({
      name: '情感分析-v2',
      description: '通用情感分析。',
      domain: 'nlp',
      accessibility: 'PUBLIC',
      parameterSize: 102,
      orderNumber: 7,
      extraInfo: { rating: 4.9 },
      labels: [{ key: 'team', value: 'search' }],
      tags: [{ key: 'team', value: 'search' }],
    });
    expect(model.id).toMatch(/^model-[a-z0-9]{18}$/);
    expect(h.actions()).toEqual(['CreateModel', 'GetModel']);
    const create = h.emulator.calls[0]!;
    expect(create).toMatchObject({ method: 'POST', path: '/api/v1/models', query: '' });
    expect(create.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(create.body)).toEqual({
      ModelName: '情感分析-v2',
      ModelDescription: '通用情感分析。',
      Accessibility: 'PUBLIC',
      Origin: 'ModelScope',
      Domain: 'nlp',
      Task: 'text-classification',
      OrderNumber: 7,
      ModelType: 'Checkpoint',
      ExtraInfo: { rating: 4.9 },
      ParameterSize: 102,
      Tag: [{ Key: 'team', Value: 'search' }],
    });
  });

  it('createModel without selecting the model costs exactly one upstream call', async () => {
    const r = await h.gql(`mutation { createModel(input: { name: "cheap" }) { __typename } }`);
    expect(r.body.errors).toBeUndefined();
    expect(h.actions()).toEqual(['CreateModel']);
  });

  it('updateModel changes only the given fields and the payload reflects them', async () => {
    const created = await createModel({ name: 'to-update', domain: 'cv', task: 'image-classification' });
    h.resetCalls();
    const r = await h.gql(`mutation($input: UpdateModelInput!) { updateModel(input: $input) { model { ${MODEL_FIELDS} } } }`, {
      input: { id: created.id, name: 'updated', description: 'now documented', parameterSize: 25 },
    });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.updateModel.model).toMatchObject({ id: created.id, name: 'updated', description: 'now documented', domain: 'cv', task: 'image-classification', parameterSize: 25 });
    expect(h.actions()).toEqual(['UpdateModel', 'GetModel']);
    expect(h.emulator.calls[0]).toMatchObject({ method: 'PUT', path: `/api/v1/models/${created.id}` });
    expect(JSON.parse(h.emulator.calls[0]!.body)).toEqual({ ModelName: 'updated', ModelDescription: 'now documented', ParameterSize: 25 });
  });

  it('a read after a write in the same operation sees the write', async () => {
    const created = await createModel({ name: 'read-after-write' });
    h.resetCalls();
    const r = await h.gql(
      `mutation($id: ID!) {
        before: addModelLabels(input: { modelId: $id, labels: [{ key: "a", value: "1" }] }) { model { labels { key value } } }
        after: addModelLabels(input: { modelId: $id, labels: [{ key: "b", value: "2" }] }) { model { labels { key value } } }
      }`,
      { id: created.id },
    );
    expect(r.body.data!.before.model.labels).toEqual([{ key: 'a', value: '1' }]);
    expect(r.body.data!.after.model.labels).toEqual([
      { key: 'a', value: '1' },
      { key: 'b', value: '2' },
    ]);
    expect(h.actions()).toEqual(['CreateModelLabels', 'GetModel', 'CreateModelLabels', 'GetModel']);
  });

  it('addModelLabels and removeModelLabels edit labels and return the model', async () => {
    const created = await createModel({ name: 'labelled', tags: [{ key: 'env', value: 'dev' }] });
    h.resetCalls();
    const add = await h.gql(`mutation($id: ID!) { addModelLabels(input: { modelId: $id, labels: [{ key: "env", value: "prod" }, { key: "owner", value: "search-team" }] }) { model { id labels { key value } } } }`, { id: created.id });
    expect(add.body.data!.addModelLabels.model.labels).toEqual([
      { key: 'env', value: 'prod' },
      { key: 'owner', value: 'search-team' },
    ]);
    expect(h.emulator.calls[0]).toMatchObject({ method: 'POST', path: `/api/v1/models/${created.id}/labels` });
    expect(JSON.parse(h.emulator.calls[0]!.body)).toEqual({ Labels: [{ Key: 'env', Value: 'prod' }, { Key: 'owner', Value: 'search-team' }] });
    h.resetCalls();
    const remove = await h.gql(`mutation($id: ID!) { removeModelLabels(input: { modelId: $id, keys: ["env", "missing"] }) { model { labels { key value } } } }`, { id: created.id });
    expect(remove.body.data!.removeModelLabels.model.labels).toEqual([{ key: 'owner', value: 'search-team' }]);
    expect(h.emulator.calls[0]).toMatchObject({ method: 'DELETE', path: `/api/v1/models/${created.id}/labels`, query: 'LabelKeys=env%2Cmissing', body: '' });
  });

  it('createModelVersion names versions 0.1.0 then 0.2.0 by default and returns the version', async () => {
    const model = await createModel({ name: 'versioned' });
    h.resetCalls();
    const create = (input: Record<string, unknown>) =>
      h.gql(`mutation($input: CreateModelVersionInput!) { createModelVersion(input: $input) { modelVersion { ${VERSION_FIELDS} } } }`, { input: { modelId: model.id, ...input } });
    const first = await create({
      uri: 'oss://my-bucket.oss-cn-hangzhou.aliyuncs.com/models/v1/',
      formatType: 'KERAS_H5',
      frameworkType: 'KERAS',
      approvalStatus: 'PENDING',
      sourceType: 'PAIFLOW',
      sourceId: 'region=cn-shanghai,workspaceId=13,kind=PipelineRun,id=run-sakdbjdf',
      metrics: { Results: [{ Dataset: { DatasetId: 'd-1' }, Metrics: { cer: 0.175 } }] },
      inferenceSpec: { processor: 'tensorflow_gpu_1.12' },
      options: { warmup: true },
      labels: [{ key: 'stage', value: 'experiment' }],
    });
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data!.createModelVersion.modelVersion).toEqual({
      id: `${model.id}/0.1.0`,
      name: '0.1.0',
      uri: 'oss://my-bucket.oss-cn-hangzhou.aliyuncs.com/models/v1/',
      description: null,
      formatType: 'KERAS_H5',
      frameworkType: 'KERAS',
      approvalStatus: 'PENDING',
      sourceType: 'PAIFLOW',
      sourceId: 'region=cn-shanghai,workspaceId=13,kind=PipelineRun,id=run-sakdbjdf',
      metrics: { Results: [{ Dataset: { DatasetId: 'd-1' }, Metrics: { cer: 0.175 } }] },
      inferenceSpec: { processor: 'tensorflow_gpu_1.12' },
      options: { warmup: true },
      labels: [{ key: 'stage', value: 'experiment' }],
      model: { id: model.id },
    });
    const sent = JSON.parse(h.emulator.calls[0]!.body);
    expect(sent).toMatchObject({ FormatType: 'Keras H5', FrameworkType: 'Keras', ApprovalStatus: 'Pending', SourceType: 'PAIFlow', Options: '{"warmup":true}' });
    expect(sent).not.toHaveProperty('VersionName');
    expect(h.emulator.calls[0]).toMatchObject({ method: 'POST', path: `/api/v1/models/${model.id}/versions` });

    const second = await create({ uri: 'https://example.com/model-v2.tar.gz' });
    expect(second.body.data!.createModelVersion.modelVersion.name).toBe('0.2.0');
    const named = await create({ uri: 'https://example.com/model-beta.tar.gz', name: '2.3.4_beta' });
    expect(named.body.data!.createModelVersion.modelVersion.name).toBe('2.3.4_beta');

    const read = await h.gql(`query($id: ID!) { model(id: $id) { latestVersion { name } versions { totalCount nodes { name } } } }`, { id: model.id });
    expect(read.body.data!.model).toEqual({ latestVersion: { name: '2.3.4_beta' }, versions: { totalCount: 3, nodes: [{ name: '0.1.0' }, { name: '0.2.0' }, { name: '2.3.4_beta' }] } });
  });

  it('a duplicate version name is the upstream’s BAD_USER_INPUT with its RequestId', async () => {
    const model = await createModel({ name: 'dup-version' });
    const make = () => h.gql(`mutation($id: ID!) { createModelVersion(input: { modelId: $id, name: "1.0.0", uri: "https://example.com/m" }) { modelVersion { name } } }`, { id: model.id });
    await make();
    const r = await make();
    expect(r.body.data).toEqual({ createModelVersion: null });
    expect(r.body.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      upstream: { product: 'AIWorkSpace', action: 'CreateModelVersion', status: 400, code: 'ModelVersion.AlreadyExists', requestId: expect.stringMatching(/^[0-9A-F-]{36}$/) },
    });
  });

  it('updateModelVersion, version labels and deleteModelVersion round-trip', async () => {
    const model = await createModel({ name: 'version-lifecycle' });
    await h.gql(`mutation($id: ID!) { createModelVersion(input: { modelId: $id, uri: "https://example.com/m" }) { __typename } }`, { id: model.id });
    h.resetCalls();
    const update = await h.gql(
      `mutation($input: UpdateModelVersionInput!) { updateModelVersion(input: $input) { modelVersion { name description approvalStatus metrics uri } } }`,
      { input: { modelId: model.id, name: '0.1.0', description: 'approved after review', approvalStatus: 'APPROVED', metrics: { accuracy: 0.93 } } },
    );
    expect(update.body.errors).toBeUndefined();
    expect(update.body.data!.updateModelVersion.modelVersion).toEqual({ name: '0.1.0', description: 'approved after review', approvalStatus: 'APPROVED', metrics: { accuracy: 0.93 }, uri: 'https://example.com/m' });
    expect(h.emulator.calls[0]).toMatchObject({ method: 'PUT', path: `/api/v1/models/${model.id}/versions/0.1.0` });
    expect(JSON.parse(h.emulator.calls[0]!.body)).toEqual({ VersionDescription: 'approved after review', ApprovalStatus: 'Approved', Metrics: { accuracy: 0.93 } });

    h.resetCalls();
    const add = await h.gql(`mutation($id: ID!) { addModelVersionLabels(input: { modelId: $id, name: "0.1.0", labels: [{ key: "stage", value: "prod" }] }) { modelVersion { id labels { key value } } } }`, { id: model.id });
    expect(add.body.data!.addModelVersionLabels.modelVersion).toEqual({ id: `${model.id}/0.1.0`, labels: [{ key: 'stage', value: 'prod' }] });
    expect(h.emulator.calls[0]).toMatchObject({ method: 'POST', path: `/api/v1/models/${model.id}/versions/0.1.0/labels` });

    h.resetCalls();
    const remove = await h.gql(`mutation($id: ID!) { removeModelVersionLabels(input: { modelId: $id, name: "0.1.0", keys: ["stage"] }) { modelVersion { labels { key } } } }`, { id: model.id });
    expect(remove.body.data!.removeModelVersionLabels.modelVersion.labels).toEqual([]);
    expect(h.emulator.calls[0]).toMatchObject({ method: 'DELETE', path: `/api/v1/models/${model.id}/versions/0.1.0/labels`, query: 'LabelKeys=stage' });

    h.resetCalls();
    const del = await h.gql(`mutation($id: ID!) { deleteModelVersion(input: { modelId: $id, name: "0.1.0" }) { deletedId } }`, { id: model.id });
    expect(del.body.data!.deleteModelVersion).toEqual({ deletedId: `${model.id}/0.1.0` });
    expect(h.emulator.calls.map((c) => [c.method, c.path])).toEqual([['DELETE', `/api/v1/models/${model.id}/versions/0.1.0`]]);
    const gone = await h.gql(`query($id: ID!) { model(id: $id) { version(name: "0.1.0") { id } latestVersion { id } } }`, { id: model.id });
    expect(gone.body.data!.model).toEqual({ version: null, latestVersion: null });
  });

  it('deleteModel deletes the model, after which model(id) is null', async () => {
    const model = await createModel({ name: 'doomed' });
    h.resetCalls();
    const del = await h.gql(`mutation($id: ID!) { deleteModel(input: { id: $id }) { deletedId } }`, { id: model.id });
    expect(del.body.data!.deleteModel).toEqual({ deletedId: model.id });
    expect(h.emulator.calls.map((c) => [c.action, c.method, c.path, c.body])).toEqual([['DeleteModel', 'DELETE', `/api/v1/models/${model.id}`, '']]);
    const read = await h.gql(`query($id: ID!) { model(id: $id) { id } }`, { id: model.id });
    expect(read.result).toEqual({ data: { model: null } });
  });

  it('deleting a model that does not exist is NOT_FOUND with the upstream RequestId', async () => {
    const r = await h.gql(`mutation { deleteModel(input: { id: "model-000000000000000000" }) { deletedId } }`);
    expect(codeOf(r)).toBe('NOT_FOUND');
    expect(r.body.errors![0]!.extensions!.upstream).toMatchObject({ product: 'AIWorkSpace', action: 'DeleteModel', status: 404, requestId: expect.any(String) });
    expect(r.status).toBe(200);
  });

  it('every upstream request is V3-signed and carries the action and version headers', async () => {
    await createModel({ name: 'headers' });
    expect(h.emulator.calls.length).toBeGreaterThan(0);
    for (const call of h.emulator.calls) {
      expect(call.headers.authorization).toMatch(/^ACS3-HMAC-SHA256 Credential=TESTAKID7f3a9c1e5b2d,SignedHeaders=[a-z0-9;-]*x-acs-action[a-z0-9;-]*,Signature=[0-9a-f]{64}$/);
      expect(call.status).toBe(200);
      expect(call.headers['x-acs-version']).toBe('2021-02-04');
      expect(call.headers['x-acs-action']).toBe(call.action);
    }
  });
});
