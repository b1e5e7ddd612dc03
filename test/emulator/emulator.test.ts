import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Secret } from '../../src/core/secret.js';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';

const KEY = 'sk-emulator-test-000111222333';
let emu: Emulator;
let url: string;

beforeAll(async () => {
  emu = createEmulator({ apiKey: new Secret(KEY) });
  url = await emu.listen();
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

async function call(method: string, path: string, opts: { action?: string; version?: string; body?: unknown; auth?: string | null; query?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { 'x-acs-version': opts.version ?? '2021-02-04' };
  if (opts.action) headers['x-acs-action'] = opts.action;
  if (opts.auth !== null) headers.authorization = opts.auth ?? `Bearer ${KEY}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
  const qs = opts.query ? `?${new URLSearchParams(opts.query).toString()}` : '';
  const res = await fetch(`${url}${path}${qs}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> };
}

const createModel = (name: string) => call('POST', '/api/v1/models', { action: 'CreateModel', body: { ModelName: name } });

describe('the PAI emulator', () => {
  it('loads at least 30 demo models across nlp, cv and audio, each with several labelled versions', async () => {
    const r = await call('GET', '/api/v1/models', { query: { PageSize: '100' } });
    expect(r.status).toBe(200);
    expect(r.body.TotalCount).toBeGreaterThanOrEqual(30);
    const domains = new Set(r.body.Models.map((m: any) => m.Domain));
    for (const d of ['nlp', 'cv', 'audio']) expect(domains).toContain(d);
    for (const m of r.body.Models) {
      expect(m.Labels.length).toBeGreaterThanOrEqual(2);
      const versions = await call('GET', `/api/v1/models/${m.ModelId}/versions`);
      expect(versions.body.TotalCount).toBeGreaterThanOrEqual(2);
      expect(versions.body.Versions.every((v: any) => v.Labels.length >= 1)).toBe(true);
    }
  });

  it('answers errors with the Alibaba body (RequestId, HostId, Code, Message, Recommend) and status', async () => {
    const r = await call('GET', '/api/v1/models/model-nope');
    expect(r.status).toBe(404);
    expect(Object.keys(r.body).sort()).toEqual(['Code', 'HostId', 'Message', 'Recommend', 'RequestId']);
    expect(r.body).toMatchObject({ Code: 'InvalidModel.NotFound', RequestId: expect.stringMatching(/^[0-9A-F-]{36}$/), HostId: expect.stringContaining('127.0.0.1') });
    expect(r.body.Recommend).toContain(`requestId=${r.body.RequestId}`);
    expect(r.headers.get('x-acs-request-id')).toBe(r.body.RequestId);
  });

  it('requires the configured Bearer key', async () => {
    expect((await call('GET', '/api/v1/models', { auth: null })).body.Code).toBe('MissingAuthorization');
    const wrong = await call('GET', '/api/v1/models', { auth: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.Code).toBe('InvalidApiKey');
  });

  it('routes by x-acs-action and rejects an action that does not match the method and path', async () => {
    expect((await call('GET', '/api/v1/models', { action: 'ListModels' })).status).toBe(200);
    const mismatch = await call('GET', '/api/v1/models', { action: 'CreateModel' });
    expect(mismatch.status).toBe(404);
    expect(mismatch.body.Code).toBe('InvalidAction.NotFound');
    expect((await call('PATCH', '/api/v1/models')).status).toBe(404);
  });

  it('validates ModelName, enums, labels and paging like the service', async () => {
    expect((await call('POST', '/api/v1/models', { body: {} })).body.Code).toBe('MissingParameter.ModelName');
    expect((await createModel('x'.repeat(128))).body.Code).toBe('InvalidParameter.ModelName');
    expect((await createModel('x'.repeat(127))).status).toBe(200);
    expect((await call('POST', '/api/v1/models', { body: { ModelName: 'a', Accessibility: 'SECRET' } })).body.Code).toBe('InvalidParameter.Accessibility');
    expect((await call('POST', '/api/v1/models', { body: { ModelName: 'a', Tag: [{ Key: 'k=v', Value: 'x' }] } })).body.Code).toBe('InvalidParameter.Tag');
    expect((await call('GET', '/api/v1/models', { query: { PageSize: '101' } })).body.Code).toBe('InvalidParameter.PageSize');
    expect((await call('GET', '/api/v1/models', { query: { PageNumber: '0' } })).body.Code).toBe('InvalidParameter.PageNumber');
    expect((await call('GET', '/api/v1/models', { query: { SortBy: 'ModelName' } })).body.Code).toBe('InvalidParameter.SortBy');
    const bad = await fetch(`${url}/api/v1/models`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: '{not json' });
    expect(bad.status).toBe(400);
  });

  it('names versions 0.1.0, then minor + 1 of the highest, and enforces the version rules', async () => {
    const { ModelId } = (await createModel('versions')).body;
    const create = (body: Record<string, unknown>) => call('POST', `/api/v1/models/${ModelId}/versions`, { body: { Uri: 'oss://b.oss-cn-hangzhou.aliyuncs.com/p/', ...body } });
    expect((await create({})).body.VersionName).toBe('0.1.0');
    expect((await create({})).body.VersionName).toBe('0.2.0');
    expect((await create({ VersionName: '3.7.1_rc1' })).body.VersionName).toBe('3.7.1_rc1');
    expect((await create({})).body.VersionName).toBe('3.8.0');
    expect((await create({ VersionName: '3.8.0' })).body.Code).toBe('ModelVersion.AlreadyExists');
    expect((await create({ VersionName: 'v1' })).body.Code).toBe('InvalidParameter.VersionName');
    expect((await call('POST', `/api/v1/models/${ModelId}/versions`, { body: {} })).body.Code).toBe('MissingParameter.Uri');
    expect((await create({ FormatType: 'Pickle' })).body.Code).toBe('InvalidParameter.FormatType');
    expect((await create({ Metrics: { blob: 'x'.repeat(8200) } })).body.Code).toBe('InvalidParameter.Metrics');
    expect((await create({ SourceType: 'PAIFlow', SourceId: 'run-1' })).body.Code).toBe('InvalidParameter.SourceId');
    const got = await call('GET', `/api/v1/models/${ModelId}`);
    expect(got.body.LatestVersion.VersionName).toBe('3.8.0');
    expect(got.body.GmtLatestVersionModifiedTime).toBe(got.body.LatestVersion.GmtModifiedTime);
  });

  it('filters by label substring, fuzzy query, provider and sorts by creation time', async () => {
    const byLabel = await call('GET', '/api/v1/models', { query: { Label: 'visio', PageSize: '100' } });
    expect(byLabel.body.Models.length).toBeGreaterThan(0);
    expect(byLabel.body.Models.every((m: any) => m.Labels.some((l: any) => l.Key.includes('visio') || l.Value.includes('visio')))).toBe(true);
    const fuzzy = await call('GET', '/api/v1/models', { query: { Query: 'AUDIO', PageSize: '100' } });
    expect(fuzzy.body.Models.every((m: any) => m.Domain === 'audio' || /audio/i.test(m.ModelName))).toBe(true);
    const pub = await call('GET', '/api/v1/models', { query: { Provider: 'pai', PageSize: '100' } });
    expect(pub.body.Models.every((m: any) => m.Provider === 'pai')).toBe(true);
    const desc = await call('GET', '/api/v1/models', { query: { Order: 'DESC', PageSize: '100' } });
    const times = desc.body.Models.map((m: any) => m.GmtCreateTime);
    expect(times).toEqual([...times].sort().reverse());
  });

  it('merges labels by key and deletes them by comma-separated LabelKeys', async () => {
    const { ModelId } = (await createModel('labels')).body;
    await call('POST', `/api/v1/models/${ModelId}/labels`, { body: { Labels: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] } });
    await call('POST', `/api/v1/models/${ModelId}/labels`, { body: { Labels: [{ Key: 'a', Value: '3' }] } });
    expect((await call('GET', `/api/v1/models/${ModelId}`)).body.Labels).toEqual([{ Key: 'a', Value: '3' }, { Key: 'b', Value: '2' }]);
    await call('DELETE', `/api/v1/models/${ModelId}/labels`, { query: { LabelKeys: 'a,zzz' } });
    expect((await call('GET', `/api/v1/models/${ModelId}`)).body.Labels).toEqual([{ Key: 'b', Value: '2' }]);
  });

  it('counts calls and injects faults through the control API, redacting the key', async () => {
    await fetch(`${url}/__emulator/faults`, { method: 'POST', body: JSON.stringify({ action: 'List*', status: 429, retryAfterMs: 1500, times: 1 }) });
    const throttled = await fetch(`${url}/api/v1/models`, { headers: { authorization: `Bearer ${KEY}`, 'x-acs-action': 'ListModels' } });
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('x-acs-retry-after')).toBe('1500');
    expect(((await throttled.json()) as any).Code).toBe('Throttling.User');
    expect((await call('GET', '/api/v1/models')).status).toBe(200);
    const calls = (await (await fetch(`${url}/__emulator/calls`)).json()) as any;
    expect(calls.count).toBe(2);
    expect(await (await fetch(`${url}/__emulator/calls/count`)).json()).toEqual({ count: 2 });
    expect(calls.calls.map((c: any) => [c.action, c.status])).toEqual([
      ['ListModels', 429],
      ['ListModels', 200],
    ]);
    expect(JSON.stringify(calls)).not.toContain(KEY);
    await fetch(`${url}/__emulator/reset`, { method: 'POST' });
    expect(((await (await fetch(`${url}/__emulator/calls`)).json()) as any).count).toBe(0);
  });

  it('keeps only the most recent calls, and counts them all', async () => {
    const small = createEmulator({ apiKey: new Secret(KEY), maxRecordedCalls: 4 });
    const smallUrl = await small.listen();
    try {
      for (let i = 0; i < 9; i++) await fetch(`${smallUrl}/api/v1/models?PageSize=${i + 1}`, { headers: { authorization: `Bearer ${KEY}`, 'x-acs-action': 'ListModels' } });
      // Trimmed to the latest 4 whenever 6 are held (at the 6th and the 8th call), then the 9th added.
      expect(small.calls.map((c) => [c.seq, c.query])).toEqual([5, 6, 7, 8, 9].map((n) => [n, `PageSize=${n}`]));
      expect(small.callCount()).toBe(9);
      expect(await (await fetch(`${smallUrl}/__emulator/calls/count`)).json()).toEqual({ count: 9 });
      small.reset();
      expect([small.calls.length, small.callCount()]).toEqual([0, 0]);
    } finally {
      await small.close();
    }
  });

  it('adds latency without failing, and rejects a malformed fault rule', async () => {
    emu.faults.add({ action: 'GetModel', latencyMs: 50, times: 1 });
    const { Models } = (await call('GET', '/api/v1/models')).body;
    expect((await call('GET', `/api/v1/models/${Models[0].ModelId}`)).status).toBe(200);
    expect(emu.faults.list()).toEqual([]);
    const bad = await fetch(`${url}/__emulator/faults`, { method: 'POST', body: JSON.stringify({ status: 200, explode: true }) });
    expect(bad.status).toBe(400);
  });
});

describe('the emulator as pai-dlc (TensorBoards)', () => {
  const dlc = (method: string, path: string, action: string, opts: Parameters<typeof call>[2] = {}) => call(method, path, { ...opts, action, version: '2020-12-03' });

  it('spells statuses Running in lists and running in GetTensorboard, whose body is the instance', async () => {
    const list = await dlc('GET', '/api/v1/tensorboards', 'ListTensorboards', { query: { PageSize: '100' } });
    expect(list.status).toBe(200);
    expect(new Set(list.body.Tensorboards.map((t: any) => t.Status))).toEqual(new Set(['Running', 'Stopped', 'Failed', 'Succeeded']));
    const running = list.body.Tensorboards.find((t: any) => t.Status === 'Running');
    const get = await dlc('GET', `/api/v1/tensorboards/${running.TensorboardId}`, 'GetTensorboard');
    expect(get.body).toMatchObject({ TensorboardId: running.TensorboardId, Status: 'running', GmtModifyTime: expect.any(String), RequestId: expect.any(String) });
    const wrongJob = await dlc('GET', `/api/v1/tensorboards/${running.TensorboardId}`, 'GetTensorboard', { query: { JodId: 'dlc-other' } });
    expect(wrongJob.status).toBe(404);
  });

  it('takes UpdateTensorboard fields from the query only and checks ExpireTimeSeconds', async () => {
    const created = await dlc('POST', '/api/v1/tensorboards', 'CreateTensorboard', { body: { JobId: 'dlc-emu-test' } });
    const id = created.body.TensorboardId;
    const withBody = await dlc('PUT', `/api/v1/tensorboards/${id}`, 'UpdateTensorboard', { body: { Priority: '5' } });
    expect(withBody).toMatchObject({ status: 400, body: { Code: expect.stringMatching(/^InvalidParameter/) } });
    const ok = await dlc('PUT', `/api/v1/tensorboards/${id}`, 'UpdateTensorboard', { query: { Priority: '5', MaxRunningTimeMinutes: '15' } });
    expect(ok.status).toBe(200);
    expect((await dlc('GET', `/api/v1/tensorboards/${id}`, 'GetTensorboard')).body).toMatchObject({ Priority: '5', MaxRunningTimeMinutes: 15 });
    for (const bad of ['0', '604801', '1.5']) {
      const r = await dlc('GET', `/api/v1/tensorboards/${id}/sharedurl`, 'GetTensorboardSharedUrl', { query: { ExpireTimeSeconds: bad } });
      expect(r).toMatchObject({ status: 400, body: { Code: expect.stringMatching(/^InvalidParameter/) } });
    }
  });

  it('refuses a create with nothing to show and a stop of a stopped instance', async () => {
    expect(await dlc('POST', '/api/v1/tensorboards', 'CreateTensorboard', { body: { DisplayName: 'x' } })).toMatchObject({ status: 400, body: { Code: 'MissingParameter' } });
    const stopped = (await dlc('GET', '/api/v1/tensorboards', 'ListTensorboards', { query: { Status: 'Stopped' } })).body.Tensorboards[0];
    expect(await dlc('PUT', `/api/v1/tensorboards/${stopped.TensorboardId}/stop`, 'StopTensorboard')).toMatchObject({ status: 400, body: { Code: 'InvalidStatus' } });
  });
});
