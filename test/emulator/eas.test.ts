import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Secret } from '../../src/core/secret.js';
import { EAS_REGION, EAS_STEP_MS } from '../../src/emulator/eas.js';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { manualClock } from '../helpers/harness.js';

const KEY = 'sk-emulator-eas-000111222333';
const NOW = '2026-06-01T12:00:00Z';
const clock = manualClock(NOW);
let emu: Emulator;
let url: string;

beforeAll(async () => {
  emu = createEmulator({ apiKey: new Secret(KEY), clock });
  url = await emu.listen();
});
afterAll(() => emu.close());
beforeEach(() => {
  clock.set(NOW);
  emu.reset();
});

/** One EAS call; `body` is sent as it is (CreateService and UpdateService take a JSON text). */
async function eas(method: string, path: string, action: string, opts: { body?: string; query?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { 'x-acs-version': '2021-07-01', 'x-acs-action': action, authorization: `Bearer ${KEY}` };
  if (opts.body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
  const qs = opts.query ? `?${new URLSearchParams(opts.query).toString()}` : '';
  const res = await fetch(`${url}${path}${qs}`, { method, headers, body: opts.body });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

const at = (name: string) => `/api/v2/services/${EAS_REGION}/${name}`;
const describeService = (name: string) => eas('GET', at(name), 'DescribeService');
const config = (name: string, extra: Record<string, unknown> = {}) => JSON.stringify({ name, processor: 'pytorch_gpu_1.10', model_path: 'oss://bucket/model/', metadata: { instance: 2, cpu: 4, memory: 8192 }, ...extra });

describe('the emulator as EAS', () => {
  it('loads demo services deployed from demo model versions, labelled with the model and version, in several statuses', async () => {
    const list = await eas('GET', '/api/v2/services', 'ListServices');
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ TotalCount: 7, PageNumber: 1, PageSize: 100 });
    expect(new Set(list.body.Services.map((s: any) => s.Status))).toEqual(new Set(['Running', 'Stopped', 'Failed']));
    const chat = list.body.Services.find((s: any) => s.ServiceName === 'qwen25_7b_chat');
    expect(chat.Labels).toEqual(expect.arrayContaining([{ LabelKey: 'pai-graph.model-id', LabelValue: expect.stringMatching(/^model-/) }, { LabelKey: 'pai-graph.model-version', LabelValue: '1.0.0' }]));
    // List items carry no endpoints (DescribeService does), but do carry the token, as EAS's do.
    expect(chat.InternetEndpoint).toBeUndefined();
    expect(chat.AccessToken).toEqual(expect.any(String));
    const detail = await describeService('qwen25_7b_chat');
    expect(detail.body).toMatchObject({ ServiceName: 'qwen25_7b_chat', Status: 'Running', InternetEndpoint: expect.stringContaining('/api/predict/qwen25_7b_chat'), RequestId: expect.any(String) });
    expect(JSON.parse(detail.body.ServiceConfig)).toMatchObject({ processor: 'pytorch_gpu_1.10', model_path: expect.stringMatching(/^oss:\/\//), metadata: { instance: 2 } });
  });

  it('creates from a raw JSON config with labels in the query, then moves Creating -> Waiting -> Running with the clock', async () => {
    const created = await eas('POST', '/api/v2/services', 'CreateService', { body: config('fresh_svc'), query: { Labels: JSON.stringify({ team: 'qa' }) } });
    expect(created).toMatchObject({ status: 200, body: { ServiceName: 'fresh_svc', Status: 'Creating', Region: EAS_REGION, ServiceId: expect.stringMatching(/^eas-m-/) } });
    expect((await describeService('fresh_svc')).body).toMatchObject({ Status: 'Creating', TotalInstance: 2, PendingInstance: 2, RunningInstance: 0, Labels: [{ LabelKey: 'team', LabelValue: 'qa' }] });
    clock.advance(EAS_STEP_MS);
    expect((await describeService('fresh_svc')).body.Status).toBe('Waiting');
    clock.advance(EAS_STEP_MS);
    expect((await describeService('fresh_svc')).body).toMatchObject({ Status: 'Running', RunningInstance: 2, PendingInstance: 0 });
  });

  it('stops, starts, updates and deletes asynchronously, answering each with a message', async () => {
    await eas('POST', '/api/v2/services', 'CreateService', { body: config('life_svc') });
    clock.advance(3 * EAS_STEP_MS);
    expect((await eas('PUT', `${at('life_svc')}/stop`, 'StopService')).body.Message).toBe(`Service [life_svc] in region [${EAS_REGION}] is stopping`);
    expect((await describeService('life_svc')).body.Status).toBe('Stopping');
    clock.advance(EAS_STEP_MS);
    expect((await describeService('life_svc')).body.Status).toBe('Stopped');
    expect((await eas('PUT', `${at('life_svc')}/stop`, 'StopService')).status).toBe(409);
    await eas('PUT', `${at('life_svc')}/start`, 'StartService');
    expect((await describeService('life_svc')).body.Status).toBe('Starting');
    clock.advance(EAS_STEP_MS);
    const updated = await eas('PUT', at('life_svc'), 'UpdateService', { body: JSON.stringify({ metadata: { instance: 5 } }) });
    expect(updated.body.Message).toBe(`Succeed to update service [life_svc] in region [${EAS_REGION}]`);
    expect((await describeService('life_svc')).body).toMatchObject({ Status: 'Updating', TotalInstance: 5, Cpu: 4, LatestVersion: 2 });
    await eas('DELETE', at('life_svc'), 'DeleteService');
    expect((await describeService('life_svc')).body.Status).toBe('Deleting');
    clock.advance(EAS_STEP_MS);
    expect(await describeService('life_svc')).toMatchObject({ status: 404, body: { Code: 'InvalidService.NotFound' } });
  });

  it('fails a service that asks for more GPUs than the pool has, once scheduling is tried', async () => {
    await eas('POST', '/api/v2/services', 'CreateService', { body: config('big_gpu', { metadata: { instance: 1, gpu: 16 } }) });
    clock.advance(2 * EAS_STEP_MS);
    expect((await describeService('big_gpu')).body).toMatchObject({ Status: 'Failed', Reason: 'RESOURCE_NOT_ENOUGH' });
  });

  it('refuses bad configs with 409 InvalidParameter and the EAS error fields, and unknown services with InvalidService.NotFound', async () => {
    const empty = await eas('POST', '/api/v2/services', 'CreateService', { body: JSON.stringify({ processor: 'x' }) });
    expect(empty).toMatchObject({ status: 409, body: { Code: 'InvalidParameter', Message: 'Service name is empty', HttpCode: 409, Success: false } });
    expect((await eas('POST', '/api/v2/services', 'CreateService', { body: config('Bad-Name') })).status).toBe(409);
    expect((await eas('POST', '/api/v2/services', 'CreateService', { body: config('qwen25_7b_chat') })).body.Message).toMatch(/already exists/);
    expect((await eas('GET', '/api/v2/services', 'ListServices', { query: { Order: 'DESC' } })).status).toBe(400);
    expect((await eas('GET', '/api/v2/services/cn-shanghai/qwen25_7b_chat', 'DescribeService')).body.Code).toBe('InvalidService.NotFound');
  });

  it('redacts a config’s token in the calls its control API shows', async () => {
    await eas('POST', '/api/v2/services', 'CreateService', { body: config('with_token', { token: 'fixed-token-0a1b2c3d4e5f' }) });
    const shown = await (await fetch(`${url}/__emulator/calls`)).text();
    expect(shown).toContain('"token\\":\\"[redacted]\\"');
    expect(shown).not.toContain('fixed-token-0a1b2c3d4e5f');
  });

  it('lists by label, status and fuzzy name, newest first, with PageSize up to 100', async () => {
    const byLabel = await eas('GET', '/api/v2/services', 'ListServices', { query: { Label: JSON.stringify({ team: 'search' }), ServiceStatus: 'Running' } });
    expect(byLabel.body.Services.map((s: any) => s.ServiceName)).toEqual(['qwen25_7b_canary', 'qwen25_7b_chat', 'support_chat_frontend', 'bge_large_embedding']);
    expect((await eas('GET', '/api/v2/services', 'ListServices', { query: { Filter: 'qwen', PageSize: '1', PageNumber: '2', Order: 'asc' } })).body).toMatchObject({ TotalCount: 2, Services: [{ ServiceName: 'qwen25_7b_canary' }] });
  });
});
