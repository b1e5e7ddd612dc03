import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { parseGatewayTokens } from '../../src/core/auth.js';
import { createMemoryReadCache } from '../../src/core/upstream/read-cache.js';
import { codeOf, manualClock, startHarness, type Harness } from '../helpers/harness.js';

/**
 * What eval tasks found, the judge's templates and single-trace evaluation (issue 16,
 * upstream-contract section 13), through the front door, counting upstream calls.
 */

const JUDGE_KEY = 'judge-key-3c1e9a7f5b2d4e6a8c0f1b3d5e7a9c2f';
const clock = manualClock('2026-06-01T12:00:00Z');
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ clock });
});
afterAll(() => h.close());
beforeEach(() => {
  clock.set('2026-06-01T12:00:00Z');
  h.emulator.faults.clear();
  h.resetUpstream();
  h.resetCalls();
});

const paramsOf = (call: { query: string }) => Object.fromEntries(new URLSearchParams(call.query));
const callsOf = (action: string) => h.emulator.calls.filter((c) => c.action === action);

/** A demo task with more results than one page, and its id. */
async function busyTask(): Promise<{ id: string; recordCount: number }> {
  const r = await h.gql(`{ evalTasks(first: 50) { nodes { id name recordCount } } }`);
  const task = r.body.data!.evalTasks.nodes.find((t: { name: string }) => t.name === 'support-bot-faithfulness-q1');
  expect(task.recordCount).toBeGreaterThan(10);
  h.resetCalls();
  return task;
}

const RESULTS = `query($id: ID!, $first: Int, $after: String) {
  evalTask(id: $id) {
    name
    results(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { evalAppType evalAppTypeRaw metrics { metric name label score reason } raw }
    }
  }
}`;

/** A record in the documented form (upstream-contract 13.2). */
const record = (score: number, reason = 'The answer matches the reference.') => ({
  result: {
    correctness: { label: 'correct', score, reason, name: 'correctness' },
    faithfulness: { label: 'true', score: 1, reason: 'Grounded in the context.', name: 'faithfulness' },
  },
  eval_app_type: 'qa',
});

describe('an evaluation task’s results', () => {
  it('results(first: 3) is one ListOnlineEvalTaskResults with the task id as EvaluationId and a page covering the window', async () => {
    const task = await busyTask();
    const r = await h.gql(RESULTS, { id: task.id, first: 3 });
    expect(r.body.errors).toBeUndefined();
    const results = r.body.data!.evalTask.results;
    expect(results.totalCount).toBe(task.recordCount);
    expect(results.pageInfo.hasNextPage).toBe(true);
    expect(results.nodes).toHaveLength(3);
    for (const node of results.nodes) {
      expect(node.evalAppType).toBe('RAG');
      expect(node.evalAppTypeRaw).toBe('rag');
      expect(node.metrics.map((m: { metric: string }) => m.metric)).toEqual(['relevance', 'faithfulness', 'correctness']);
      expect(node.raw).toMatchObject({ eval_app_type: 'rag', result: expect.any(Object) });
      for (const m of node.metrics) expect([0, 0.5, 1]).toContain(m.score);
    }
    // The task came from GetOnlineEvalTask for `evalTask`; the results need nothing more.
    expect(h.actions()).toEqual(['GetOnlineEvalTask', 'ListOnlineEvalTaskResults']);
    expect(paramsOf(callsOf('ListOnlineEvalTaskResults')[0]!)).toEqual({ EvaluationId: task.id, PageNumber: '1', PageSize: '3' });
  });

  it('paging with after gives the next results with one call each, and hasNextPage turns false at the end', async () => {
    const created = await h.gql(`mutation { createEvalTask(input: { name: "paging-results", appName: "pager", startTime: "2026-06-01T12:00:00Z", samplingFrequencyMinutes: 10, samplingRatio: 5, evaluationConfig: { answer: { spanName: "llm", jsonPathInSpan: "attributes.output.value" } } }) { evalTask { id } } }`);
    const id = created.body.data!.createEvalTask.evalTask.id;
    // Four ten-minute windows later, one sampled trace each: four results.
    clock.advance(45 * 60_000);
    const all = (await h.gql(RESULTS, { id, first: 4 })).body.data!.evalTask.results;
    expect(all.totalCount).toBe(4);
    h.resetCalls();

    const first = (await h.gql(RESULTS, { id, first: 3 })).body.data!.evalTask.results;
    expect(first.nodes.map((n: { raw: unknown }) => n.raw)).toEqual(all.nodes.slice(0, 3).map((n: { raw: unknown }) => n.raw));
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await h.gql(RESULTS, { id, first: 3, after: first.pageInfo.endCursor })).body.data!.evalTask.results;
    expect(second.nodes.map((n: { raw: unknown }) => n.raw)).toEqual(all.nodes.slice(3).map((n: { raw: unknown }) => n.raw));
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect(second.nodes[0].evalAppType).toBe('QA');

    expect(callsOf('ListOnlineEvalTaskResults').map(paramsOf)).toEqual([
      { EvaluationId: id, PageNumber: '1', PageSize: '3' },
      { EvaluationId: id, PageNumber: '2', PageSize: '3' },
    ]);
  });

  it('reads the results of listed tasks with one call per task and no GetOnlineEvalTask', async () => {
    const r = await h.gql(`{ evalTasks(first: 3) { nodes { id results(first: 2) { totalCount nodes { evalAppType } } } } }`);
    expect(r.body.errors).toBeUndefined();
    const ids = r.body.data!.evalTasks.nodes.map((n: { id: string }) => n.id);
    expect(h.actions()).toEqual(['ListOnlineEvalTasks', 'ListOnlineEvalTaskResults', 'ListOnlineEvalTaskResults', 'ListOnlineEvalTaskResults']);
    expect(callsOf('ListOnlineEvalTaskResults').map((c) => paramsOf(c).EvaluationId).sort()).toEqual([...ids].sort());
    expect(r.body.extensions!.cost).toMatchObject({ estimated: 4, actualUpstreamCalls: 4 });
  });

  it('reads both record forms, and a record that does not read fails that item, not the page', async () => {
    const task = await busyTask();
    const items = [
      JSON.stringify(record(1)),
      JSON.stringify([record(0.5)]),
      'not json {',
      JSON.stringify([record(1), record(0)]),
      JSON.stringify('a string, not a record'),
      JSON.stringify({ result: { correctness: 'correct' } }),
    ];
    h.emulator.faults.add({ action: 'ListOnlineEvalTaskResults', body: { EvaluationResults: items, TotalCount: 40, RequestId: 'REQ-RECORDS-1' }, times: 1 });
    const r = await h.gql(`query($id: ID!) { evalTask(id: $id) { name results(first: 6) { totalCount edges { cursor } nodes { metrics { metric score } } } } }`, { id: task.id });
    const results = r.body.data!.evalTask.results;
    expect(r.body.data!.evalTask.name).toBe('support-bot-faithfulness-q1');
    expect(results.totalCount).toBe(40);
    expect(results.edges).toHaveLength(6);
    expect(results.nodes).toEqual([
      { metrics: [{ metric: 'correctness', score: 1 }, { metric: 'faithfulness', score: 1 }] },
      { metrics: [{ metric: 'correctness', score: 0.5 }, { metric: 'faithfulness', score: 1 }] },
      null,
      null,
      null,
      null,
    ]);
    expect(r.body.errors!.map((e) => [e.path, e.extensions!.code, e.extensions!.upstream.requestId])).toEqual([2, 3, 4, 5].map((i) => [['evalTask', 'results', 'nodes', i], 'UPSTREAM_CONTRACT', 'REQ-RECORDS-1']));
    expect(r.body.errors!.map((e) => e.message)).toEqual([
      'PaiLLMTrace ListOnlineEvalTaskResults answered outside its contract: EvaluationResults[2] is not JSON',
      'PaiLLMTrace ListOnlineEvalTaskResults answered outside its contract: EvaluationResults[3] is an array of 2 records, not of one',
      'PaiLLMTrace ListOnlineEvalTaskResults answered outside its contract: EvaluationResults[4] is not a JSON object',
      expect.stringMatching(/^PaiLLMTrace ListOnlineEvalTaskResults answered outside its contract: EvaluationResults\[5\] field result\.correctness /),
    ]);
    expect(h.actions()).toEqual(['GetOnlineEvalTask', 'ListOnlineEvalTaskResults']);
  });

  it('returns the judge’s reason and labels as the exact text it wrote, markup and all', async () => {
    const task = await busyTask();
    const reason = '</think>\n<answer>{"score": 1}</answer> <script>alert("x")</script> & {{7*7}} ${env}';
    const item = { result: { correctness: { label: '正确', score: '0.5', reason, name: '正确性' }, relevance: { label: true, score: null } }, eval_app_type: 'EvalAppType.RAG', trace_id: 't-1' };
    h.emulator.faults.add({ action: 'ListOnlineEvalTaskResults', body: { EvaluationResults: [JSON.stringify(item)], TotalCount: 1, RequestId: 'REQ-REASON' }, times: 1 });
    const r = await h.gql(RESULTS, { id: task.id, first: 1 });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.evalTask.results.nodes).toEqual([
      {
        evalAppType: 'RAG',
        evalAppTypeRaw: 'EvalAppType.RAG',
        metrics: [
          { metric: 'correctness', name: '正确性', label: '正确', score: 0.5, reason },
          { metric: 'relevance', name: null, label: 'true', score: null, reason: null },
        ],
        raw: item,
      },
    ]);
  });

  it('an upstream error nulls only results and carries the RequestId', async () => {
    const task = await busyTask();
    h.emulator.faults.add({ action: 'ListOnlineEvalTaskResults', status: 500, times: 3 });
    const r = await h.gql(RESULTS, { id: task.id, first: 3 });
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({ evalTask: { name: 'support-bot-faithfulness-q1', results: null } });
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors![0]).toMatchObject({
      path: ['evalTask', 'results'],
      extensions: { code: 'UPSTREAM_ERROR', upstream: { product: 'PaiLLMTrace', action: 'ListOnlineEvalTaskResults', status: 500, requestId: expect.stringMatching(/^[0-9A-F-]{36}$/) } },
    });
  });

  it('an error PaiLLMTrace reports inside a 200 body nulls only results, with its RequestId', async () => {
    const task = await busyTask();
    h.emulator.faults.add({ action: 'ListOnlineEvalTaskResults', body: { RequestId: 'REQ-IN-BODY-RESULTS', Code: 'InternalError', Message: 'evaluation store unavailable' }, times: 1 });
    const r = await h.gql(RESULTS, { id: task.id, first: 3 });
    expect(r.body.data!.evalTask).toEqual({ name: 'support-bot-faithfulness-q1', results: null });
    expect(r.body.errors![0]!.extensions).toMatchObject({ upstream: { action: 'ListOnlineEvalTaskResults', code: 'InternalError', requestId: 'REQ-IN-BODY-RESULTS' } });
  });

  it.each([
    ['first', { first: 101 }, /first: must be between 0 and 100/],
    ['first', { first: -1 }, /first: must be between 0 and 100/],
    ['after', { first: 3, after: 'not-a-cursor!' }, /after: must be a cursor returned by this API/],
  ])('refuses a bad %s before any upstream call, naming it', async (field, args, rule) => {
    const r = await h.gql(RESULTS, { id: 'a2b62eef79216af85ddf84364d24a255', ...args });
    expect(r.status).toBe(400);
    expect(r.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field, coordinate: 'EvalTask.results' });
    expect(r.body.errors![0]!.message).toMatch(rule);
    expect(h.emulator.calls).toHaveLength(0);
  });

  it('refuses 100 tasks with 100 results each as too costly, before any call', async () => {
    const r = await h.gql(`{ evalTasks(first: 100) { nodes { results(first: 100) { totalCount } } } }`);
    expect(r.status).toBe(400);
    expect(codeOf(r)).toBe('OPERATION_TOO_COSTLY');
    expect(h.emulator.calls).toHaveLength(0);
  });
});

describe('evaluation templates', () => {
  it('evaluationTemplates is one GetEvaluationTemplates however often it is selected', async () => {
    const r = await h.gql(`{ a: evaluationTemplates { evalAppType evalAppTypeRaw templates { metric template } } b: evaluationTemplates { evalAppType } }`);
    expect(r.body.errors).toBeUndefined();
    const a = r.body.data!.a;
    expect(a.map((t: { evalAppType: string }) => t.evalAppType)).toEqual(['QA', 'RAG']);
    expect(a[1].templates.map((t: { metric: string }) => t.metric)).toEqual(['relevance', 'faithfulness', 'correctness']);
    expect(a[1].templates[0].template).toContain('{context}');
    expect(r.body.data!.b).toEqual([{ evalAppType: 'QA' }, { evalAppType: 'RAG' }]);
    expect(h.actions()).toEqual(['GetEvaluationTemplates']);
    expect(h.emulator.calls[0]).toMatchObject({ method: 'GET', path: '/api/v1/PAILLMTrace/eval/templates', query: '', body: '' });
    expect(r.body.extensions!.cost).toMatchObject({ estimated: 1, actualUpstreamCalls: 1 });
  });

  it('reads a template set sent as a JSON string, and EvalAppType.RAG as RAG', async () => {
    const set = { eval_app_type: 'EvalAppType.RAG', templates: [{ metric: 'relevance', template: 'Judge {query}' }] };
    h.emulator.faults.add({ action: 'GetEvaluationTemplates', body: { EvaluationTemplates: [JSON.stringify(set), { eval_app_type: 'summary', templates: null }], RequestId: 'REQ-TPL' }, times: 1 });
    const r = await h.gql(`{ evaluationTemplates { evalAppType evalAppTypeRaw templates { metric template } } }`);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.evaluationTemplates).toEqual([
      { evalAppType: 'RAG', evalAppTypeRaw: 'EvalAppType.RAG', templates: [{ metric: 'relevance', template: 'Judge {query}' }] },
      { evalAppType: null, evalAppTypeRaw: 'summary', templates: [] },
    ]);
  });

  it('a templates answer outside the contract nulls only evaluationTemplates', async () => {
    h.emulator.faults.add({ action: 'GetEvaluationTemplates', body: { EvaluationTemplates: [42], RequestId: 'REQ-TPL-BAD' }, times: 1 });
    const r = await h.gql(`{ evaluationTemplates { evalAppType } evalTasks(first: 1) { totalCount } }`);
    expect(r.body.data!.evaluationTemplates).toBeNull();
    expect(r.body.data!.evalTasks.totalCount).toBeGreaterThan(0);
    expect(r.body.errors![0]).toMatchObject({ path: ['evaluationTemplates'], extensions: { code: 'UPSTREAM_CONTRACT', upstream: { action: 'GetEvaluationTemplates', requestId: 'REQ-TPL-BAD' } } });
  });
});

const EVALUATE = `mutation($input: EvaluateTraceInput!) { evaluateTrace(input: $input) { evaluationId } }`;
const CONFIG = {
  query: { spanName: 'retrieve', jsonPathInSpan: 'attributes.input.value' },
  answer: { spanName: 'llm', jsonPathInSpan: 'attributes.output.value', jsonPathInSpanValue: 'message/content' },
  context: { spanName: 'retrieve', jsonPathInSpan: 'attributes.retrieval.documents[*].document.content' },
};
const TRACE_RESULTS = `query($id: ID!, $first: Int, $after: String, $traceIds: [ID!], $keyword: String) {
  traceEvaluation(evaluationId: $id) {
    evaluationId
    results(first: $first, after: $after, traceIds: $traceIds, keyword: $keyword) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { evalAppType metrics { metric label score } raw }
    }
  }
}`;

describe('evaluateTrace and traceEvaluation', () => {
  it('sends one PUT with the SDK’s body keys and PaiLLMTrace times, and returns the evaluation id', async () => {
    const r = await h.gql(EVALUATE, {
      input: {
        traceId: 'f0e1d2c3b4a5968778695a4b3c2d1e0f',
        appName: 'support-bot',
        minTime: '2026-06-01T19:00:00+08:00',
        maxTime: '2026-06-01T12:30:00Z',
        evaluationId: 'eval-adhoc-0001',
        evaluationConfig: CONFIG,
        modelConfig: { name: 'qwen-max', endpoint: 'https://dashscope.aliyuncs.com/compatible-mode/v1', apiKey: JUDGE_KEY, isSelfHost: false, temperature: 0.2, topP: 0.9, useFunctionCall: false },
      },
    });
    expect(r.result).toEqual({ data: { evaluateTrace: { evaluationId: 'eval-adhoc-0001' } } });
    expect(h.actions()).toEqual(['EvaluateTrace']);
    const call = h.emulator.calls[0]!;
    expect(call).toMatchObject({ method: 'PUT', path: '/api/v1/PAILLMTrace/eval/trace/f0e1d2c3b4a5968778695a4b3c2d1e0f', query: '' });
    expect(call.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = JSON.parse(call.body) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['AppName', 'EvaluationConfig', 'EvaluationId', 'MaxTime', 'MinTime', 'ModelConfig']);
    expect(body).toEqual({
      AppName: 'support-bot',
      EvaluationConfig: {
        Answer: { JsonPathInSpan: 'attributes.output.value', JsonPathInSpanValue: 'message/content', SpanName: 'llm' },
        Context: { JsonPathInSpan: 'attributes.retrieval.documents[*].document.content', SpanName: 'retrieve' },
        Query: { JsonPathInSpan: 'attributes.input.value', SpanName: 'retrieve' },
      },
      EvaluationId: 'eval-adhoc-0001',
      MaxTime: '2026-06-01 12:30:00',
      MinTime: '2026-06-01 11:00:00',
      ModelConfig: { ApiKey: JUDGE_KEY, Endpoint: 'https://dashscope.aliyuncs.com/compatible-mode/v1', IsSelfHost: false, Name: 'qwen-max', Temperature: 0.2, TopP: 0.9, UseFunctionCall: false },
    });
  });

  it('sends only what was given; PAI makes the evaluation id, and the result is readable through traceEvaluation', async () => {
    const r = await h.gql(EVALUATE, { input: { traceId: 'trace-only-answer-1', evaluationConfig: { answer: CONFIG.answer } } });
    expect(r.body.errors).toBeUndefined();
    const id = r.body.data!.evaluateTrace.evaluationId as string;
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.parse(h.emulator.calls[0]!.body)).toEqual({ EvaluationConfig: { Answer: { JsonPathInSpan: 'attributes.output.value', JsonPathInSpanValue: 'message/content', SpanName: 'llm' } } });
    h.resetCalls();

    const read = await h.gql(TRACE_RESULTS, { id, first: 5 });
    expect(read.body.errors).toBeUndefined();
    const evaluation = read.body.data!.traceEvaluation;
    expect(evaluation.evaluationId).toBe(id);
    expect(evaluation.results.totalCount).toBe(1);
    expect(evaluation.results.nodes[0]).toMatchObject({ evalAppType: 'QA', metrics: [{ metric: 'correctness' }, { metric: 'faithfulness' }] });
    // ListEvalResults sends one-element arrays: raw is the record inside.
    expect(evaluation.results.nodes[0].raw).toMatchObject({ eval_app_type: 'qa', result: { correctness: expect.any(Object) } });
    expect(h.actions()).toEqual(['ListEvalResults']);
    expect(paramsOf(h.emulator.calls[0]!)).toEqual({ EvaluationId: id, PageNumber: '1', PageSize: '5' });
  });

  it('traceEvaluation costs no call until its results are read', async () => {
    const r = await h.gql(`{ traceEvaluation(evaluationId: "eval-without-reading") { evaluationId } }`);
    expect(r.result).toEqual({ data: { traceEvaluation: { evaluationId: 'eval-without-reading' } } });
    expect(h.emulator.calls).toHaveLength(0);
  });

  it('filters results by trace ids, sent as one comma-joined RecordIds, and by keyword, paging with after', async () => {
    const evaluationId = 'eval-filters-0001';
    for (const [traceId, appName] of [['trace-a', 'billing-bot'], ['trace-b', 'search-bot'], ['trace-c', 'billing-bot']]) {
      const r = await h.gql(EVALUATE, { input: { traceId, appName, evaluationId, evaluationConfig: CONFIG } });
      expect(r.body.errors).toBeUndefined();
    }
    h.resetCalls();

    const some = await h.gql(TRACE_RESULTS, { id: evaluationId, first: 1, traceIds: ['trace-a', 'trace-c'] });
    expect(some.body.data!.traceEvaluation.results).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true } });
    const next = await h.gql(TRACE_RESULTS, { id: evaluationId, first: 1, traceIds: ['trace-a', 'trace-c'], after: some.body.data!.traceEvaluation.results.pageInfo.endCursor });
    expect(next.body.data!.traceEvaluation.results).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: false } });
    expect(next.body.data!.traceEvaluation.results.nodes[0].evalAppType).toBe('RAG');
    const search = await h.gql(TRACE_RESULTS, { id: evaluationId, keyword: 'search-bot' });
    expect(search.body.data!.traceEvaluation.results.totalCount).toBe(1);
    const all = await h.gql(TRACE_RESULTS, { id: evaluationId, traceIds: [], keyword: '  ' });
    expect(all.body.data!.traceEvaluation.results.totalCount).toBe(3);

    expect(h.emulator.calls.map(paramsOf)).toEqual([
      { EvaluationId: evaluationId, RecordIds: 'trace-a,trace-c', PageNumber: '1', PageSize: '1' },
      { EvaluationId: evaluationId, RecordIds: 'trace-a,trace-c', PageNumber: '2', PageSize: '1' },
      { EvaluationId: evaluationId, Keyword: 'search-bot', PageNumber: '1', PageSize: '10' },
      { EvaluationId: evaluationId, PageNumber: '1', PageSize: '10' },
    ]);
    expect(h.emulator.calls[0]!.query).toContain('RecordIds=trace-a%2Ctrace-c');
  });

  it('an upstream error nulls only the results, with the RequestId', async () => {
    h.emulator.faults.add({ action: 'ListEvalResults', body: { RequestId: 'REQ-EVAL-RESULTS', Code: 'InternalError', Message: 'try later' }, times: 1 });
    const r = await h.gql(TRACE_RESULTS, { id: 'eval-broken' });
    expect(r.body.data).toEqual({ traceEvaluation: { evaluationId: 'eval-broken', results: null } });
    expect(r.body.errors![0]).toMatchObject({ path: ['traceEvaluation', 'results'], extensions: { upstream: { action: 'ListEvalResults', requestId: 'REQ-EVAL-RESULTS' } } });
  });
});

describe('invalid evaluation input is refused before any upstream call, naming the field', () => {
  const input = { traceId: 'trace-ok-1', evaluationConfig: { answer: CONFIG.answer } };
  const cases: [string, string, Record<string, unknown>, RegExp][] = [
    ['input.traceId', 'a trace id of ..', { ...input, traceId: '..' }, /must not be "\." or "\.\."/],
    ['input.traceId', 'a trace id of .', { ...input, traceId: '.' }, /must not be "\." or "\.\."/],
    ['input.traceId', 'a trace id holding /', { ...input, traceId: 'a/b' }, /must not contain "\/"/],
    ['input.traceId', 'a trace id holding a comma', { ...input, traceId: 'a,b' }, /must not contain ","/],
    ['input.traceId', 'an empty trace id', { ...input, traceId: '  ' }, /must be a non-empty trace id/],
    ['input.evaluationId', 'an evaluation id of ..', { ...input, evaluationId: '..' }, /must not be "\." or "\.\."/],
    ['input.evaluationId', 'an evaluation id holding a backslash', { ...input, evaluationId: 'a\\b' }, /must not contain/],
    ['input.maxTime', 'a window that ends before it starts', { ...input, minTime: '2026-06-02T00:00:00Z', maxTime: '2026-06-01T00:00:00Z' }, /must not be before minTime/],
    ['input.evaluationConfig', 'an evaluation config without a part', { ...input, evaluationConfig: {} }, /at least one of query, answer and context/],
    ['input.evaluationConfig.answer.jsonPathInSpan', 'an empty JSON path', { ...input, evaluationConfig: { answer: { spanName: 'llm', jsonPathInSpan: '' } } }, /must not be empty/],
    ['input.modelConfig.temperature', 'a judge temperature above 0.2', { ...input, modelConfig: { temperature: 0.5 } }, /between 0 and 0.2/],
    ['input.modelConfig.endpoint', 'an endpoint that is not a URL', { ...input, modelConfig: { endpoint: 'judge.internal' } }, /http\(s\) URL/],
    ['input.appName', 'an empty application name', { ...input, appName: '' }, /must not be empty/],
  ];

  it.each(cases)('%s: %s', async (field, _title, bad, rule) => {
    const r = await h.gql(EVALUATE, { input: bad });
    expect(r.body.data).toEqual({ evaluateTrace: null });
    expect(r.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(r.body.errors![0]!.message).toMatch(rule);
    expect(h.emulator.calls).toHaveLength(0);
  });

  it('a time that is not ISO 8601 is refused by the DateTime scalar', async () => {
    const r = await h.gql(EVALUATE, { input: { ...input, minTime: '2026-06-01 11:00:00' } });
    expect(r.status).toBe(400);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.body.errors![0]!.message).toContain('input.minTime');
    expect(h.emulator.calls).toHaveLength(0);
  });

  it('traceEvaluation with a bad evaluation id reads null with BAD_USER_INPUT naming evaluationId', async () => {
    const r = await h.gql(TRACE_RESULTS, { id: '..' });
    expect(r.body.data).toEqual({ traceEvaluation: null });
    expect(r.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'evaluationId' });
    expect(h.emulator.calls).toHaveLength(0);
  });

  it.each([
    ['traceIds[1]', { traceIds: ['ok', 'a,b'] }, /must not contain ","/],
    ['traceIds[0]', { traceIds: ['..'] }, /must not be "\." or "\.\."/],
    ['keyword', { keyword: 'k'.repeat(257) }, /at most 256 characters/],
    ['first', { first: 500 }, /between 0 and 100/],
    ['after', { after: 'bogus*' }, /cursor returned by this API/],
  ])('TraceEvaluation.results refuses a bad %s before any call', async (field, args, rule) => {
    const r = await h.gql(TRACE_RESULTS, { id: 'eval-ok', ...args });
    expect(r.status).toBe(400);
    expect(r.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field, coordinate: 'TraceEvaluation.results' });
    expect(r.body.errors![0]!.message).toMatch(rule);
    expect(h.emulator.calls).toHaveLength(0);
  });
});

describe('the judge’s API key in evaluateTrace is write-only', () => {
  it('reaches PAI only: never a response, an error (even one PAI wrote quoting it) or a log line', async () => {
    const ok = await h.gql(EVALUATE, { input: { traceId: 'trace-key-1', evaluationConfig: CONFIG, modelConfig: { name: 'qwen-max', apiKey: JUDGE_KEY } } });
    expect(ok.body.errors).toBeUndefined();
    expect(JSON.parse(callsOf('EvaluateTrace')[0]!.body).ModelConfig.ApiKey).toBe(JUDGE_KEY);

    h.emulator.faults.add({ action: 'EvaluateTrace', status: 400, code: 'InvalidInputParams', message: `eval_request {"ModelConfig":{"ApiKey":"${JUDGE_KEY}"}} was refused by the model endpoint`, times: 1 });
    const echoed = await h.gql(EVALUATE, { input: { traceId: 'trace-key-2', evaluationConfig: CONFIG, modelConfig: { apiKey: JUDGE_KEY } } });
    expect(echoed.body.errors![0]!.message).toBe('PaiLLMTrace rejected EvaluateTrace: eval_request {"ModelConfig":{"ApiKey":"[redacted]"}} was refused by the model endpoint');
    expect(echoed.body.errors![0]!.extensions).toMatchObject({ upstream: { action: 'EvaluateTrace', code: 'InvalidInputParams', requestId: expect.any(String) } });

    // Refused input (another field, or the key itself) and GraphQL's own variable errors.
    await h.gql(EVALUATE, { input: { traceId: '..', evaluationConfig: CONFIG, modelConfig: { apiKey: JUDGE_KEY } } });
    const badKey = await h.gql(EVALUATE, { input: { traceId: 'trace-key-3', evaluationConfig: CONFIG, modelConfig: { apiKey: `${JUDGE_KEY} with spaces` } } });
    expect(badKey.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.modelConfig.apiKey' });
    await h.gql(EVALUATE, { input: { traceId: 'trace-key-4', evaluationConfig: CONFIG, modelConfig: { apiKey: JUDGE_KEY, temperature: 'hot' } } });
    await h.gql(`mutation { evaluateTrace(input: { traceId: "..", evaluationConfig: { answer: { spanName: "llm", jsonPathInSpan: "x" } }, modelConfig: { apiKey: "${JUDGE_KEY}" } }) { evaluationId } }`);

    const control = await (await fetch(`${h.emulator.url}/__emulator/calls`)).text();
    const everything = [...h.responses, ...h.logs, control];
    for (const key of [JUDGE_KEY, encodeURIComponent(JUDGE_KEY), Buffer.from(JUDGE_KEY).toString('base64')]) {
      expect(everything.filter((line) => line.includes(key))).toEqual([]);
    }
  });
});

describe('who may evaluate', () => {
  const READER = 'results-reader-token-5a6b7c8d9e';
  const WRITER = 'results-writer-token-0f1e2d3c4b';
  let g: Harness;
  beforeAll(async () => {
    g = await startHarness({ callers: { tokens: parseGatewayTokens(`reader:${READER}:read;writer:${WRITER}:read,write`), allowAnonymous: false } });
  });
  afterAll(() => g.close());

  it('a read-only caller may read results and templates but not evaluateTrace: FORBIDDEN, no upstream call', async () => {
    const refused = await g.gql(EVALUATE, { input: { traceId: 'trace-forbidden', evaluationConfig: CONFIG } }, { authorization: `Bearer ${READER}` });
    expect(refused.status).toBe(403);
    expect(codeOf(refused)).toBe('FORBIDDEN');
    expect(g.emulator.calls).toHaveLength(0);

    const read = await g.gql(`{ evaluationTemplates { evalAppType } traceEvaluation(evaluationId: "nothing-yet") { results { totalCount } } }`, {}, { authorization: `Bearer ${READER}` });
    expect(read.result).toEqual({ data: { evaluationTemplates: [{ evalAppType: 'QA' }, { evalAppType: 'RAG' }], traceEvaluation: { results: { totalCount: 0 } } } });

    const written = await g.gql(EVALUATE, { input: { traceId: 'trace-allowed', evaluationConfig: CONFIG } }, { authorization: `Bearer ${WRITER}` });
    expect(written.body.errors).toBeUndefined();
  });
});

describe('with the read cache on', () => {
  const now = 0;
  let c: Harness;
  beforeAll(async () => {
    c = await startHarness({ cache: { ttls: 'GetEvaluationTemplates=3600,ListEvalResults=60', store: createMemoryReadCache({ maxEntries: 100, now: () => now }) } });
  });
  afterAll(() => c.close());

  it('templates are asked for once across operations and callers', async () => {
    const first = await c.gql(`{ evaluationTemplates { evalAppType } }`);
    const second = await c.gql(`{ evaluationTemplates { templates { metric } } }`);
    expect(second.body.errors).toBeUndefined();
    expect(second.body.extensions!.cost.actualUpstreamCalls).toBe(0);
    expect(first.body.data!.evaluationTemplates).toHaveLength(2);
    expect(c.actions()).toEqual(['GetEvaluationTemplates']);
  });

  it('evaluateTrace drops the cached ListEvalResults, so its result shows at once', async () => {
    const evaluationId = 'eval-cache-0001';
    const evaluate = (traceId: string) => c.gql(EVALUATE, { input: { traceId, evaluationId, evaluationConfig: CONFIG } });
    const total = async () => (await c.gql(TRACE_RESULTS, { id: evaluationId })).body.data!.traceEvaluation.results.totalCount;
    expect((await evaluate('trace-cache-1')).body.errors).toBeUndefined();
    c.resetCalls();
    expect(await total()).toBe(1);
    expect(await total()).toBe(1);
    expect(c.actions()).toEqual(['ListEvalResults']);
    expect((await evaluate('trace-cache-2')).body.errors).toBeUndefined();
    expect(await total()).toBe(2);
    expect(c.actions()).toEqual(['ListEvalResults', 'EvaluateTrace', 'ListEvalResults']);
  });
});
