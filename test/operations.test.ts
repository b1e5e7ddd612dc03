import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startHarness, type Harness } from './helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ timeoutMs: 3000, deadlineMs: 6000 });
});
afterAll(() => h.close());

const metricsText = async () => (await fetch(h.url.replace('/graphql', '/metrics'))).text();
const value = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : undefined;
};

describe('/metrics', () => {
  it('counts operations, upstream calls by status, retries, loader cache hits and breaker state', async () => {
    const list = await h.gql(`query ListSome { models(first: 2) { nodes { id } } }`);
    const [a] = list.body.data!.models.nodes.map((n: { id: string }) => n.id);
    await h.gql(`query Twice($a: ID!) { x: model(id: $a) { id } y: model(id: $a) { name } }`, { a });
    h.emulator.faults.add({ action: 'ListAlgorithms', status: 503, times: 1 });
    await h.gql(`query Algorithms { algorithms(first: 1) { totalCount } }`);
    await h.gql(`query Broken { models(first: 1000) { totalCount } }`);

    const text = await metricsText();
    expect(value(text, 'pai_graph_operations_total{operation="ListSome",type="query",outcome="ok"}')).toBe(1);
    expect(value(text, 'pai_graph_operations_total{operation="Broken",type="query",outcome="BAD_USER_INPUT"}')).toBe(1);
    expect(value(text, 'pai_graph_upstream_calls_total{product="AIWorkSpace",action="ListModels",status="200",outcome="ok"}')).toBe(1);
    expect(value(text, 'pai_graph_upstream_calls_total{product="AIWorkSpace",action="GetModel",status="200",outcome="ok"}')).toBe(1);
    expect(value(text, 'pai_graph_upstream_calls_total{product="PaiStudio",action="ListAlgorithms",status="503",outcome="UPSTREAM_UNAVAILABLE"}')).toBe(1);
    expect(value(text, 'pai_graph_upstream_retries_total{product="PaiStudio",action="ListAlgorithms",reason="UPSTREAM_UNAVAILABLE"}')).toBe(1);
    expect(value(text, 'pai_graph_loader_cache_hits_total')).toBeGreaterThanOrEqual(1);
    expect(text).toContain('# TYPE pai_graph_operation_duration_seconds histogram');
    expect(text).toContain('# TYPE pai_graph_upstream_duration_seconds histogram');
    expect(text).toContain('# TYPE pai_graph_breaker_state gauge');
    expect(text).toContain('# TYPE pai_graph_governor_waits_total counter');
  });

  it('measures upstream answers in bytes as received, not in decoded characters', async () => {
    // An answer outside the contract is still read whole, so its length is known exactly.
    const body = { RequestId: 'size-probe', Tensorboards: '训练曲线' };
    h.emulator.faults.add({ action: 'ListTensorboards', body, times: 1 });
    h.resetCalls();
    const r = await h.gql(`{ tensorboards { totalCount } }`);
    expect(r.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_CONTRACT');
    expect(h.actions()).toEqual(['ListTensorboards']);

    const text = await metricsText();
    const series = 'product="pai-dlc",action="ListTensorboards"';
    expect(value(text, `pai_graph_upstream_answer_bytes_count{${series}}`)).toBe(1);
    // Four CJK characters are 12 bytes in UTF-8 (and 4 UTF-16 code units).
    expect(value(text, `pai_graph_upstream_answer_bytes_sum{${series}}`)).toBe(Buffer.byteLength(JSON.stringify(body)));
    expect(value(text, `pai_graph_upstream_answer_bytes_bucket{le="1024",${series}}`)).toBe(1);
    // The earlier test's 503 answer and its retry are both measured.
    expect(value(text, 'pai_graph_upstream_answer_bytes_count{product="PaiStudio",action="ListAlgorithms"}')).toBe(2);
  });
});

describe('request ids', () => {
  it('echoes x-request-id and ties it to the upstream RequestId in the log', async () => {
    const r = await h.gql(`{ models(first: 1) { totalCount } }`, {}, { 'x-request-id': 'trace-abc-123' });
    expect(r.headers.get('x-request-id')).toBe('trace-abc-123');
    const upstreamLine = h.logs.map((l) => JSON.parse(l) as { msg: string; upstream?: { reqId?: string; requestId?: string; action?: string } }).find((l) => l.upstream?.reqId === 'trace-abc-123');
    expect(upstreamLine).toMatchObject({ msg: 'upstream call', upstream: { action: 'ListModels', requestId: expect.stringMatching(/^[0-9A-F-]{36}$/) } });
    expect(h.emulator.calls.at(-1)!.headers['x-request-id']).toBe('trace-abc-123');
    const generated = await h.gql(`{ __typename }`);
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('/readyz', () => {
  it('shows the breakers and the actions the governor is holding', async () => {
    h.emulator.faults.add({ action: 'ListTensorboards', status: 429, retryAfterMs: 30_000, times: 1 });
    await h.gql(`{ tensorboards { totalCount } }`);
    const body = (await (await fetch(h.url.replace('/graphql', '/readyz'))).json()) as { status: string; breakers: Record<string, string>; governor: { key: string; pausedForMs: number }[] };
    expect(body.status).toBe('ready');
    expect(body.breakers).toEqual({ AIWorkSpace: 'closed', PaiStudio: 'closed', 'pai-dlc': 'closed', PaiLLMTrace: 'closed', eas: 'closed' });
    expect(body.governor).toEqual([expect.objectContaining({ key: 'pai-dlc:ListTensorboards', pausedForMs: expect.any(Number) })]);
    // PAI asked for 30 s; one pause lasts at most UPSTREAM_MAX_PAUSE_MS (10 s by default).
    expect(body.governor[0]!.pausedForMs).toBeGreaterThan(0);
    expect(body.governor[0]!.pausedForMs).toBeLessThanOrEqual(10_000);
  });
});
