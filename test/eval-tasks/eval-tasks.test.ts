import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { codeOf, manualClock, startHarness, type Harness } from '../helpers/harness.js';

const JUDGE_KEY = 'judge-key-7f3a9c1e5b2d4f6a8c0e1b3d5f7a9c2e';
const DEMO_JUDGE_KEY = 'demo-judge-key-not-a-real-credential';
const clock = manualClock('2026-06-01T12:00:00Z');
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ clock });
});
afterAll(() => h.close());
beforeEach(() => {
  h.resetCalls();
  h.emulator.faults.clear();
  clock.set('2026-06-01T12:00:00Z');
});

const TASK_FIELDS = `id name description appName status createdAt startTime endTime lastSamplingWindowStartTime lastSamplingWindowEndTime
  samplingFrequencyMinutes samplingRatio recordCount filters { key operator value }
  evaluationConfig { query { spanName jsonPathInSpan jsonPathInSpanValue } answer { spanName jsonPathInSpan jsonPathInSpanValue } context { spanName } }
  modelConfig { name endpoint isSelfHost temperature topP useFunctionCall hasApiKey }`;

const CREATE = `mutation($input: CreateEvalTaskInput!) { createEvalTask(input: $input) { evalTask { ${TASK_FIELDS} } } }`;

const INPUT = {
  name: 'my-llm-app-eval-task-1',
  appName: 'my-best-llm-app',
  description: 'April to June data assessment',
  startTime: '2026-06-01T12:00:00Z',
  endTime: '2026-06-05T14:00:01Z',
  samplingFrequencyMinutes: 9,
  samplingRatio: 50,
  filters: [{ key: 'SERVICE_ID', operator: 'EQUALS', value: 'foo' }],
  evaluationConfig: {
    query: { spanName: 'retrieve', jsonPathInSpan: 'attributes.input.value' },
    answer: { spanName: 'llm', jsonPathInSpan: 'attributes.output.value', jsonPathInSpanValue: 'message/value' },
  },
  modelConfig: { name: 'qwen-max', endpoint: 'https://dashscope.aliyuncs.com/compatible-mode/v1', apiKey: JUDGE_KEY, temperature: 0.2, topP: 0.9, isSelfHost: false, useFunctionCall: false },
};

async function create(input: Record<string, unknown> = INPUT): Promise<any> {
  const r = await h.gql(CREATE, { input });
  expect(r.body.errors).toBeUndefined();
  return r.body.data!.createEvalTask.evalTask;
}

describe('evaluation task mutations', () => {
  it('createEvalTask sends the task as JSON in the body query parameter of a POST without a body', async () => {
    const task = await create();
    expect(task).toMatchObject({
      name: 'my-llm-app-eval-task-1',
      appName: 'my-best-llm-app',
      status: 'CREATED',
      createdAt: '2026-06-01T12:00:00.000Z',
      startTime: '2026-06-01T12:00:00.000Z',
      endTime: '2026-06-05T14:00:01.000Z',
      samplingFrequencyMinutes: 9,
      samplingRatio: 50,
      recordCount: 0,
      filters: [{ key: 'SERVICE_ID', operator: 'EQUALS', value: 'foo' }],
      evaluationConfig: { answer: { spanName: 'llm', jsonPathInSpan: 'attributes.output.value', jsonPathInSpanValue: 'message/value' }, context: null },
      modelConfig: { name: 'qwen-max', temperature: 0.2, topP: 0.9, hasApiKey: true },
    });
    expect(h.actions()).toEqual(['CreateOnlineEvalTask', 'GetOnlineEvalTask']);
    const call = h.emulator.calls[0]!;
    expect(call).toMatchObject({ method: 'POST', path: '/api/v1/PAILLMTrace/onlineevaltasks', body: '' });
    expect(call.headers['content-type']).toBeUndefined();
    expect(call.headers['x-acs-version']).toBe('2024-03-11');
    const params = new URLSearchParams(call.query);
    expect([...params.keys()]).toEqual(['body']);
    expect(JSON.parse(params.get('body')!)).toEqual({
      TaskName: 'my-llm-app-eval-task-1',
      Description: 'April to June data assessment',
      AppName: 'my-best-llm-app',
      StartTime: '2026-06-01 12:00:00',
      EndTime: '2026-06-05 14:00:01',
      SamplingFrequencyMinutes: 9,
      SamplingRatio: 50,
      Filters: [{ Key: 'ServiceId', Operator: '=', Value: 'foo' }],
      EvaluationConfig: {
        Query: { SpanName: 'retrieve', JsonPathInSpan: 'attributes.input.value' },
        Answer: { SpanName: 'llm', JsonPathInSpan: 'attributes.output.value', JsonPathInSpanValue: 'message/value' },
      },
      ModelConfig: { Name: 'qwen-max', Endpoint: 'https://dashscope.aliyuncs.com/compatible-mode/v1', ApiKey: JUDGE_KEY, IsSelfHost: false, Temperature: 0.2, TopP: 0.9, UseFunctionCall: false },
    });
  });

  it('moves CREATED -> RUNNING -> FINISHED with the clock, counting records and sampling windows', async () => {
    const { id } = await create();
    const read = async () => (await h.gql(`query($id: ID!) { evalTask(id: $id) { status recordCount lastSamplingWindowStartTime lastSamplingWindowEndTime } }`, { id })).body.data!.evalTask;
    expect(await read()).toEqual({ status: 'CREATED', recordCount: 0, lastSamplingWindowStartTime: null, lastSamplingWindowEndTime: null });
    clock.set('2026-06-01T12:30:00Z');
    expect(await read()).toEqual({ status: 'RUNNING', recordCount: 30, lastSamplingWindowStartTime: '2026-06-01T12:18:00.000Z', lastSamplingWindowEndTime: '2026-06-01T12:27:00.000Z' });
    clock.set('2026-06-06T00:00:00Z');
    expect((await read()).status).toBe('FINISHED');
  });

  it('updateEvalTask sends a JSON body with PaiLLMTrace times; stopEvalTask cancels; a stopped task cannot be modified', async () => {
    const { id } = await create();
    h.resetCalls();
    const update = await h.gql(`mutation($input: UpdateEvalTaskInput!) { updateEvalTask(input: $input) { evalTask { name samplingRatio endTime modelConfig { hasApiKey } } } }`, {
      input: { id, name: 'renamed', samplingRatio: 80, endTime: '2026-07-01T00:00:00Z', modelConfig: { apiKey: `${JUDGE_KEY}-rotated` } },
    });
    expect(update.body.errors).toBeUndefined();
    expect(update.body.data!.updateEvalTask.evalTask).toEqual({ name: 'renamed', samplingRatio: 80, endTime: '2026-07-01T00:00:00.000Z', modelConfig: { hasApiKey: true } });
    const call = h.emulator.calls[0]!;
    expect(call).toMatchObject({ method: 'PUT', path: `/api/v1/PAILLMTrace/onlineevaltasks/${id}`, query: '' });
    expect(call.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(call.body)).toEqual({ TaskName: 'renamed', EndTime: '2026-07-01 00:00:00', SamplingRatio: 80, ModelConfig: { ApiKey: `${JUDGE_KEY}-rotated` } });

    clock.advance(60_000);
    h.resetCalls();
    const stop = await h.gql(`mutation($id: ID!) { stopEvalTask(input: { id: $id }) { evalTask { id status } } }`, { id });
    expect(stop.body.data!.stopEvalTask.evalTask).toEqual({ id, status: 'USER_CANCELED' });
    expect(h.emulator.calls.map((c) => [c.method, c.path, c.body])).toEqual([
      ['PUT', `/api/v1/PAILLMTrace/onlineevaltasks/${id}/stop`, ''],
      ['GET', `/api/v1/PAILLMTrace/onlineevaltasks/${id}`, ''],
    ]);

    const again = await h.gql(`mutation($id: ID!) { updateEvalTask(input: { id: $id, name: "too late" }) { evalTask { id } } }`, { id });
    expect(again.body.errors![0]!.message).toBe('PaiLLMTrace rejected UpdateOnlineEvalTask: cannot modify a stopped task');
    expect(again.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', upstream: { product: 'PaiLLMTrace', action: 'UpdateOnlineEvalTask', code: 'InvalidInputParams', requestId: expect.any(String) } });
  });

  it('deleteEvalTask deletes; the task then reads as null', async () => {
    const { id } = await create();
    h.resetCalls();
    const del = await h.gql(`mutation($id: ID!) { deleteEvalTask(input: { id: $id }) { deletedId } }`, { id });
    expect(del.result).toEqual({ data: { deleteEvalTask: { deletedId: id } } });
    expect(h.emulator.calls.map((c) => [c.method, c.path])).toEqual([['DELETE', `/api/v1/PAILLMTrace/onlineevaltasks/${id}`]]);
    expect((await h.gql(`query($id: ID!) { evalTask(id: $id) { id } }`, { id })).result).toEqual({ data: { evalTask: null } });
  });

  it('an error PaiLLMTrace reports inside a 200 body is a typed error, not data', async () => {
    h.emulator.faults.add({ action: 'ListOnlineEvalTasks', body: { RequestId: 'REQ-IN-BODY', Code: 'InvalidInputParams', Message: 'page number should be greater than 0' }, times: 1 });
    const r = await h.gql(`{ evalTasks { totalCount } }`);
    expect(r.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', upstream: { product: 'PaiLLMTrace', action: 'ListOnlineEvalTasks', status: 200, code: 'InvalidInputParams', requestId: 'REQ-IN-BODY' } });
  });
});

describe('evaluation task reads', () => {
  it('lists demo tasks in every status, newest first, in one call', async () => {
    const r = await h.gql(`{ evalTasks(first: 50) { totalCount nodes { name status createdAt modelConfig { hasApiKey } } } }`);
    expect(r.body.errors).toBeUndefined();
    const nodes = r.body.data!.evalTasks.nodes;
    expect(new Set(nodes.map((n: any) => n.status))).toEqual(new Set(['CREATED', 'RUNNING', 'FINISHED', 'USER_CANCELED']));
    const times = nodes.map((n: any) => n.createdAt);
    expect(times).toEqual([...times].sort().reverse());
    expect(h.actions()).toEqual(['ListOnlineEvalTasks']);
  });

  it('sends filters and order as PaiLLMTrace query parameters', async () => {
    const r = await h.gql(`{ evalTasks(first: 5, filter: { appName: "site-search", status: RUNNING, samplingMethod: RATIO, minTime: "2025-01-01T00:00:00Z", maxTime: "2026-01-01T00:00:00Z" }, orderBy: { field: NAME, direction: ASC }) { totalCount nodes { name appName status samplingRatio } } }`);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.evalTasks.nodes.every((n: any) => n.appName === 'site-search' && n.status === 'RUNNING' && n.samplingRatio < 100)).toBe(true);
    expect(Object.fromEntries(new URLSearchParams(h.emulator.calls[0]!.query))).toEqual({
      AppName: 'site-search',
      Status: 'RUNNING',
      SamplingMethod: 'Ratio',
      MinTime: '2025-01-01 00:00:00',
      MaxTime: '2026-01-01 00:00:00',
      SortBy: 'TaskName',
      SortOrder: 'ASC',
      PageNumber: '1',
      PageSize: '5',
    });
  });

  it('pages past PaiLLMTrace’s 50-item limit with consecutive upstream pages', async () => {
    for (let i = 0; i < 52; i += 1) {
      const r = await h.gql(`mutation($n: String!) { createEvalTask(input: { name: $n, appName: "bulk-app" }) { __typename } }`, { n: `bulk-${i}` });
      expect(r.body.errors).toBeUndefined();
    }
    h.resetCalls();
    const r = await h.gql(`{ evalTasks(first: 60, filter: { appName: "bulk-app" }) { totalCount nodes { name } pageInfo { hasNextPage } } }`);
    expect(r.body.data!.evalTasks.totalCount).toBe(52);
    expect(r.body.data!.evalTasks.nodes).toHaveLength(52);
    expect(new Set(r.body.data!.evalTasks.nodes.map((n: any) => n.name)).size).toBe(52);
    expect(h.emulator.calls.map((c) => Object.fromEntries(new URLSearchParams(c.query)))).toEqual([
      { AppName: 'bulk-app', PageNumber: '1', PageSize: '50' },
      { AppName: 'bulk-app', PageNumber: '2', PageSize: '50' },
    ]);
  });

  it('fetches the last sampling window of listed tasks with one deduplicated Get each', async () => {
    const r = await h.gql(`{ evalTasks(first: 3) { nodes { id a: lastSamplingWindowStartTime b: lastSamplingWindowEndTime } } }`);
    expect(r.body.errors).toBeUndefined();
    expect(h.actions()).toEqual(['ListOnlineEvalTasks', 'GetOnlineEvalTask', 'GetOnlineEvalTask', 'GetOnlineEvalTask']);
    h.resetCalls();
    const id = r.body.data!.evalTasks.nodes[0].id;
    await h.gql(`query($id: ID!) { evalTask(id: $id) { lastSamplingWindowStartTime lastSamplingWindowEndTime name } }`, { id });
    expect(h.actions()).toEqual(['GetOnlineEvalTask']);
  });
});

describe('invalid evaluation task input is rejected before any upstream call', () => {
  const cases: [string, string, Record<string, unknown>, RegExp][] = [
    ['input.samplingRatio', 'a sampling ratio of 101', { ...INPUT, samplingRatio: 101 }, /between 0 and 100/],
    ['input.samplingRatio', 'a negative sampling ratio', { ...INPUT, samplingRatio: -1 }, /between 0 and 100/],
    ['input.samplingFrequencyMinutes', 'a zero sampling frequency', { ...INPUT, samplingFrequencyMinutes: 0 }, /between 1 and 1440/],
    ['input.endTime', 'an end before the start', { ...INPUT, endTime: '2026-05-01T00:00:00Z' }, /not be before startTime/],
    ['input.name', 'an empty name', { ...INPUT, name: '' }, /must not be empty/],
    ['input.modelConfig.temperature', 'a temperature above PaiLLMTrace’s documented 0.2', { ...INPUT, modelConfig: { temperature: 0.3 } }, /between 0 and 0.2/],
    ['input.modelConfig.temperature', 'a negative temperature', { ...INPUT, modelConfig: { temperature: -0.1 } }, /between 0 and 0.2/],
    ['input.modelConfig.topP', 'a topP of 0', { ...INPUT, modelConfig: { topP: 0 } }, /greater than 0/],
    ['input.modelConfig.endpoint', 'an endpoint that is not a URL', { ...INPUT, modelConfig: { endpoint: 'dashscope' } }, /http\(s\) URL/],
    ['input.evaluationConfig.answer.spanName', 'an empty span name', { ...INPUT, evaluationConfig: { answer: { spanName: '', jsonPathInSpan: 'x' } } }, /must not be empty/],
  ];

  it.each(cases)('%s: %s', async (field, _title, input, rule) => {
    const r = await h.gql(CREATE, { input });
    expect(r.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(r.body.errors![0]!.message).toMatch(rule);
    expect(h.emulator.calls).toHaveLength(0);
  });

  it('an unknown filter key is refused by GraphQL with 400', async () => {
    const r = await h.gql(CREATE, { input: { ...INPUT, filters: [{ key: 'COLOR', operator: 'EQUALS', value: 'x' }] } });
    expect(r.status).toBe(400);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(h.emulator.calls).toHaveLength(0);
  });

  it('never echoes an invalid API key in the error', async () => {
    const badKey = 'bad key with spaces 0123456789';
    const r = await h.gql(CREATE, { input: { ...INPUT, modelConfig: { apiKey: badKey } } });
    expect(r.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.modelConfig.apiKey' });
    expect(r.text).not.toContain('0123456789');
  });

  it('never echoes the API key when GraphQL rejects the variables it sits in', async () => {
    const r = await h.gql(CREATE, { input: { ...INPUT, colour: 'blue' } });
    expect(r.status).toBe(400);
    expect(r.text).not.toContain(JUDGE_KEY);
    const wrongType = await h.gql(CREATE, { input: { ...INPUT, samplingRatio: 'half' } });
    expect(wrongType.text).not.toContain(JUDGE_KEY);
  });

  it('an upstream error message that quotes the key has it blanked', async () => {
    h.emulator.faults.add({ action: 'CreateOnlineEvalTask', status: 400, code: 'InvalidInputParams', message: `ModelConfig.ApiKey ${JUDGE_KEY} was refused by the model endpoint`, times: 1 });
    const r = await h.gql(CREATE, { input: INPUT });
    expect(r.body.errors![0]!.message).toBe('PaiLLMTrace rejected CreateOnlineEvalTask: ModelConfig.ApiKey [redacted] was refused by the model endpoint');
  });
});

describe('the judge model API key is write-only', () => {
  it('appears in no response and no log line across this whole suite, though PAI echoed it', async () => {
    await create();
    await h.gql(`{ evalTasks(first: 50) { nodes { id modelConfig { name hasApiKey } } } }`);
    // The emulator did echo keys back (as the service does) ...
    const echoed = h.emulator.calls.some((c) => c.action === 'GetOnlineEvalTask' || c.action === 'ListOnlineEvalTasks');
    expect(echoed).toBe(true);
    // ... and the control API, which shows recorded calls, blanks them too.
    const control = await (await fetch(`${h.emulator.url}/__emulator/calls`)).text();
    const everything = [...h.responses, ...h.logs, control];
    for (const key of [JUDGE_KEY, DEMO_JUDGE_KEY, encodeURIComponent(JUDGE_KEY), Buffer.from(JUDGE_KEY).toString('base64')]) {
      expect(everything.filter((line) => line.includes(key))).toEqual([]);
    }
  });
});
