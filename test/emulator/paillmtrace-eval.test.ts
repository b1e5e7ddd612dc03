import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Secret } from '../../src/core/secret.js';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';

/** The emulator as PaiLLMTrace's results, templates and EvaluateTrace (upstream-contract section 13). */

const KEY = 'sk-emulator-eval-test-445566778899';
const JUDGE_KEY = 'judge-key-emulator-0f9e8d7c6b5a';
let emu: Emulator;
let url: string;

beforeAll(async () => {
  emu = createEmulator({ apiKey: new Secret(KEY) });
  url = await emu.listen();
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

async function call(method: string, path: string, opts: { action: string; body?: unknown; query?: Record<string, string> }) {
  const headers: Record<string, string> = { 'x-acs-version': '2024-03-11', 'x-acs-action': opts.action, authorization: `Bearer ${KEY}` };
  if (opts.body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
  const qs = opts.query ? `?${new URLSearchParams(opts.query).toString()}` : '';
  const res = await fetch(`${url}${path}${qs}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

const taskResults = (query: Record<string, string>) => call('GET', '/api/v1/PAILLMTrace/onlineevaltaskresults', { action: 'ListOnlineEvalTaskResults', query });
const evalResults = (query: Record<string, string>) => call('GET', '/api/v1/PAILLMTrace/eval/results', { action: 'ListEvalResults', query });
const evaluate = (traceId: string, body: unknown, query?: Record<string, string>) =>
  call('PUT', `/api/v1/PAILLMTrace/eval/trace/${encodeURIComponent(traceId)}`, { action: 'EvaluateTrace', body, ...(query ? { query } : {}) });
const ANSWER = { Answer: { SpanName: 'llm', JsonPathInSpan: 'attributes.output.value' } };

describe('the emulator as PaiLLMTrace results and single-trace evaluation', () => {
  it('serves a task’s RecordCount results as JSON record strings, and finds one by its trace id', async () => {
    const tasks = await call('GET', '/api/v1/PAILLMTrace/onlineevaltasks', { action: 'ListOnlineEvalTasks', query: { PageSize: '50' } });
    const task = tasks.body.Tasks.find((t: { RecordCount: number }) => t.RecordCount > 5);
    const page = await taskResults({ EvaluationId: task.Id, PageNumber: '2', PageSize: '3' });
    expect(page.status).toBe(200);
    expect(page.body.TotalCount).toBe(task.RecordCount);
    expect(page.body.EvaluationResults).toHaveLength(3);
    for (const item of page.body.EvaluationResults) {
      expect(typeof item).toBe('string');
      expect(JSON.parse(item)).toMatchObject({ eval_app_type: expect.stringMatching(/^(qa|rag)$/), result: expect.any(Object) });
    }
    // The same page reads the same.
    expect((await taskResults({ EvaluationId: task.Id, PageNumber: '2', PageSize: '3' })).body.EvaluationResults).toEqual(page.body.EvaluationResults);
    // A trace id of a task's result is its id's first half and the index.
    const traceId = `${task.Id.slice(0, 16)}${(0).toString(16).padStart(16, '0')}`;
    const byTrace = await taskResults({ TraceIds: `${traceId},not-a-trace`, MostRecentResultsOnly: 'true' });
    expect(byTrace.body.TotalCount).toBe(1);
  });

  it('answers ListOnlineEvalTaskResults without EvaluationId or TraceIds, or with a bad page, as the service does', async () => {
    expect((await taskResults({})).body).toMatchObject({ Code: 'InvalidInputParams', Message: 'must provide trace_id(s) or eval_id' });
    expect((await taskResults({ EvaluationId: 'x', PageNumber: '0' })).body.Message).toBe('page number should be greater than 0');
    expect((await taskResults({ EvaluationId: 'x', PageSize: '51' })).status).toBe(400);
    expect((await taskResults({ EvaluationId: 'no-such-task' })).body).toMatchObject({ EvaluationResults: [], TotalCount: 0 });
  });

  it('EvaluateTrace takes a JSON body with only the SDK’s keys, either time form and a Temperature of at most 0.2', async () => {
    const ok = await evaluate('trace 1', { AppName: 'billing-bot', EvaluationConfig: ANSWER, MinTime: '2026-06-01', MaxTime: '2026-06-01 12:00:00', ModelConfig: { ApiKey: JUDGE_KEY, Temperature: 0.2 } });
    expect(ok.status).toBe(200);
    expect(ok.body.EvaluationId).toMatch(/^[0-9a-f]{32}$/);
    const refusals = await Promise.all([
      evaluate('t', { EvaluationConfig: ANSWER, TaskName: 'not an EvaluateTrace key' }),
      evaluate('t', {}),
      evaluate('t', { EvaluationConfig: {} }),
      evaluate('t', { EvaluationConfig: ANSWER, MinTime: '2026-06-01T00:00:00Z' }),
      evaluate('t', { EvaluationConfig: ANSWER, MinTime: '2026-06-02', MaxTime: '2026-06-01' }),
      evaluate('t', { EvaluationConfig: ANSWER, ModelConfig: { Temperature: 0.7 } }),
      evaluate('t', { EvaluationConfig: ANSWER }, { body: '{}' }),
    ]);
    expect(refusals.map((r) => [r.status, r.body.Code])).toEqual(refusals.map(() => [400, 'InvalidInputParams']));
    expect(refusals.map((r) => r.body.Message)).toEqual([
      'unknown parameter TaskName',
      'EvaluationConfig is required.',
      'EvaluationConfig is required.',
      'MinTime must be a UTC time in YYYY-MM-DD HH:mm:ss format',
      'MaxTime must not be before MinTime',
      'ModelConfig.Temperature must be between 0 and 0.2',
      'the evaluation goes in the JSON request body, not in a body query parameter',
    ]);
  });

  it('lists an evaluation’s results at once as one-element arrays, filtered by RecordIds and Keyword', async () => {
    for (const [trace, app] of [['t-1', 'billing-bot'], ['t-2', 'search-bot'], ['t-3', 'billing-bot']]) {
      expect((await evaluate(trace!, { AppName: app, EvaluationId: 'ev-1', EvaluationConfig: { ...ANSWER, Context: { SpanName: 'r', JsonPathInSpan: 'docs' } } })).body.EvaluationId).toBe('ev-1');
    }
    const all = await evalResults({ EvaluationId: 'ev-1' });
    expect(all.body.TotalCount).toBe(3);
    const records = all.body.EvaluationResults.map((s: string) => JSON.parse(s));
    expect(records.every((r: unknown[]) => Array.isArray(r) && r.length === 1)).toBe(true);
    expect(records[0][0]).toMatchObject({ eval_app_type: 'rag', result: { relevance: expect.any(Object), faithfulness: expect.any(Object), correctness: expect.any(Object) } });
    expect((await evalResults({ EvaluationId: 'ev-1', RecordIds: 't-1,t-3' })).body.TotalCount).toBe(2);
    expect((await evalResults({ RecordIds: 't-2' })).body.TotalCount).toBe(1);
    expect((await evalResults({ EvaluationId: 'ev-1', Keyword: 'SEARCH-bot' })).body.TotalCount).toBe(1);
    expect((await evalResults({})).body.Message).toBe('must provide record id(s) or eval_id');
    // Evaluating a trace again replaces its result.
    await evaluate('t-1', { EvaluationId: 'ev-1', EvaluationConfig: ANSWER });
    expect((await evalResults({ EvaluationId: 'ev-1' })).body.TotalCount).toBe(3);
  });

  it('serves qa and rag templates as objects', async () => {
    const r = await call('GET', '/api/v1/PAILLMTrace/eval/templates', { action: 'GetEvaluationTemplates' });
    expect(r.body.EvaluationTemplates.map((t: { eval_app_type: string; templates: { metric: string }[] }) => [t.eval_app_type, t.templates.map((x) => x.metric)])).toEqual([
      ['qa', ['correctness', 'faithfulness']],
      ['rag', ['relevance', 'faithfulness', 'correctness']],
    ]);
  });

  it('keeps no judge key, and its control API blanks the one an EvaluateTrace body carried', async () => {
    await evaluate('t-key', { EvaluationConfig: ANSWER, ModelConfig: { ApiKey: JUDGE_KEY } });
    expect(JSON.stringify((await evalResults({ RecordIds: 't-key' })).body)).not.toContain(JUDGE_KEY);
    const control = await (await fetch(`${url}/__emulator/calls`)).text();
    expect(control).toContain('EvaluateTrace');
    expect(control).not.toContain(JUDGE_KEY);
  });
});
