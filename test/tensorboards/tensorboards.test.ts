import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { codeOf, manualClock, startHarness, type Harness } from '../helpers/harness.js';

const NOW = '2026-06-01T12:00:00Z';
const clock = manualClock(NOW);
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ clock });
});
afterAll(() => h.close());
beforeEach(() => {
  h.resetCalls();
  h.emulator.faults.clear();
  clock.set(NOW);
});

const FIELDS = `id displayName status reasonCode url jobId summaryPath maxRunningTimeMinutes priority accessibility duration createdAt modifiedAt finishedAt workspaceId
  dataSources { sourceType dataSourceType uri directoryName }`;

const params = (query: string) => Object.fromEntries(new URLSearchParams(query));

async function demo(displayName: string): Promise<{ id: string; workspaceId: string; jobId: string | null }> {
  const r = await h.gql(`query($name: String) { tensorboards(filter: { displayName: $name }) { nodes { id workspaceId jobId } } }`, { name: displayName });
  expect(r.body.errors).toBeUndefined();
  const node = r.body.data!.tensorboards.nodes[0];
  h.resetCalls();
  return node;
}

describe('TensorBoard queries', () => {
  it('lists the last 7 days by default with case-normalised statuses in one upstream call', async () => {
    const r = await h.gql(`{ tensorboards(first: 3) { totalCount pageInfo { hasNextPage } nodes { displayName status } } }`);
    expect(r.result).toEqual({
      data: {
        tensorboards: {
          // The demo's eighth instance is 30 days old and outside PAI's default window.
          totalCount: 6,
          pageInfo: { hasNextPage: true },
          nodes: [
            { displayName: 'qwen-sft-run-42', status: 'RUNNING' },
            { displayName: 'yolov8-shelf-sweep', status: 'RUNNING' },
            { displayName: 'whisper-domain-adapt', status: 'STOPPED' },
          ],
        },
      },
    });
    expect(h.emulator.calls.map((c) => [c.method, c.path, params(c.query)])).toEqual([['GET', '/api/v1/tensorboards', { PageNumber: '1', PageSize: '3' }]]);
    expect(h.emulator.calls[0]!.headers['x-acs-action']).toBe('ListTensorboards');
    expect(h.emulator.calls[0]!.headers['x-acs-version']).toBe('2020-12-03');
  });

  it('translates the filter and order to pai-dlc parameters', async () => {
    const r = await h.gql(
      `{ tensorboards(filter: { status: STOPPED, accessibility: PRIVATE, createdAfter: "2026-05-01T00:00:00Z", createdBefore: "2026-06-01T12:00:00.000Z" }, orderBy: { field: DISPLAY_NAME, direction: ASC }) { totalCount nodes { displayName status finishedAt } } }`,
    );
    expect(r.body.data!.tensorboards).toEqual({
      totalCount: 2,
      nodes: [
        { displayName: 'old-experiment-2024', status: 'STOPPED', finishedAt: '2026-05-02T13:00:00.000Z' },
        { displayName: 'whisper-domain-adapt', status: 'STOPPED', finishedAt: '2026-05-31T10:00:00.000Z' },
      ],
    });
    expect(params(h.emulator.calls[0]!.query)).toEqual({
      Status: 'Stopped',
      Accessibility: 'PRIVATE',
      StartTime: '2026-05-01T00:00:00Z',
      EndTime: '2026-06-01T12:00:00Z',
      SortBy: 'DisplayName',
      Order: 'asc',
      PageNumber: '1',
      PageSize: '10',
    });
  });

  it('tensorboard(id, workspaceId, jobId) sends the job as JodId and reads the body as the instance', async () => {
    const { id, workspaceId, jobId } = await demo('qwen-sft-run-42');
    const r = await h.gql(`query($id: ID!, $ws: String, $job: String) { tensorboard(id: $id, workspaceId: $ws, jobId: $job) { ${FIELDS} } }`, { id, ws: workspaceId, job: jobId });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.tensorboard).toEqual({
      id,
      displayName: 'qwen-sft-run-42',
      // GetTensorboard answers `running` in lower case.
      status: 'RUNNING',
      reasonCode: 'Running',
      url: expect.stringMatching(/^https:\/\/.+\/tensorboards\/tensorboard-/),
      jobId: 'dlc-20250306101500-qwensft42',
      summaryPath: 'oss://pai-dlc-logs.oss-cn-hangzhou.aliyuncs.com/dlc-20250306101500-qwensft42/tensorboard/',
      maxRunningTimeMinutes: 1440,
      priority: '3',
      accessibility: 'PUBLIC',
      duration: 7200,
      createdAt: '2026-06-01T10:00:00.000Z',
      modifiedAt: '2026-06-01T10:00:00.000Z',
      finishedAt: null,
      workspaceId,
      dataSources: [{ sourceType: 'dlcjob', dataSourceType: 'OSS', uri: 'oss://pai-dlc-logs.oss-cn-hangzhou.aliyuncs.com/dlc-20250306101500-qwensft42/', directoryName: 'qwen-sft-run-42' }],
    });
    expect(h.emulator.calls.map((c) => [c.method, c.path, params(c.query)])).toEqual([['GET', `/api/v1/tensorboards/${id}`, { WorkspaceId: workspaceId, JodId: jobId }]]);
  });

  it('an unknown id is null without an error; the same instance asked twice costs one call', async () => {
    const { id } = await demo('bert-cls-baseline');
    const r = await h.gql(`query($id: ID!) { a: tensorboard(id: $id) { id } b: tensorboard(id: $id) { displayName } missing: tensorboard(id: "tensorboard-nope") { id } }`, { id });
    expect(r.result).toEqual({ data: { a: { id }, b: { displayName: 'bert-cls-baseline' }, missing: null } });
    expect(h.actions().sort()).toEqual(['GetTensorboard', 'GetTensorboard']);
  });

  it('caches only within one operation: the next operation reads the instance afresh', async () => {
    const { id } = await demo('qwen-sft-run-42');
    const query = `query($id: ID!) { tensorboard(id: $id) { status } }`;
    await h.gql(query, { id });
    clock.advance(1);
    await h.gql(query, { id });
    expect(h.actions()).toEqual(['GetTensorboard', 'GetTensorboard']);
  });

  it('shows terminal statuses with their reasons and spec', async () => {
    const r = await h.gql(`{ tensorboards(filter: { status: FAILED }) { nodes { displayName status reasonCode reasonMessage cpu memory spec { ecsType vpcId } } } }`);
    expect(r.body.data!.tensorboards.nodes).toEqual([
      { displayName: 'ctr-deepfm-ablation', status: 'FAILED', reasonCode: 'SummaryPathNotFound', reasonMessage: 'No event files were found under the summary path.', cpu: 2, memory: 8, spec: { ecsType: 'ecs.g6.large', vpcId: 'vpc-demo01' } },
    ]);
    expect(params(h.emulator.calls[0]!.query).Status).toBe('Failed');
  });
});

describe('Tensorboard.sharedUrl', () => {
  it('sends ExpireTimeSeconds as a string, defaulting to one day, one call per instance and validity', async () => {
    const { id } = await demo('qwen-sft-run-42');
    const r = await h.gql(`query($id: ID!) { tensorboard(id: $id) { day: sharedUrl again: sharedUrl(expireTimeSeconds: 86400) hour: sharedUrl(expireTimeSeconds: 3600) } }`, { id });
    expect(r.body.errors).toBeUndefined();
    const t = r.body.data!.tensorboard;
    expect(t.day).toMatch(new RegExp(`/share/${id}/\\?token=[0-9a-f]+&expires=${Date.parse(NOW) / 1000 + 86_400}$`));
    expect(t.again).toBe(t.day);
    expect(t.hour).toMatch(new RegExp(`&expires=${Date.parse(NOW) / 1000 + 3600}$`));
    const shares = h.emulator.calls.filter((c) => c.action === 'GetTensorboardSharedUrl');
    expect(shares.map((c) => [c.method, c.path, c.query])).toEqual([
      ['GET', `/api/v1/tensorboards/${id}/sharedurl`, 'ExpireTimeSeconds=86400'],
      ['GET', `/api/v1/tensorboards/${id}/sharedurl`, 'ExpireTimeSeconds=3600'],
    ]);
    expect(h.actions()).toHaveLength(3);
  });

  it.each([
    ['0', 0],
    ['more than 7 days', 604_801],
    ['negative', -5],
  ])('expireTimeSeconds %s is BAD_USER_INPUT before any upstream call, not even the parent', async (_label, seconds) => {
    const r = await h.gql(`query($s: Int) { tensorboards(first: 5) { nodes { id sharedUrl(expireTimeSeconds: $s) } } }`, { s: seconds });
    expect(r.status).toBe(400);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.body.errors![0]!.message).toBe(`Tensorboard.sharedUrl expireTimeSeconds: must be between 1 and 604800 seconds (7 days) (got ${seconds})`);
    expect(r.body.errors![0]!.extensions).toMatchObject({ field: 'expireTimeSeconds', coordinate: 'Tensorboard.sharedUrl' });
    expect(h.emulator.calls).toHaveLength(0);
  });

  it('the 7-day maximum itself is accepted', async () => {
    const { id } = await demo('qwen-sft-run-42');
    const r = await h.gql(`query($id: ID!) { tensorboard(id: $id) { sharedUrl(expireTimeSeconds: 604800) } }`, { id });
    expect(r.body.errors).toBeUndefined();
    expect(h.emulator.calls.find((c) => c.action === 'GetTensorboardSharedUrl')!.query).toBe('ExpireTimeSeconds=604800');
  });
});

describe('TensorBoard mutations', () => {
  const CREATE = `mutation($input: CreateTensorboardInput!) { createTensorboard(input: $input) { tensorboard { ${FIELDS} } } }`;

  async function create(input: Record<string, unknown>): Promise<any> {
    const r = await h.gql(CREATE, { input });
    expect(r.body.errors).toBeUndefined();
    return r.body.data!.createTensorboard.tensorboard;
  }

  it('createTensorboard sends a JSON body with pai-dlc field names and reads the new instance back', async () => {
    const t = await create({
      displayName: 'llama-lora-sweep',
      jobId: 'dlc-20260601115900-llamalora',
      maxRunningTimeMinutes: 60,
      priority: '4',
      accessibility: 'PUBLIC',
      dataSources: [{ sourceType: 'dlcjob', dataSourceType: 'OSS', uri: 'oss://my-bucket.oss-cn-hangzhou.aliyuncs.com/runs/', directoryName: 'lora' }],
      options: '{"MountPath":"/mnt/data/"}',
    });
    expect(t).toMatchObject({ displayName: 'llama-lora-sweep', status: 'CREATING', url: null, jobId: 'dlc-20260601115900-llamalora', maxRunningTimeMinutes: 60, priority: '4', accessibility: 'PUBLIC', createdAt: '2026-06-01T12:00:00.000Z' });
    expect(h.actions()).toEqual(['CreateTensorboard', 'GetTensorboard']);
    const call = h.emulator.calls[0]!;
    expect(call).toMatchObject({ method: 'POST', path: '/api/v1/tensorboards', query: '' });
    expect(call.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(call.body)).toEqual({
      DisplayName: 'llama-lora-sweep',
      JobId: 'dlc-20260601115900-llamalora',
      TensorboardDataSources: [{ SourceType: 'dlcjob', DataSourceType: 'OSS', Uri: 'oss://my-bucket.oss-cn-hangzhou.aliyuncs.com/runs/', DirectoryName: 'lora' }],
      Options: '{"MountPath":"/mnt/data/"}',
      MaxRunningTimeMinutes: 60,
      Priority: '4',
      Accessibility: 'PUBLIC',
    });
  });

  it('moves Creating -> Running -> Stopped -> Creating -> Running with start and stop, and stops at the running limit', async () => {
    const { id } = await create({ displayName: 'lifecycle', jobId: 'dlc-lifecycle', maxRunningTimeMinutes: 30 });
    const read = async () => (await h.gql(`query($id: ID!) { tensorboard(id: $id) { status reasonCode url finishedAt duration } }`, { id })).body.data!.tensorboard;
    clock.advance(5_000);
    expect(await read()).toMatchObject({ status: 'RUNNING', url: expect.stringContaining(id), finishedAt: null, duration: 5 });

    h.resetCalls();
    const stop = await h.gql(`mutation($id: ID!) { stopTensorboard(input: { id: $id }) { tensorboard { id status reasonCode } } }`, { id });
    expect(stop.body.data!.stopTensorboard.tensorboard).toEqual({ id, status: 'STOPPED', reasonCode: 'StoppedByUser' });
    expect(h.emulator.calls.map((c) => [c.method, c.path, c.query, c.body])).toEqual([
      ['PUT', `/api/v1/tensorboards/${id}/stop`, '', ''],
      ['GET', `/api/v1/tensorboards/${id}`, '', ''],
    ]);
    expect(h.emulator.calls[0]!.headers['content-type']).toBeUndefined();

    const again = await h.gql(`mutation($id: ID!) { stopTensorboard(input: { id: $id }) { tensorboard { id } } }`, { id });
    expect(again.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', upstream: { product: 'pai-dlc', action: 'StopTensorboard', code: 'InvalidStatus', requestId: expect.any(String) } });
    expect(again.body.errors![0]!.message).toBe('pai-dlc rejected StopTensorboard: The TensorBoard is Stopped and cannot be stopped.');

    clock.advance(60_000);
    h.resetCalls();
    const start = await h.gql(`mutation($id: ID!) { startTensorboard(input: { id: $id }) { tensorboard { status } } }`, { id });
    expect(start.body.data!.startTensorboard.tensorboard).toEqual({ status: 'CREATING' });
    expect(h.emulator.calls.map((c) => [c.method, c.path, c.body])).toEqual([
      ['PUT', `/api/v1/tensorboards/${id}/start`, ''],
      ['GET', `/api/v1/tensorboards/${id}`, ''],
    ]);
    clock.advance(3_000);
    expect((await read()).status).toBe('RUNNING');
    clock.advance(30 * 60_000);
    expect(await read()).toMatchObject({ status: 'STOPPED', reasonCode: 'MaxRunningTimeExceeded' });
  });

  it('updateTensorboard sends its fields in the query string of a PUT with no body', async () => {
    const { id, workspaceId } = await create({ displayName: 'to-update', jobId: 'dlc-update' });
    h.resetCalls();
    const r = await h.gql(`mutation($input: UpdateTensorboardInput!) { updateTensorboard(input: $input) { tensorboard { id accessibility maxRunningTimeMinutes priority modifiedAt } } }`, {
      input: { id, workspaceId, accessibility: 'PUBLIC', maxRunningTimeMinutes: 90, priority: '7' },
    });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.updateTensorboard.tensorboard).toEqual({ id, accessibility: 'PUBLIC', maxRunningTimeMinutes: 90, priority: '7', modifiedAt: '2026-06-01T12:00:00.000Z' });
    const call = h.emulator.calls[0]!;
    expect(call).toMatchObject({ action: 'UpdateTensorboard', method: 'PUT', path: `/api/v1/tensorboards/${id}`, body: '' });
    expect(params(call.query)).toEqual({ Accessibility: 'PUBLIC', MaxRunningTimeMinutes: '90', Priority: '7', WorkspaceId: workspaceId });
    expect(call.headers['content-type']).toBeUndefined();
  });

  it('deleteTensorboard in the wrong workspace fails upstream; in its own it deletes and the instance reads as null', async () => {
    const { id } = await create({ displayName: 'to-delete', uri: 'oss://bucket.oss-cn-hangzhou.aliyuncs.com/logs/' });
    h.resetCalls();
    const del = await h.gql(`mutation($id: ID!) { deleteTensorboard(input: { id: $id, workspaceId: "ws-other" }) { deletedId } }`, { id });
    expect(del.body.errors?.[0]?.extensions).toMatchObject({ upstream: { code: 'InvalidTensorboard.NotFound' } });
    h.resetCalls();
    const ok = await h.gql(`mutation($id: ID!) { deleteTensorboard(input: { id: $id }) { deletedId } }`, { id });
    expect(ok.result).toEqual({ data: { deleteTensorboard: { deletedId: id } } });
    expect(h.emulator.calls.map((c) => [c.method, c.path, c.query])).toEqual([['DELETE', `/api/v1/tensorboards/${id}`, '']]);
    expect((await h.gql(`query($id: ID!) { tensorboard(id: $id) { id } }`, { id })).result).toEqual({ data: { tensorboard: null } });
  });

  it.each([
    ['nothing to show', { displayName: 'empty' }, 'input', /must name what to show/],
    ['priority 10', { jobId: 'dlc-x', priority: '10' }, 'input.priority', /a digit from 1 to 9/],
    ['maxRunningTimeMinutes 0', { jobId: 'dlc-x', maxRunningTimeMinutes: 0 }, 'input.maxRunningTimeMinutes', /must be between 1 and 43200/],
    ['an http uri', { uri: 'http://example.com/logs' }, 'input.uri', /oss:\/\//],
    ['options that are not JSON', { jobId: 'dlc-x', options: '{mount' }, 'input.options', /JSON/],
    ['a data source of an unknown kind', { dataSources: [{ sourceType: 'bucket' }] }, 'input.dataSources[0].sourceType', /datasource or dlcjob/],
  ])('createTensorboard with %s is BAD_USER_INPUT with no upstream call', async (_label, input, field, rule) => {
    const r = await h.gql(CREATE, { input });
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.body.errors![0]!.extensions!.field).toBe(field);
    expect(r.body.errors![0]!.message).toMatch(rule);
    expect(r.status).toBeLessThan(500);
    expect(h.emulator.calls).toHaveLength(0);
  });

  it.each([
    ['priority 0', { priority: '0' }, 'input.priority'],
    ['an unknown accessibility', { accessibility: 'SHARED' }, 'input.accessibility'],
  ])('updateTensorboard with %s is rejected with no upstream call', async (_label, change, field) => {
    const r = await h.gql(`mutation($input: UpdateTensorboardInput!) { updateTensorboard(input: $input) { tensorboard { id } } }`, { input: { id: 'tensorboard-x', ...change } });
    expect(codeOf(r)).toMatch(/BAD_USER_INPUT/);
    expect(JSON.stringify(r.body.errors)).toContain(field.split('.').pop()!);
    expect(r.status).toBeLessThan(500);
    expect(h.emulator.calls).toHaveLength(0);
  });

  it('an upstream fault on sharedUrl nulls only that field, with the RequestId', async () => {
    const { id } = await demo('qwen-sft-run-42');
    h.emulator.faults.add({ action: 'GetTensorboardSharedUrl', status: 503, times: 3 });
    const r = await h.gql(`query($id: ID!) { tensorboard(id: $id) { displayName sharedUrl } }`, { id });
    expect(r.body.data!.tensorboard).toEqual({ displayName: 'qwen-sft-run-42', sharedUrl: null });
    expect(r.body.errors![0]!.path).toEqual(['tensorboard', 'sharedUrl']);
    expect(r.body.errors![0]!.extensions).toMatchObject({ upstream: { product: 'pai-dlc', action: 'GetTensorboardSharedUrl', status: 503, requestId: expect.any(String) } });
  });
});
