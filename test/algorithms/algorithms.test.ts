import { stringify } from 'node:querystring';
import { sdkOrder } from '../../src/core/upstream/encoding.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { codeOf, startHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => {
  h.resetCalls();
  h.emulator.faults.clear();
});

const SPEC = {
  image: 'registry.cn-hangzhou.aliyuncs.com/team/train:1.0',
  command: ['python', 'train.py', '--epochs=3'],
  jobType: 'PyTorchJob',
  codeDir: { locationType: 'OSS', locationValue: { Bucket: 'b', Key: 'code/' } },
  hyperParameters: [{ name: 'lr', type: 'Float', defaultValue: '0.001', required: true, range: { minimum: '0', maximum: '1', exclusiveMinimum: true } }],
  inputChannels: [{ name: 'train', required: true, supportedChannelTypes: ['oss'] }],
  outputChannels: [{ name: 'model', supportedChannelTypes: ['oss'], properties: { format: 'safetensors' } }],
  metricDefinitions: [{ name: 'loss', regex: 'loss=([0-9.]+)' }],
  progressDefinitions: { overallProgress: { description: 'steps', regex: '(\\d+)/(\\d+)' } },
  resourceRequirements: [{ key: 'SupportedMachineTypes', operator: 'in', values: ['ecs.gn7i-c16g1.4xlarge'] }],
  supportedInstanceTypes: ['ecs.gn7i-c16g1.4xlarge'],
  supportsDistributedTraining: true,
  computeResource: { policy: { value: '[{"Name":"TotalCount","Min":1,"Max":2}]', version: 'V1' } },
  customization: { codeDir: true },
};

/** The same spec as PaiStudio stores it. */
const UPSTREAM_SPEC = {
  Image: SPEC.image,
  Command: SPEC.command,
  JobType: 'PyTorchJob',
  CodeDir: { LocationType: 'OSS', LocationValue: { Bucket: 'b', Key: 'code/' } },
  HyperParameters: [{ Name: 'lr', Type: 'Float', DefaultValue: '0.001', Required: true, Range: { Minimum: '0', Maximum: '1', ExclusiveMinimum: true } }],
  InputChannels: [{ Name: 'train', Required: true, SupportedChannelTypes: ['oss'] }],
  OutputChannels: [{ Name: 'model', SupportedChannelTypes: ['oss'], Properties: { format: 'safetensors' } }],
  MetricDefinitions: [{ Name: 'loss', Regex: 'loss=([0-9.]+)' }],
  ProgressDefinitions: { OverallProgress: { Description: 'steps', Regex: '(\\d+)/(\\d+)' } },
  ResourceRequirements: [{ Key: 'SupportedMachineTypes', Operator: 'in', Values: ['ecs.gn7i-c16g1.4xlarge'] }],
  SupportedInstanceTypes: ['ecs.gn7i-c16g1.4xlarge'],
  SupportsDistributedTraining: true,
  ComputeResource: { Policy: { Value: '[{"Name":"TotalCount","Min":1,"Max":2}]', Version: 'V1' } },
  Customization: { CodeDir: true },
};

const SPEC_FIELDS = `image command jobType codeDir { locationType locationValue }
  hyperParameters { name type defaultValue displayName description required range { enum minimum maximum exclusiveMinimum exclusiveMaximum minLength maxLength pattern } }
  inputChannels { name description required supportedChannelTypes properties } outputChannels { name supportedChannelTypes properties }
  metricDefinitions { name regex description } progressDefinitions { overallProgress { description regex } remainingTime { regex } }
  resourceRequirements { key operator values } supportedInstanceTypes supportsDistributedTraining computeResource { policy { value version } } customization { codeDir }`;

let counter = 0;
async function createAlgorithm(extra: Record<string, unknown> = {}): Promise<string> {
  counter += 1;
  const r = await h.gql(`mutation($input: CreateAlgorithmInput!) { createAlgorithm(input: $input) { algorithm { id } } }`, { input: { name: `algo_test_${counter}`, ...extra } });
  expect(r.body.errors).toBeUndefined();
  return r.body.data!.createAlgorithm.algorithm.id;
}

const formOf = (body: string) => Object.fromEntries(new URLSearchParams(body));

describe('algorithm mutations send PaiStudio form bodies', () => {
  it('createAlgorithm sends one form-encoded CreateAlgorithm and reads the algorithm back', async () => {
    const r = await h.gql(`mutation { createAlgorithm(input: { name: "llm_train", displayName: "LLM Train", description: "Qwen large language model training algorithm.", workspaceId: "12345" }) { algorithm { id name displayName description workspaceId provider createdAt } } }`);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.createAlgorithm.algorithm).toMatchObject({ name: 'llm_train', displayName: 'LLM Train', description: 'Qwen large language model training algorithm.', workspaceId: '12345', provider: null });
    expect(h.actions()).toEqual(['CreateAlgorithm', 'GetAlgorithm']);
    const call = h.emulator.calls[0]!;
    expect(call).toMatchObject({ method: 'POST', path: '/api/v1/algorithms', query: '' });
    expect(call.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(call.headers['x-acs-version']).toBe('2022-01-12');
    expect(call.body).toBe('AlgorithmDescription=Qwen%20large%20language%20model%20training%20algorithm.&AlgorithmName=llm_train&DisplayName=LLM%20Train&WorkspaceId=12345');
  });

  it('updateAlgorithm sends only the display name and description', async () => {
    const id = await createAlgorithm({ displayName: 'old' });
    h.resetCalls();
    const r = await h.gql(`mutation($id: ID!) { updateAlgorithm(input: { id: $id, displayName: "新名字", description: "now described" }) { algorithm { name displayName description } } }`, { id });
    expect(r.body.data!.updateAlgorithm.algorithm).toMatchObject({ displayName: '新名字', description: 'now described' });
    expect(h.emulator.calls[0]).toMatchObject({ method: 'PUT', path: `/api/v1/algorithms/${id}` });
    expect(formOf(h.emulator.calls[0]!.body)).toEqual({ DisplayName: '新名字', AlgorithmDescription: 'now described' });
    expect(h.emulator.calls[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('createAlgorithmVersion sends the whole spec as one JSON form field and returns the typed spec', async () => {
    const id = await createAlgorithm();
    h.resetCalls();
    const r = await h.gql(`mutation($input: CreateAlgorithmVersionInput!) { createAlgorithmVersion(input: $input) { algorithmVersion { id name algorithm { id } spec { ${SPEC_FIELDS} } } } }`, {
      input: { algorithmId: id, name: 'v0.1.0', spec: SPEC },
    });
    expect(r.body.errors).toBeUndefined();
    const version = r.body.data!.createAlgorithmVersion.algorithmVersion;
    expect(version).toMatchObject({ id: `${id}/v0.1.0`, name: 'v0.1.0', algorithm: { id } });
    expect(version.spec).toMatchObject({
      image: SPEC.image,
      command: SPEC.command,
      hyperParameters: [{ name: 'lr', type: 'Float', defaultValue: '0.001', required: true, range: { minimum: '0', maximum: '1', exclusiveMinimum: true, enum: null } }],
      outputChannels: [{ name: 'model', supportedChannelTypes: ['oss'], properties: { format: 'safetensors' } }],
      computeResource: { policy: { value: SPEC.computeResource.policy.value, version: 'V1' } },
      customization: { codeDir: true },
    });
    expect(h.actions()).toEqual(['CreateAlgorithmVersion', 'GetAlgorithmVersion', 'GetAlgorithm']);
    const call = h.emulator.calls[0]!;
    expect(call).toMatchObject({ method: 'POST', path: `/api/v1/algorithms/${id}/versions/v0.1.0`, query: '' });
    expect(call.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.keys(formOf(call.body))).toEqual(['AlgorithmSpec']);
    expect(JSON.parse(formOf(call.body).AlgorithmSpec!)).toEqual(UPSTREAM_SPEC);
    // The official SDK form-encodes with Node's querystring, which leaves ( ) ! ' * as they are.
    // Typed spec fields go in the SDK's alphabetical order; free-form maps keep theirs.
    expect(call.body).toBe(stringify({ AlgorithmSpec: JSON.stringify(sdkOrder(UPSTREAM_SPEC, new Set(['LocationValue', 'Properties']))) }));
    expect(call.body).toContain('loss%3D(%5B0-9.%5D%2B)');
  });

  it('updateAlgorithmVersion replaces the spec; deleteAlgorithmVersion and deleteAlgorithm remove', async () => {
    const id = await createAlgorithm();
    await h.gql(`mutation($input: CreateAlgorithmVersionInput!) { createAlgorithmVersion(input: $input) { __typename } }`, { input: { algorithmId: id, name: 'v1', spec: SPEC } });
    h.resetCalls();
    const update = await h.gql(`mutation($input: UpdateAlgorithmVersionInput!) { updateAlgorithmVersion(input: $input) { algorithmVersion { spec { image jobType hyperParameters { name } } } } }`, {
      input: { algorithmId: id, name: 'v1', spec: { image: 'img:2', command: ['run'], jobType: 'TFJob' } },
    });
    expect(update.body.data!.updateAlgorithmVersion.algorithmVersion.spec).toEqual({ image: 'img:2', jobType: 'TFJob', hyperParameters: [] });
    expect(h.emulator.calls[0]).toMatchObject({ method: 'PUT', path: `/api/v1/algorithms/${id}/versions/v1` });
    expect(JSON.parse(formOf(h.emulator.calls[0]!.body).AlgorithmSpec!)).toEqual({ Image: 'img:2', Command: ['run'], JobType: 'TFJob' });

    h.resetCalls();
    const delVersion = await h.gql(`mutation($id: ID!) { deleteAlgorithmVersion(input: { algorithmId: $id, name: "v1" }) { deletedId } }`, { id });
    expect(delVersion.body.data!.deleteAlgorithmVersion).toEqual({ deletedId: `${id}/v1` });
    expect(h.emulator.calls.map((c) => [c.method, c.path, c.body])).toEqual([['DELETE', `/api/v1/algorithms/${id}/versions/v1`, '']]);

    h.resetCalls();
    const del = await h.gql(`mutation($id: ID!) { deleteAlgorithm(input: { id: $id }) { deletedId } }`, { id });
    expect(del.result).toEqual({ data: { deleteAlgorithm: { deletedId: id } } });
    expect(h.emulator.calls.map((c) => [c.method, c.path])).toEqual([['DELETE', `/api/v1/algorithms/${id}`]]);
    const gone = await h.gql(`query($id: ID!) { algorithm(id: $id) { id } }`, { id });
    expect(gone.result).toEqual({ data: { algorithm: null } });
  });

  it('a duplicate algorithm name is the upstream’s BAD_USER_INPUT with its RequestId', async () => {
    await h.gql(`mutation { createAlgorithm(input: { name: "dup_algo" }) { __typename } }`);
    const r = await h.gql(`mutation { createAlgorithm(input: { name: "dup_algo" }) { algorithm { id } } }`);
    expect(r.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', upstream: { product: 'PaiStudio', action: 'CreateAlgorithm', status: 400, code: 'AlgorithmName.AlreadyExists', requestId: expect.any(String) } });
  });
});

describe('algorithm reads', () => {
  it('20 versions with spec cost one list call plus 20 deduplicated GetAlgorithmVersion calls', async () => {
    const id = await createAlgorithm();
    for (let i = 0; i < 20; i += 1) {
      const r = await h.gql(`mutation($input: CreateAlgorithmVersionInput!) { createAlgorithmVersion(input: $input) { __typename } }`, {
        input: { algorithmId: id, name: `v0.${i}.0`, spec: { ...SPEC, image: `img:${i}` } },
      });
      expect(r.body.errors).toBeUndefined();
    }
    h.resetCalls();
    const r = await h.gql(
      `query($id: ID!) { algorithm(id: $id) {
        a: versions(first: 20) { totalCount nodes { name spec { image } } }
        b: versions(first: 20) { nodes { name spec { command jobType } } }
      } }`,
      { id },
    );
    expect(r.body.errors).toBeUndefined();
    const nodes = r.body.data!.algorithm.a.nodes;
    expect(r.body.data!.algorithm.a.totalCount).toBe(20);
    expect(nodes.map((n: any) => n.spec.image)).toEqual(Array.from({ length: 20 }, (_, i) => `img:${i}`));
    const actions = h.actions();
    expect(actions.filter((a) => a === 'ListAlgorithmVersions')).toHaveLength(1);
    expect(actions.filter((a) => a === 'GetAlgorithmVersion')).toHaveLength(20);
    expect(actions).toHaveLength(22); // plus the GetAlgorithm for algorithm(id)
    const detailPaths = h.emulator.calls.filter((c) => c.action === 'GetAlgorithmVersion').map((c) => c.path);
    expect(new Set(detailPaths).size).toBe(20);
  });

  it('lists versions without specs in one call when spec is not selected', async () => {
    const list = await h.gql(`{ algorithms(first: 50) { totalCount nodes { id name } } }`);
    const withVersions = list.body.data!.algorithms.nodes.find((n: any) => n.name === 'llm_sft_qwen');
    h.resetCalls();
    const r = await h.gql(`query($id: ID!) { algorithm(id: $id) { versions { totalCount nodes { id name createdAt } } } }`, { id: withVersions.id });
    expect(r.body.data!.algorithm.versions.nodes.map((n: any) => n.name)).toEqual(['v0.1.0', 'v0.2.0', 'v1.0.0']);
    expect(h.actions()).toEqual(['GetAlgorithm', 'ListAlgorithmVersions']);
  });

  it('lists algorithms with filters in one call, and a provider’s public ones on request', async () => {
    const own = await h.gql(`{ algorithms(first: 100) { totalCount nodes { name provider } } }`);
    expect(own.body.data!.algorithms.nodes.every((n: any) => n.provider === null)).toBe(true);
    expect(h.actions()).toEqual(['ListAlgorithms']);
    h.resetCalls();
    const pub = await h.gql(`{ algorithms(first: 100, filter: { provider: "pai", name: "k" }) { nodes { name provider } } }`);
    expect(pub.body.data!.algorithms.nodes).toEqual([{ name: 'kmeans', provider: 'pai' }]);
    expect(Object.fromEntries(new URLSearchParams(h.emulator.calls[0]!.query))).toEqual({ AlgorithmName: 'k', AlgorithmProvider: 'pai', PageNumber: '1', PageSize: '100' });
  });

  it('serves tenantId of listed algorithms with one GetAlgorithm each, and free on algorithm(id)', async () => {
    const r = await h.gql(`{ algorithms(first: 2) { nodes { id tenantId } } }`);
    expect(r.body.data!.algorithms.nodes.every((n: any) => n.tenantId === '1557702098194904')).toBe(true);
    expect(h.actions()).toEqual(['ListAlgorithms', 'GetAlgorithm', 'GetAlgorithm']);
    h.resetCalls();
    const one = await h.gql(`query($id: ID!) { algorithm(id: $id) { tenantId name } }`, { id: r.body.data!.algorithms.nodes[0].id });
    expect(one.body.data!.algorithm.tenantId).toBe('1557702098194904');
    expect(h.actions()).toEqual(['GetAlgorithm']);
  });

  it('answers null for an unknown algorithm or version', async () => {
    const r = await h.gql(`{ algorithm(id: "algo-missing") { id } }`);
    expect(r.result).toEqual({ data: { algorithm: null } });
    const list = await h.gql(`{ algorithms(first: 1) { nodes { id version(name: "v9.9.9") { id } } } }`);
    expect(list.body.data!.algorithms.nodes[0].version).toBeNull();
  });
});

describe('invalid algorithm input is rejected before any upstream call', () => {
  const version = `mutation($input: CreateAlgorithmVersionInput!) { createAlgorithmVersion(input: $input) { algorithmVersion { id } } }`;
  const cases: [string, string, Record<string, unknown>, RegExp][] = [
    ['input.spec.image', 'an empty image', { ...SPEC, image: ' ' }, /container image/],
    ['input.spec.command', 'an empty command', { ...SPEC, command: [] }, /at least one argument/],
    ['input.spec.jobType', 'an empty job type', { ...SPEC, jobType: '' }, /must not be empty/],
    ['input.spec.hyperParameters[0].range.pattern', 'a pattern that does not compile', { ...SPEC, hyperParameters: [{ name: 'x', type: 'String', range: { pattern: '([' } }] }, /valid regular expression/],
    ['input.spec.hyperParameters[0].defaultValue', 'a default outside the enum', { ...SPEC, hyperParameters: [{ name: 'x', type: 'String', defaultValue: 'c', range: { enum: ['a', 'b'] } }] }, /one of range.enum/],
    ['input.spec.hyperParameters[0].range.maximum', 'a maximum below the minimum', { ...SPEC, hyperParameters: [{ name: 'x', type: 'Integer', range: { minimum: '10', maximum: '2' } }] }, /not be below minimum/],
    ['input.spec.hyperParameters[0].range.minimum', 'a minimum that is not a number', { ...SPEC, hyperParameters: [{ name: 'x', type: 'Integer', range: { minimum: 'ten' } }] }, /must be a number/],
    ['input.spec.hyperParameters[1].name', 'duplicate hyperparameter names', { ...SPEC, hyperParameters: [{ name: 'x', type: 'Integer' }, { name: 'x', type: 'Float' }] }, /must be unique/],
    ['input.spec.metricDefinitions[0].regex', 'a metric regex that does not compile', { ...SPEC, metricDefinitions: [{ name: 'loss', regex: '(' }] }, /valid regular expression/],
    ['input.spec.computeResource.policy.value', 'a policy value that is not a JSON array', { ...SPEC, computeResource: { policy: { value: '{}', version: 'V1' } } }, /JSON array/],
    ['input.spec.codeDir.locationType', 'an unknown code location type', { ...SPEC, codeDir: { locationType: 'FTP' } }, /OSS or NAS/],
    ['input.spec.resourceRequirements[0].values', 'a condition without values', { ...SPEC, resourceRequirements: [{ key: 'k', operator: 'in', values: [] }] }, /at least one value/],
  ];

  it.each(cases)('%s: %s', async (field, _title, spec, rule) => {
    const r = await h.gql(version, { input: { algorithmId: 'algo-x', name: 'v1', spec } });
    expect(r.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(r.body.errors![0]!.message).toMatch(rule);
    expect(h.emulator.calls).toHaveLength(0);
  });

  it('a spec missing a required field is refused by GraphQL validation with 400', async () => {
    const r = await h.gql(version, { input: { algorithmId: 'algo-x', name: 'v1', spec: { command: ['x'], jobType: 'TFJob' } } });
    expect(r.status).toBe(400);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.body.errors![0]!.message).toMatch(/image/);
    expect(h.emulator.calls).toHaveLength(0);
  });

  it.each([
    ['an algorithm name with a space', 'input.name', `mutation { createAlgorithm(input: { name: "my algo" }) { __typename } }`],
    ['an algorithm name starting with a digit', 'input.name', `mutation { createAlgorithm(input: { name: "1algo" }) { __typename } }`],
    ['a version name with a slash', 'input.name', `mutation { deleteAlgorithmVersion(input: { algorithmId: "algo-1", name: "v1/../x" }) { deletedId } }`],
    ['an empty algorithm id', 'input.id', `mutation { deleteAlgorithm(input: { id: "" }) { deletedId } }`],
    ['first over 100', 'first', `{ algorithms(first: 101) { totalCount } }`],
  ])('%s is BAD_USER_INPUT naming %s', async (_title, field, query) => {
    const r = await h.gql(query);
    expect(r.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(h.emulator.calls).toHaveLength(0);
  });
});
