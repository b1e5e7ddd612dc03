import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { getNamedType, isObjectType } from 'graphql';
import { parseGatewayTokens } from '../../src/core/auth.js';
import { createMemoryReadCache } from '../../src/core/upstream/read-cache.js';
import { EAS_REGION, EAS_STEP_MS, newService } from '../../src/emulator/eas.js';
import { createSchema } from '../../src/schema.js';
import { codeOf, manualClock, startHarness, type Harness } from '../helpers/harness.js';

/**
 * The service domain through the front door: EAS services listed, read, deployed from model
 * versions and driven through their life, counting every upstream call. Statuses follow the
 * emulator's clock, moved by hand. Every response and log line of this file is searched for
 * the services' access tokens at the end.
 */

const NOW = '2026-06-01T12:00:00Z';
const clock = manualClock(NOW);
let h: Harness;
/** Every access token the emulator has held while this file ran. */
const tokens = new Set<string>();
const remember = () => {
  for (const s of h.emulator.store.services.values()) tokens.add(s.AccessToken);
};

beforeAll(async () => {
  h = await startHarness({ clock });
  remember();
});
afterAll(() => h.close());
beforeEach(() => {
  remember();
  h.resetCalls();
  h.emulator.faults.clear();
  h.resetUpstream();
});

/** A GraphQL operation; the emulator's tokens are noted after each, so the final scan knows them all. */
async function gql(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) {
  const r = await h.gql(query, variables, headers);
  remember();
  return r;
}

const params = (query: string) => Object.fromEntries(new URLSearchParams(query));
const wire = () => h.emulator.calls.map((c) => [c.action, c.method, c.path]);
const QWEN = 'model-a0ty3tfe9sci9aiytd';
const at = (name: string) => `/api/v2/services/${EAS_REGION}/${name}`;

/** Every field of Service: the schema check below keeps this list complete. */
const ALL_FIELDS = `name id uid status statusRaw reason message region internetEndpoint intranetEndpoint secondaryInternetEndpoint secondaryIntranetEndpoint
  hasAccessToken image config extraData appConfig appSpecName appType appVersion cpu memory gpu gpuCorePercentage gpuMemory totalInstances runningInstances
  pendingInstances instancesByResource { dedicated public quota } currentVersion latestVersion weight labels { key value } modelVersion { id name }
  workspaceId source role roleAttrs serviceGroup safetyLock trafficState resource resourceAlias quotaId gateway namespace workloadType autoscalerEnabled
  cronscalerEnabled resourceBurstable callerUid parentUid createdAt updatedAt`;

describe('Service queries', () => {
  it('selects every field of Service in this file, so each one is read below', () => {
    const type = createSchema().getType('Service');
    if (!isObjectType(type)) throw new Error('Service is not an object type');
    const selected = new Set(ALL_FIELDS.replace(/\{[^}]*\}/g, ' ').split(/\s+/).filter(Boolean));
    expect(Object.keys(type.getFields()).filter((f) => !selected.has(f))).toEqual([]);
    expect(Object.values(type.getFields()).filter((f) => /token/i.test(f.name)).map((f) => [f.name, getNamedType(f.type).name])).toEqual([['hasAccessToken', 'Boolean']]);
  });

  it('lists services with status and endpoints: one ListServices, and one DescribeService per listed service for its endpoints', async () => {
    const r = await gql(`{ services(first: 3) { totalCount pageInfo { hasNextPage } nodes { name status internetEndpoint } } }`);
    expect(r.result).toEqual({
      data: {
        services: {
          totalCount: 7,
          pageInfo: { hasNextPage: true },
          nodes: [
            { name: 'yolov8_shelf_detector', status: 'FAILED', internetEndpoint: `http://1557702098194904.${EAS_REGION}.pai-eas.aliyuncs.com/api/predict/yolov8_shelf_detector` },
            { name: 'qwen25_7b_canary', status: 'RUNNING', internetEndpoint: `http://1557702098194904.${EAS_REGION}.pai-eas.aliyuncs.com/api/predict/qwen25_7b_canary` },
            { name: 'qwen25_7b_chat', status: 'RUNNING', internetEndpoint: `http://1557702098194904.${EAS_REGION}.pai-eas.aliyuncs.com/api/predict/qwen25_7b_chat` },
          ],
        },
      },
    });
    expect(wire()).toEqual([
      ['ListServices', 'GET', '/api/v2/services'],
      ['DescribeService', 'GET', at('yolov8_shelf_detector')],
      ['DescribeService', 'GET', at('qwen25_7b_canary')],
      ['DescribeService', 'GET', at('qwen25_7b_chat')],
    ]);
    expect(params(h.emulator.calls[0]!.query)).toEqual({ PageNumber: '1', PageSize: '3' });
    expect(r.body.extensions!.cost).toMatchObject({ estimated: 4, actualUpstreamCalls: 4 });
  });

  it('lists without any DescribeService when no endpoint is asked for', async () => {
    const r = await gql(`{ services(first: 10) { nodes { name status totalInstances runningInstances hasAccessToken labels { key value } } } }`);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.services.nodes).toHaveLength(7);
    expect(r.body.data!.services.nodes.every((s: { hasAccessToken: boolean }) => s.hasAccessToken)).toBe(true);
    expect(h.actions()).toEqual(['ListServices']);
  });

  it('reads every field of one service with one V3-signed DescribeService at /api/v2/services/{region}/{name}', async () => {
    const r = await gql(`{ service(name: "qwen25_7b_chat") { ${ALL_FIELDS} } }`);
    expect(r.body.errors).toBeUndefined();
    expect(h.actions()).toEqual(['DescribeService', 'GetModelVersion']);
    const call = h.emulator.calls[0]!;
    expect([call.method, call.path, call.query, call.body]).toEqual(['GET', at('qwen25_7b_chat'), '', '']);
    expect(call.headers).toMatchObject({ 'x-acs-action': 'DescribeService', 'x-acs-version': '2021-07-01', authorization: expect.stringMatching(/^ACS3-HMAC-SHA256 Credential=/) });
    const s = r.body.data!.service;
    expect(s).toMatchObject({
      name: 'qwen25_7b_chat',
      id: expect.stringMatching(/^eas-m-/),
      status: 'RUNNING',
      statusRaw: 'Running',
      reason: 'RUNNING',
      message: 'Service start successfully',
      region: EAS_REGION,
      internetEndpoint: expect.stringContaining('/api/predict/qwen25_7b_chat'),
      intranetEndpoint: expect.stringContaining('.vpc.'),
      secondaryInternetEndpoint: null,
      hasAccessToken: true,
      config: { name: 'qwen25_7b_chat', processor: 'pytorch_gpu_1.10', model_path: expect.stringMatching(/^oss:\/\//), metadata: { instance: 2, cpu: 8, memory: 32768, gpu: 1 }, cloud: { computing: { instance_type: 'ecs.gn7i-c8g1.2xlarge' } } },
      extraData: {},
      roleAttrs: {},
      cpu: 8,
      memory: 32768,
      gpu: 1,
      totalInstances: 2,
      runningInstances: 2,
      pendingInstances: 0,
      currentVersion: 1,
      weight: 100,
      labels: [{ key: 'pai-graph.model-id', value: QWEN }, { key: 'pai-graph.model-version', value: '1.0.0' }, { key: 'team', value: 'search' }],
      modelVersion: { id: `${QWEN}/1.0.0`, name: '1.0.0' },
      safetyLock: 'none',
      trafficState: 'standalone',
      autoscalerEnabled: false,
      createdAt: '2026-05-29T12:00:00.000Z',
      updatedAt: '2026-05-29T12:00:00.000Z',
    });
    expect(r.text).not.toContain(h.emulator.store.services.get(`${EAS_REGION}/qwen25_7b_chat`)!.AccessToken);
  });

  it('answers null for a service EAS does not have, after one call', async () => {
    const r = await gql(`{ service(name: "no_such_service") { name } }`);
    expect(r.result).toEqual({ data: { service: null } });
    expect(h.actions()).toEqual(['DescribeService']);
  });

  it('translates filter and order to ListServices parameters, the labels as one JSON parameter', async () => {
    const r = await gql(
      `{ services(filter: { status: RUNNING, search: "qwen", labels: [{ key: "team", value: "search" }] }, orderBy: { field: CREATED_AT, direction: ASC }) { totalCount nodes { name } } }`,
    );
    expect(r.result).toEqual({ data: { services: { totalCount: 2, nodes: [{ name: 'qwen25_7b_chat' }, { name: 'qwen25_7b_canary' }] } } });
    expect(params(h.emulator.calls[0]!.query)).toEqual({ ServiceStatus: 'Running', Filter: 'qwen', Label: '{"team":"search"}', Sort: 'CreateTime', Order: 'asc', PageNumber: '1', PageSize: '10' });
  });

  it('reads a status newer than the schema as null with its raw spelling, without an error', async () => {
    h.emulator.faults.add({ action: 'DescribeService', times: 1, body: { ServiceName: 'qwen25_7b_chat', Status: 'Hibernating', AccessToken: 'fault-token-0000111122223333', Labels: [] } });
    tokens.add('fault-token-0000111122223333');
    const r = await gql(`{ service(name: "qwen25_7b_chat") { name status statusRaw hasAccessToken } }`);
    expect(r.result).toEqual({ data: { service: { name: 'qwen25_7b_chat', status: null, statusRaw: 'Hibernating', hasAccessToken: true } } });
  });

  it('nulls only the failing field with a typed error carrying EAS’s RequestId; the others answer', async () => {
    h.emulator.faults.add({ action: 'DescribeService', status: 503, times: 3 });
    const r = await gql(`{ service(name: "qwen25_7b_chat") { name } services(first: 1) { totalCount } }`);
    expect(r.body.data).toEqual({ service: null, services: { totalCount: 7 } });
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors![0]).toMatchObject({ path: ['service'], extensions: { code: 'UPSTREAM_UNAVAILABLE', upstream: { product: 'eas', action: 'DescribeService', status: 503, requestId: expect.stringMatching(/^[0-9A-F-]{36}$/) } } });
  });

  it('resolves federation references by name, null for an unknown one', async () => {
    const r = await gql(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Service { name status } } }`, {
      r: [{ __typename: 'Service', name: 'bge_large_embedding' }, { __typename: 'Service', name: 'no_such_service' }],
    });
    expect(r.result).toEqual({ data: { _entities: [{ name: 'bge_large_embedding', status: 'RUNNING' }, null] } });
    expect(h.actions()).toEqual(['DescribeService', 'DescribeService']);
  });

  it.each([
    ['a name with upper case', '{ service(name: "Qwen") { name } }', 'name'],
    ['a name that is a path', '{ service(name: "../x") { name } }', 'name'],
    ['a name starting with a digit', '{ service(name: "1abc") { name } }', 'name'],
    ['a name too long', `{ service(name: "${'a'.repeat(64)}") { name } }`, 'name'],
    ['a filter name with a hyphen', '{ services(filter: { name: "a-b" }) { totalCount } }', 'filter.name'],
    ['too many items', '{ services(first: 101) { totalCount } }', 'first'],
  ])('refuses %s naming the field, with no upstream call', async (_what, query, field) => {
    const r = await gql(query);
    expect(r.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(h.emulator.calls).toEqual([]);
  });
});

describe('ModelVersion.services', () => {
  it('lists the services deployed from each version; the versions of one model cost one ListServices together', async () => {
    const r = await gql(`{ model(id: "${QWEN}") { versions(first: 10) { nodes { name services { totalCount nodes { name status } } } } } }`);
    expect(r.result).toEqual({
      data: {
        model: {
          versions: {
            nodes: [
              { name: '0.1.0', services: { totalCount: 1, nodes: [{ name: 'qwen25_7b_canary', status: 'RUNNING' }] } },
              { name: '1.0.0', services: { totalCount: 1, nodes: [{ name: 'qwen25_7b_chat', status: 'RUNNING' }] } },
            ],
          },
        },
      },
    });
    expect(h.actions()).toEqual(['GetModel', 'ListModelVersions', 'ListServices']);
    expect(params(h.emulator.calls[2]!.query)).toEqual({ Label: JSON.stringify({ 'pai-graph.model-id': QWEN }), PageNumber: '1', PageSize: '100' });
  });

  it('costs one ListServices per model, however many versions each has', async () => {
    const r = await gql(`{ models(first: 3, filter: { domain: "nlp" }) { nodes { versions(first: 10) { nodes { name services { totalCount } } } } } }`);
    expect(r.body.errors).toBeUndefined();
    const versions = r.body.data!.models.nodes.flatMap((m: { versions: { nodes: unknown[] } }) => m.versions.nodes);
    expect(versions.length).toBeGreaterThan(3);
    expect(h.actions().filter((a) => a === 'ListServices')).toHaveLength(3);
  });

  it('asks for one version’s services exactly, by both labels', async () => {
    const r = await gql(`{ model(id: "${QWEN}") { version(name: "1.0.0") { services(first: 5) { nodes { name modelVersion { name } } } } } }`);
    expect(r.result).toEqual({ data: { model: { version: { services: { nodes: [{ name: 'qwen25_7b_chat', modelVersion: { name: '1.0.0' } }] } } } } });
    // The model's latest version came with GetModel; its services and their version cost one list more.
    expect(h.actions()).toEqual(['GetModel', 'ListServices']);
    expect(params(h.emulator.calls[1]!.query).Label).toBe(JSON.stringify({ 'pai-graph.model-id': QWEN, 'pai-graph.model-version': '1.0.0' }));
  });

  it('falls back to one exact list per version when the model has more services than one page', async () => {
    const model = [...h.emulator.store.models.values()].find((m) => m.ModelName === 'bert-base-chinese')!;
    const [first, second] = [...model.versions.keys()];
    for (let i = 0; i < 101; i += 1) {
      const name = `bert_bulk_${String(i).padStart(3, '0')}`;
      const s = newService(h.emulator.store, { name, processor: 'pytorch_cpu' }, { name, labels: { 'pai-graph.model-id': model.ModelId, 'pai-graph.model-version': i < 60 ? first! : second! }, at: clock.now().getTime() });
      h.emulator.store.services.set(`${EAS_REGION}/${name}`, s);
    }
    try {
      const r = await gql(`{ model(id: "${model.ModelId}") { versions(first: 2) { nodes { name services(first: 2) { totalCount } } } } }`);
      expect(r.body.data!.model.versions.nodes.map((v: { services: { totalCount: number } }) => v.services.totalCount)).toEqual([60, 41]);
      expect(h.actions()).toEqual(['GetModel', 'ListModelVersions', 'ListServices', 'ListServices', 'ListServices']);
    } finally {
      for (const key of [...h.emulator.store.services.keys()]) if (key.includes('bert_bulk_')) h.emulator.store.services.delete(key);
    }
  });

  it('refuses a bad first on versions’ services before any call', async () => {
    const r = await gql(`{ model(id: "${QWEN}") { versions { nodes { services(first: 500) { totalCount } } } } }`);
    expect(r.status).toBe(400);
    expect(r.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', coordinate: 'ModelVersion.services', field: 'first' });
    expect(h.emulator.calls).toEqual([]);
  });
});

/** A fixed token inside an InferenceSpec: a secret that must not come back from the gateway. */
const SPEC_TOKEN = 'spec-fixed-token-7d6c5b4a39281706';
const FRAUD_URI = 'oss://pai-demo-models.oss-cn-hangzhou.aliyuncs.com/fraud/1.0.0/';
const FRAUD_SPEC = { processor: 'pytorch_gpu_1.10', token: SPEC_TOKEN, metadata: { cpu: 4, memory: 16000, rpc: { keepalive: 60000 } } };
let fraud: string;

describe('deployModelVersion', () => {
  beforeAll(async () => {
    const created = await gql(`mutation { createModel(input: { name: "fraud-detector", domain: "tabular" }) { model { id } } }`);
    fraud = created.body.data!.createModel.model.id;
    const versions = `mutation($id: ID!, $spec: JSON!, $image: JSON!) {
      a: createModelVersion(input: { modelId: $id, name: "1.0.0", uri: "${FRAUD_URI}", inferenceSpec: $spec }) { modelVersion { name } }
      b: createModelVersion(input: { modelId: $id, name: "1.1.0", uri: "${FRAUD_URI}" }) { modelVersion { name } }
      c: createModelVersion(input: { modelId: $id, name: "2.0.0", uri: "${FRAUD_URI}", inferenceSpec: $image }) { modelVersion { name } }
    }`;
    const r = await gql(versions, { id: fraud, spec: FRAUD_SPEC, image: { containers: [{ image: 'registry.example.com/fraud:2', port: 8000 }], metadata: { cpu: 2, instance: 3 } } });
    expect(r.body.errors).toBeUndefined();
  });

  it('sends exactly one V3-signed CreateService whose raw JSON body merges the InferenceSpec, the Uri and metadata.instance; one more call reads the version', async () => {
    const r = await gql(`mutation {
      deployModelVersion(input: { modelId: "${fraud}", versionName: "1.0.0", serviceName: "fraud_scoring_v1", instanceCount: 2, gpu: 1, instanceType: "ecs.gn6i-c4g1.xlarge", labels: [{ key: "team", value: "risk" }] }) {
        service { name status statusRaw internetEndpoint hasAccessToken totalInstances cpu memory gpu config labels { key value } modelVersion { name } }
      }
    }`);
    expect(r.body.errors).toBeUndefined();
    // The payload's modelVersion is the version the deploy read: no third call.
    expect(h.actions()).toEqual(['GetModelVersion', 'CreateService']);
    expect(r.body.extensions!.cost).toMatchObject({ actualUpstreamCalls: 2 });
    const create = h.emulator.callsOf('CreateService')[0]!;
    expect([create.method, create.path]).toEqual(['POST', '/api/v2/services']);
    expect(create.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8', 'x-acs-version': '2021-07-01', authorization: expect.stringMatching(/^ACS3-HMAC-SHA256 Credential=TESTAKID/) });
    expect(create.headers['x-acs-content-sha256']).toBe(createHash('sha256').update(create.body, 'utf8').digest('hex'));
    // Serialised once, the name first: the bytes are what was signed.
    expect(create.body.startsWith('{"name":"fraud_scoring_v1",')).toBe(true);
    expect(JSON.parse(create.body)).toEqual({
      name: 'fraud_scoring_v1',
      processor: 'pytorch_gpu_1.10',
      token: SPEC_TOKEN,
      model_path: FRAUD_URI,
      metadata: { cpu: 4, memory: 16000, rpc: { keepalive: 60000 }, instance: 2, gpu: 1 },
      cloud: { computing: { instance_type: 'ecs.gn6i-c4g1.xlarge' } },
    });
    expect(params(create.query)).toEqual({ Labels: JSON.stringify({ 'pai-graph.model-id': fraud, 'pai-graph.model-version': '1.0.0', team: 'risk' }) });
    expect(r.body.data!.deployModelVersion.service).toEqual({
      name: 'fraud_scoring_v1',
      status: 'CREATING',
      statusRaw: 'Creating',
      internetEndpoint: expect.stringContaining('/api/predict/fraud_scoring_v1'),
      hasAccessToken: null,
      totalInstances: 2,
      cpu: 4,
      memory: 16000,
      gpu: 1,
      config: { name: 'fraud_scoring_v1', processor: 'pytorch_gpu_1.10', model_path: FRAUD_URI, metadata: { cpu: 4, memory: 16000, rpc: { keepalive: 60000 }, instance: 2, gpu: 1 }, cloud: { computing: { instance_type: 'ecs.gn6i-c4g1.xlarge' } } },
      labels: [{ key: 'pai-graph.model-id', value: fraud }, { key: 'pai-graph.model-version', value: '1.0.0' }, { key: 'team', value: 'risk' }],
      modelVersion: { name: '1.0.0' },
    });
    expect(r.text).not.toContain(SPEC_TOKEN);
  });

  it('costs the version lookup and CreateService and nothing more when the payload asks for the service', async () => {
    const r = await gql(`mutation { deployModelVersion(input: { modelId: "${fraud}", versionName: "1.0.0", serviceName: "fraud_scoring_v2" }) { service { name status config } } }`);
    expect(h.actions()).toEqual(['GetModelVersion', 'CreateService']);
    expect(r.body.extensions!.cost).toMatchObject({ estimated: 2, actualUpstreamCalls: 2 });
    expect(JSON.parse(h.emulator.callsOf('CreateService')[0]!.body).metadata).toEqual({ cpu: 4, memory: 16000, rpc: { keepalive: 60000 }, instance: 1 });
  });

  it('leaves the service CREATING, then WAITING, then RUNNING as EAS schedules it; clients poll service(name)', async () => {
    await gql(`mutation { deployModelVersion(input: { modelId: "${fraud}", versionName: "1.0.0", serviceName: "fraud_polled" }) { service { name } } }`);
    const poll = async () => (await gql(`{ service(name: "fraud_polled") { status runningInstances pendingInstances hasAccessToken } }`)).body.data!.service;
    expect(await poll()).toEqual({ status: 'CREATING', runningInstances: 0, pendingInstances: 1, hasAccessToken: true });
    clock.advance(EAS_STEP_MS);
    expect((await poll()).status).toBe('WAITING');
    clock.advance(EAS_STEP_MS);
    expect(await poll()).toEqual({ status: 'RUNNING', runningInstances: 1, pendingInstances: 0, hasAccessToken: true });
  });

  it('mounts the model files of an image-based InferenceSpec instead of setting model_path, and keeps its instance count when none is given', async () => {
    const r = await gql(`mutation { deployModelVersion(input: { modelId: "${fraud}", versionName: "2.0.0", serviceName: "fraud_image" }) { service { name totalInstances } } }`);
    expect(r.result).toEqual({ data: { deployModelVersion: { service: { name: 'fraud_image', totalInstances: 3 } } } });
    expect(JSON.parse(h.emulator.callsOf('CreateService')[0]!.body)).toEqual({
      name: 'fraud_image',
      containers: [{ image: 'registry.example.com/fraud:2', port: 8000 }],
      storage: [{ mount_path: '/mnt/model/', oss: { path: FRAUD_URI, readOnly: true }, properties: { resource_type: 'model' } }],
      metadata: { cpu: 2, instance: 3 },
    });
  });

  it.each([
    ['a version that does not exist', '9.9.9', 'must name a version of model'],
    ['a version without an InferenceSpec', '1.1.0', 'must name a version with an InferenceSpec'],
  ])('refuses %s naming input.versionName, after one lookup and without CreateService', async (_what, versionName, rule) => {
    const r = await gql(`mutation { deployModelVersion(input: { modelId: "${fraud}", versionName: "${versionName}", serviceName: "never_created" }) { service { name } } }`);
    expect(r.result.data).toEqual({ deployModelVersion: null });
    expect(r.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.versionName', rule: expect.stringContaining(rule) });
    expect(h.actions()).toEqual(['GetModelVersion']);
  });

  const deploy = (fields: string) => `mutation { deployModelVersion(input: { modelId: "${QWEN}", versionName: "1.0.0", serviceName: "ok_name", ${fields} }) { service { name } } }`;
  it.each([
    ['an upper-case service name', deploy('serviceName: "Fraud"').replace('serviceName: "ok_name", ', ''), 'input.serviceName'],
    ['a service name with a hyphen', deploy('serviceName: "fraud-v1"').replace('serviceName: "ok_name", ', ''), 'input.serviceName'],
    ['a service name starting with a digit', deploy('serviceName: "1fraud"').replace('serviceName: "ok_name", ', ''), 'input.serviceName'],
    ['a service name of two characters', deploy('serviceName: "ab"').replace('serviceName: "ok_name", ', ''), 'input.serviceName'],
    ['a service name of 64 characters', deploy(`serviceName: "${'a'.repeat(64)}"`).replace('serviceName: "ok_name", ', ''), 'input.serviceName'],
    ['a service name that is a path', deploy('serviceName: "../etc"').replace('serviceName: "ok_name", ', ''), 'input.serviceName'],
    ['no instances', deploy('instanceCount: 0'), 'input.instanceCount'],
    ['101 instances', deploy('instanceCount: 101'), 'input.instanceCount'],
    ['no CPU', deploy('cpu: 0'), 'input.cpu'],
    ['too much memory', deploy('memory: 2000000'), 'input.memory'],
    ['17 GPUs', deploy('gpu: 17'), 'input.gpu'],
    ['a made-up instance type', deploy('instanceType: "big"'), 'input.instanceType'],
    ['a resource group that is not eas-r-', deploy('resource: "rg-1"'), 'input.resource'],
    ['a processor with spaces', deploy('processor: "py torch"'), 'input.processor'],
    ['a reserved label', deploy('labels: [{ key: "pai-graph.model-id", value: "x" }]'), 'input.labels[0].key'],
    ['a repeated label key', deploy('labels: [{ key: "a", value: "1" }, { key: "a", value: "2" }]'), 'input.labels[1].key'],
    ['a bad version name', deploy('').replace('"1.0.0"', '"latest"'), 'input.versionName'],
    ['a model id that is a path', deploy('').replace(QWEN, '..'), 'input.modelId'],
  ])('refuses %s naming the field and rule, with no upstream call', async (_what, mutation, field) => {
    const r = await gql(mutation);
    expect(r.status).toBe(200);
    expect(r.result.data).toEqual({ deployModelVersion: null });
    expect(r.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field, rule: expect.any(String) });
    expect(h.emulator.calls).toEqual([]);
  });

  it('answers a name EAS already has with BAD_USER_INPUT carrying EAS’s code and RequestId, sent once', async () => {
    const r = await gql(`mutation { deployModelVersion(input: { modelId: "${QWEN}", versionName: "1.0.0", serviceName: "qwen25_7b_chat" }) { service { name } } }`);
    expect(r.result.data).toEqual({ deployModelVersion: null });
    expect(r.body.errors![0]).toMatchObject({
      message: expect.stringContaining('already exists'),
      extensions: { code: 'BAD_USER_INPUT', upstream: { product: 'eas', action: 'CreateService', status: 409, code: 'InvalidParameter', requestId: expect.stringMatching(/^[0-9A-F-]{36}$/) } },
    });
    expect(h.actions()).toEqual(['GetModelVersion', 'CreateService']);
  });

  it('never repeats a CreateService that failed with a 5xx: it may have happened', async () => {
    h.emulator.faults.add({ action: 'CreateService', status: 503 });
    const r = await gql(`mutation { deployModelVersion(input: { modelId: "${QWEN}", versionName: "1.0.0", serviceName: "flaky_create" }) { service { name } } }`);
    expect(codeOf(r)).toBe('UPSTREAM_UNAVAILABLE');
    expect(h.actions()).toEqual(['GetModelVersion', 'CreateService']);
  });
});

describe('start, stop, update and delete', () => {
  it.each([
    ['startService', '{ name: "whisper_asr_batch" }', 'StartService', 'PUT', `${at('whisper_asr_batch')}/start`],
    ['stopService', '{ name: "bge_large_embedding" }', 'StopService', 'PUT', `${at('bge_large_embedding')}/stop`],
    ['updateService', '{ name: "credit_risk_scoring", instanceCount: 4 }', 'UpdateService', 'PUT', at('credit_risk_scoring')],
  ])('%s sends one request with the documented method and path', async (mutation, input, action, method, path) => {
    const r = await gql(`mutation { ${mutation}(input: ${input}) { __typename } }`);
    expect(r.body.errors).toBeUndefined();
    expect(wire()).toEqual([[action, method, path]]);
    expect(h.emulator.calls[0]!.headers.authorization).toMatch(/^ACS3-HMAC-SHA256 /);
  });

  it('deleteService sends one DELETE at the service’s path and answers its name', async () => {
    const s = newService(h.emulator.store, { name: 'doomed_service', processor: 'pmml' }, { name: 'doomed_service', at: clock.now().getTime() });
    h.emulator.store.services.set(`${EAS_REGION}/doomed_service`, s);
    remember();
    const r = await gql(`mutation { deleteService(input: { name: "doomed_service" }) { deletedName } }`);
    expect(r.result).toEqual({ data: { deleteService: { deletedName: 'doomed_service' } } });
    expect(wire()).toEqual([['DeleteService', 'DELETE', at('doomed_service')]]);
    expect(h.emulator.calls[0]!.body).toBe('');
    h.resetCalls();
    expect((await gql(`{ service(name: "doomed_service") { status } }`)).body.data!.service).toEqual({ status: 'DELETING' });
    clock.advance(EAS_STEP_MS);
    expect((await gql(`{ service(name: "doomed_service") { status } }`)).body.data!.service).toBeNull();
  });

  it('shows the asynchronous status in the payload (one DescribeService) and the settled one after polling', async () => {
    const stop = await gql(`mutation { stopService(input: { name: "qwen25_7b_canary" }) { service { name status runningInstances } } }`);
    expect(stop.result).toEqual({ data: { stopService: { service: { name: 'qwen25_7b_canary', status: 'STOPPING', runningInstances: 0 } } } });
    expect(h.actions()).toEqual(['StopService', 'DescribeService']);
    clock.advance(EAS_STEP_MS);
    expect((await gql(`{ service(name: "qwen25_7b_canary") { status } }`)).body.data!.service.status).toBe('STOPPED');
    const start = await gql(`mutation { startService(input: { name: "qwen25_7b_canary" }) { service { status } } }`);
    expect(start.body.data!.startService.service.status).toBe('STARTING');
    clock.advance(EAS_STEP_MS);
    expect((await gql(`{ service(name: "qwen25_7b_canary") { status } }`)).body.data!.service.status).toBe('RUNNING');
  });

  it('sends an update as one raw JSON body: the config given, the resource fields merged on top', async () => {
    const r = await gql(`mutation($config: JSON) { updateService(input: { name: "credit_risk_scoring", instanceCount: 5, cpu: 4, processor: "xgboost_1.6", config: $config }) { service { totalInstances cpu status config } } }`, {
      config: { metadata: { rpc: { keepalive: 5000 } } },
    });
    expect(r.body.errors).toBeUndefined();
    const update = h.emulator.callsOf('UpdateService')[0]!;
    expect(update.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(update.query).toBe('');
    expect(JSON.parse(update.body)).toEqual({ metadata: { rpc: { keepalive: 5000 }, instance: 5, cpu: 4 }, processor: 'xgboost_1.6' });
    expect(r.body.data!.updateService.service).toMatchObject({ totalInstances: 5, cpu: 4, status: 'UPDATING', config: { processor: 'xgboost_1.6', metadata: { instance: 5, cpu: 4, rpc: { keepalive: 5000 } } } });
  });

  it.each([
    ['nothing to change', 'updateService(input: { name: "credit_risk_scoring" }) { __typename }', 'input'],
    ['a rename in the config', 'updateService(input: { name: "credit_risk_scoring", config: { name: "other" } }) { __typename }', 'input.config.name'],
    ['a config that is not an object', 'updateService(input: { name: "credit_risk_scoring", config: [1] }) { __typename }', 'input.config'],
    ['0 instances', 'updateService(input: { name: "credit_risk_scoring", instanceCount: 0 }) { __typename }', 'input.instanceCount'],
    ['a start of a bad name', 'startService(input: { name: "Bad Name" }) { __typename }', 'input.name'],
    ['a stop of a path', 'stopService(input: { name: "a/b" }) { __typename }', 'input.name'],
    ['a delete of a dot-dot', 'deleteService(input: { name: ".." }) { deletedName }', 'input.name'],
  ])('refuses %s naming the field, with no upstream call', async (_what, mutation, field) => {
    const r = await gql(`mutation { ${mutation} }`);
    expect(r.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(h.emulator.calls).toEqual([]);
  });

  it('answers a start of a running service with EAS’s refusal as BAD_USER_INPUT and its RequestId', async () => {
    const r = await gql(`mutation { startService(input: { name: "qwen25_7b_chat" }) { service { name } } }`);
    expect(r.result.data).toEqual({ startService: null });
    expect(r.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', upstream: { product: 'eas', action: 'StartService', status: 409, requestId: expect.any(String) } });
    expect(h.actions()).toEqual(['StartService']);
  });

  it('keeps a token from a config out of every message: its own validation, GraphQL’s and EAS’s', async () => {
    const secret = 'update-config-token-5e4d3c2b1a09';
    tokens.add(secret);
    h.emulator.faults.add({ action: 'UpdateService', status: 409, code: 'InvalidParameter', message: `token ${secret} is not allowed here`, times: 1 });
    const upstream = await gql(`mutation($input: UpdateServiceInput!) { updateService(input: $input) { __typename } }`, { input: { name: 'credit_risk_scoring', config: { token: secret } } });
    expect(upstream.body.errors![0]!.message).toContain('[redacted]');
    const coercion = await gql(`mutation($input: UpdateServiceInput!) { updateService(input: $input) { __typename } }`, { input: { name: 'credit_risk_scoring', instanceCount: 'three', config: { token: secret } } });
    expect(codeOf(coercion)).toBe('BAD_USER_INPUT');
    for (const r of [upstream, coercion]) expect(r.text).not.toContain(secret);
  });
});

describe('write scope', () => {
  let reader: Harness;
  beforeAll(async () => {
    reader = await startHarness({ callers: { tokens: parseGatewayTokens('viewer:viewer-token-0a1b2c3d4e:read'), allowAnonymous: false } });
  });
  afterAll(() => reader.close());

  it.each([
    ['deployModelVersion', `deployModelVersion(input: { modelId: "${QWEN}", versionName: "1.0.0", serviceName: "read_only_try" }) { service { name } }`],
    ['startService', 'startService(input: { name: "whisper_asr_batch" }) { service { name } }'],
    ['stopService', 'stopService(input: { name: "qwen25_7b_chat" }) { service { name } }'],
    ['updateService', 'updateService(input: { name: "qwen25_7b_chat", instanceCount: 3 }) { service { name } }'],
    ['deleteService', 'deleteService(input: { name: "qwen25_7b_chat" }) { deletedName }'],
  ])('refuses %s to a read-only caller with FORBIDDEN and no upstream call', async (_name, mutation) => {
    const r = await reader.gql(`mutation { ${mutation} }`, undefined, { authorization: 'Bearer viewer-token-0a1b2c3d4e' });
    expect(r.status).toBe(403);
    expect(codeOf(r)).toBe('FORBIDDEN');
    expect(reader.emulator.calls).toEqual([]);
  });
});

describe('the read cache and EAS writes', () => {
  let cached: Harness;
  beforeAll(async () => {
    cached = await startHarness({ cache: { ttls: 'DescribeService=60,ListServices=60', store: createMemoryReadCache({ maxEntries: 100 }) } });
  });
  afterAll(() => cached.close());

  it.each([
    ['started', 'whisper_asr_batch', 'startService(input: { name: "whisper_asr_batch" }) { __typename }', 'StartService', 'STARTING'],
    ['stopped', 'bge_large_embedding', 'stopService(input: { name: "bge_large_embedding" }) { __typename }', 'StopService', 'STOPPING'],
    ['updated', 'credit_risk_scoring', 'updateService(input: { name: "credit_risk_scoring", instanceCount: 4 }) { __typename }', 'UpdateService', 'UPDATING'],
    ['deleted', 'support_chat_frontend', 'deleteService(input: { name: "support_chat_frontend" }) { deletedName }', 'DeleteService', 'DELETING'],
  ])('drops the cached DescribeService and ListServices of a service when it is %s', async (_what, name, mutation, action, status) => {
    const read = `{ service(name: "${name}") { status } services(first: 10) { totalCount } }`;
    await cached.gql(read);
    cached.resetCalls();
    await cached.gql(read);
    expect(cached.actions()).toEqual([]);
    await cached.gql(`mutation { ${mutation} }`);
    const after = await cached.gql(read);
    expect(after.body.data!.service.status).toBe(status);
    expect(cached.actions()[0]).toBe(action);
    expect(cached.actions().slice(1).sort()).toEqual(['DescribeService', 'ListServices']);
  });

  it('drops the cached list when a service is deployed', async () => {
    const read = `{ services(first: 10) { totalCount } }`;
    const before = (await cached.gql(read)).body.data!.services.totalCount as number;
    cached.resetCalls();
    await cached.gql(`mutation { deployModelVersion(input: { modelId: "${QWEN}", versionName: "0.1.0", serviceName: "cache_check" }) { __typename } }`);
    expect((await cached.gql(read)).body.data!.services.totalCount).toBe(before + 1);
    expect(cached.actions()).toEqual(['GetModelVersion', 'CreateService', 'ListServices']);
    for (const s of cached.emulator.store.services.values()) tokens.add(s.AccessToken);
    for (const text of [...cached.responses, ...cached.logs]) for (const t of tokens) expect(text).not.toContain(t);
  });
});

describe('the access token', () => {
  it('appears in no response and no log line of this file', () => {
    remember();
    expect(tokens.size).toBeGreaterThanOrEqual(10);
    const leaks = [...h.responses, ...h.logs].flatMap((text, i) => [...tokens, SPEC_TOKEN].filter((t) => text.includes(t)).map((t) => `${i}: ${t}`));
    expect(leaks).toEqual([]);
    expect(h.responses.length).toBeGreaterThan(40);
    expect(h.logs.length).toBeGreaterThan(40);
  });
});
