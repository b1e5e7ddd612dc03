import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Secret } from '../src/core/secret.js';
import type { AccessKeyCredential } from '../src/core/upstream/credentials.js';
import type { RecordedCall } from '../src/emulator/index.js';
import { startHarness, type Harness } from './helpers/harness.js';
import { advanceTo, OPS, start, T0, useVirtualClock, virtualClient, type AnsweredCall, type Outcome } from './helpers/virtual-upstream.js';

/**
 * A storm of upstream faults (429 with x-acs-retry-after, Throttling.User bodies, 500/502/503/504
 * with and without Retry-After, hangs, connection resets, malformed JSON) under concurrent
 * reads and creates. The gateway must answer every operation by its deadline with data or a
 * typed error, never send a call of a paused action before the time PAI named (nor hold it
 * longer than UPSTREAM_MAX_PAUSE_MS), make at most 3 attempts per call, never repeat a create,
 * stay healthy, and never show the credential.
 *
 * The storm runs twice. Over real HTTP against the emulator (faults that fail fast, generous
 * timeouts) it checks what holds at any machine speed; on jest's fake clock against a scripted
 * upstream it adds hangs and checks the rules about time, which a busy machine would otherwise
 * blur (a 300 ms upstream timeout that fires on a slow answer changes which attempts happen).
 */

const TYPED_CODES = ['RATE_LIMITED', 'UPSTREAM_ERROR', 'UPSTREAM_UNAVAILABLE', 'UPSTREAM_TIMEOUT', 'UPSTREAM_CONTRACT'];

describe('a storm of upstream faults over HTTP', () => {
  // Every fault here fails fast (no hangs: timeouts are proven on the virtual clock below), so
  // the attempt timeout and the deadline are generous and no outcome depends on how fast this
  // machine answers; nothing waits for either of them.
  const DEADLINE_MS = 10_000;
  const STS: AccessKeyCredential = { accessKeyId: 'TESTAKIDstorm0001', accessKeySecret: new Secret('storm-secret-7e6d5c4b3a2f1e0d'), securityToken: new Secret('storm-sts-token-CAIS9f8e7d6c') };
  let h: Harness;
  const results: { requestId: string; status: number; body: any }[] = [];

  beforeAll(async () => {
    h = await startHarness({ accessKey: STS, timeoutMs: 5000, deadlineMs: DEADLINE_MS, breaker: { volumeThreshold: 10_000 } });
    h.trustedAccessKeys.push(STS);
    const ids = (await h.gql(`{ models(first: 5) { nodes { id } } }`)).body.data!.models.nodes.map((n: { id: string }) => n.id);
    h.resetCalls();

    const f = h.emulator.faults;
    f.add({ action: 'ListModels', status: 429, retryAfterMs: 300, times: 6 });
    f.add({ action: 'GetModel', status: 503, times: 4 });
    f.add({ action: 'GetModel', status: 502, times: 2 });
    f.add({ action: 'GetModel', reset: true, times: 3 });
    f.add({ action: 'ListAlgorithms', malformed: true, times: 2 });
    f.add({ action: 'ListAlgorithms', status: 500, times: 3 });
    f.add({ action: 'ListOnlineEvalTasks', body: { RequestId: 'STORM-1', Code: 'Throttling.User', Message: 'Request was denied due to user flow control.' }, times: 3 });
    f.add({ action: 'ListTensorboards', status: 504, times: 2 });
    f.add({ action: 'CreateModel', status: 500, times: 2 });
    f.add({ action: 'CreateModel', status: 503, times: 1 });
    f.add({ action: 'CreateModel', reset: true, times: 1 });
    f.add({ action: 'CreateModel', status: 502, times: 1 });

    const operations: [string, Record<string, unknown>][] = [
      ...Array.from({ length: 10 }, (): [string, Record<string, unknown>] => [`{ models(first: 3) { nodes { id } } }`, {}]),
      ...Array.from({ length: 10 }, (_, i): [string, Record<string, unknown>] => [`query($id: ID!) { model(id: $id) { id name } }`, { id: ids[i % ids.length] }]),
      ...Array.from({ length: 5 }, (): [string, Record<string, unknown>] => [`{ algorithms(first: 2) { nodes { id } } }`, {}]),
      ...Array.from({ length: 5 }, (): [string, Record<string, unknown>] => [`{ evalTasks(first: 2) { nodes { id } } }`, {}]),
      ...Array.from({ length: 5 }, (): [string, Record<string, unknown>] => [`{ tensorboards(first: 2) { nodes { id } } }`, {}]),
      ...Array.from({ length: 10 }, (_, i): [string, Record<string, unknown>] => [`mutation($n: String!) { createModel(input: { name: $n }) { model { id } } }`, { n: `storm-${i}` }]),
    ];
    await Promise.all(
      operations.map(async ([query, variables], i) => {
        const r = await h.gql(query, variables, { 'x-request-id': `storm-${i}` });
        results.push({ requestId: `storm-${i}`, status: r.status, body: r.body });
      }),
    );
  }, 30_000);
  afterAll(() => h.close());

  /** Upstream calls of one logical call: same operation (request id), action and URL. */
  function attemptsByCall(): Map<string, RecordedCall[]> {
    const groups = new Map<string, RecordedCall[]>();
    for (const c of h.emulator.calls) {
      const key = `${c.headers['x-request-id']} ${c.action} ${c.method} ${c.path}?${c.query}`;
      groups.set(key, [...(groups.get(key) ?? []), c]);
    }
    return groups;
  }

  it('answers every operation with data or a typed error, never a 5xx', () => {
    expect(results).toHaveLength(45);
    for (const r of results) {
      expect(r.status).toBeLessThan(500);
      const codes = (r.body.errors ?? []).map((e: { extensions: { code: string } }) => e.extensions.code);
      expect(codes.filter((c: string) => !TYPED_CODES.includes(c))).toEqual([]);
      if (!codes.length) expect(Object.values(r.body.data).every((v) => v !== null)).toBe(true);
    }
    expect(results.some((r) => !r.body.errors)).toBe(true);
  });

  it('makes at most 3 attempts per call and sends each create exactly once', () => {
    for (const [key, attempts] of attemptsByCall()) {
      expect({ key, attempts: Math.min(attempts.length, 3) }).toEqual({ key, attempts: attempts.length });
    }
    // The 10 createModel operations are the last ones (storm-35 to storm-44).
    const creates = h.emulator.calls.filter((c) => c.action === 'CreateModel').map((c) => c.headers['x-request-id']);
    expect(creates.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `storm-${35 + i}`).sort());
  });

  it('stays healthy and serves normally after the storm', async () => {
    h.emulator.faults.clear();
    h.resetUpstream();
    expect((await fetch(h.url.replace('/graphql', '/healthz'))).status).toBe(200);
    const r = await h.gql(`{ models(first: 1) { totalCount } algorithms(first: 1) { totalCount } tensorboards(first: 1) { totalCount } }`);
    expect(r.body.errors).toBeUndefined();
  });

  it('never shows the AccessKey secret or the security token, in any encoding', () => {
    const forms = (s: string) => [s, Buffer.from(s).toString('base64'), encodeURIComponent(s), s.slice(6)];
    const everything = [...h.responses, ...h.logs];
    expect(h.logs.length).toBeGreaterThan(20);
    for (const secret of [STS.accessKeySecret.reveal(), STS.securityToken!.reveal()]) {
      for (const form of forms(secret)) expect(everything.filter((line) => line.includes(form))).toEqual([]);
    }
  });
});

describe('the same storm on a virtual clock', () => {
  const DEADLINE_MS = 2000;
  const MAX_PAUSE_MS = 1500;
  let v: ReturnType<typeof virtualClient>;
  const outcomes: Outcome[] = [];

  beforeAll(async () => {
    useVirtualClock();
    // Backoff jitter from a fixed seed, so a failure replays exactly.
    let seed = 12;
    jest.spyOn(Math, 'random').mockImplementation(() => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646);
    v = virtualClient({ timeoutMs: 300, maxPauseMs: MAX_PAUSE_MS });
    const s = v.upstream.script;
    const throttledBody = { RequestId: 'STORM-1', Code: 'Throttling.User', Message: 'Request was denied due to user flow control.' };
    for (let i = 0; i < 6; i += 1) s('ListModels', { status: 429, headers: { 'x-acs-retry-after': '300' } });
    s('GetModel', { status: 503, headers: { 'retry-after': '1' } }, { status: 503 }, { status: 503, headers: { 'retry-after': '1' } }, { status: 503 });
    s('GetModel', { status: 502, headers: { 'x-acs-retry-after': '400' } }, { status: 502 }, { reset: true }, { reset: true }, { reset: true });
    // A rogue wait first: capped at MAX_PAUSE_MS.
    s('ListAlgorithms', { status: 503, headers: { 'x-acs-retry-after': '600000' } }, { status: 200, raw: 'not json' }, { status: 200, raw: 'not json' });
    s('ListAlgorithms', { status: 500 }, { status: 500, headers: { 'retry-after': new Date(T0 + 3000).toUTCString() } }, { status: 500 });
    for (let i = 0; i < 3; i += 1) s('ListOnlineEvalTasks', { status: 200, body: throttledBody });
    s('ListTensorboards', { hang: true }, { hang: true }, { status: 504, headers: { 'retry-after': '1' } });
    s('CreateModel', { status: 429, headers: { 'x-acs-retry-after': '700' } }, { status: 500 }, { status: 500 }, { hang: true }, { reset: true }, { status: 502 }, { status: 503, headers: { 'retry-after': '2' } });

    const plan: [keyof typeof OPS, number][] = [
      ['ListModels', 10],
      ['GetModel', 10],
      ['ListAlgorithms', 5],
      ['ListOnlineEvalTasks', 5],
      ['ListTensorboards', 5],
      ['CreateModel', 10],
    ];
    const ops = plan.flatMap(([name, n]) => Array.from({ length: n }, () => name));
    // Arrivals spread over 1.5 s, interleaving the actions.
    const arrivals = ops.map((name, i) => ({ name, at: (i * 53) % 1500, requestId: `storm-${i}` })).sort((a, b) => a.at - b.at);
    for (const a of arrivals) {
      await advanceTo(a.at);
      outcomes.push(start(v.client, OPS[a.name], DEADLINE_MS, a.requestId));
    }
    await advanceTo(30_000);
  });
  afterAll(() => {
    v.close();
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  /** The pause an answer imposes, worked out from its headers independently of the client. */
  function namedWait(a: AnsweredCall): number | undefined {
    const throttled = a.status === 429 || /^Throttling/.test(a.code ?? '');
    if (a.status < 400 && !throttled) return undefined;
    const acs = a.headers['x-acs-retry-after'];
    const std = a.headers['retry-after'];
    const ms = acs ? Number(acs) : std ? (/^\d+$/.test(std) ? Number(std) * 1000 : Math.max(0, Date.parse(std) - (T0 + a.at))) : throttled ? 1000 : undefined;
    return ms === undefined ? undefined : Math.min(ms, MAX_PAUSE_MS);
  }

  it('answers every operation by its deadline, with data or a typed upstream error', () => {
    expect(outcomes).toHaveLength(45);
    for (const o of outcomes) {
      expect({ id: o.requestId, settled: o.settledAt !== undefined, unexpected: o.unexpected }).toEqual({ id: o.requestId, settled: true, unexpected: undefined });
      expect(o.settledAt!).toBeLessThanOrEqual(o.deadline);
      if (o.error) expect(TYPED_CODES).toContain(o.error.code);
    }
    expect(outcomes.filter((o) => o.ok).length).toBeGreaterThan(20);
  });

  it('never sends a call of an action before the time an answer named, for any caller, and holds it no longer than UPSTREAM_MAX_PAUSE_MS', () => {
    const named = v.upstream.answered.map((a) => ({ a, wait: namedWait(a) })).filter((n): n is { a: AnsweredCall; wait: number } => n.wait !== undefined);
    // Every kind of named wait took part: throttling with and without a time, and 5xx with Retry-After.
    expect(new Set(named.map(({ a }) => `${a.action} ${a.status}`))).toEqual(
      new Set(['ListModels 429', 'GetModel 503', 'GetModel 502', 'ListAlgorithms 503', 'ListAlgorithms 500', 'ListOnlineEvalTasks 200', 'ListTensorboards 504', 'CreateModel 503', 'CreateModel 429']),
    );
    const early = named.flatMap(({ a, wait }) => v.upstream.sent.filter((c) => c.action === a.action && c.at > a.at && c.at < a.at + wait).map((c) => ({ answered: a, wait, sent: c })));
    expect(early).toEqual([]);
    // The rogue 600 s wait held ListAlgorithms for the cap only: its caller retried when the cap ended.
    const rogue = v.upstream.answered.find((a) => a.headers['x-acs-retry-after'] === '600000')!;
    expect(v.upstream.sent.filter((c) => c.requestId === rogue.requestId).map((c) => c.at)).toEqual([rogue.at, rogue.at + MAX_PAUSE_MS]);
  });

  it('makes at most 3 attempts per call, and repeats a create only after a throttling answer', () => {
    const byCall = new Map<string, typeof v.upstream.sent>();
    for (const c of v.upstream.sent) byCall.set(c.requestId, [...(byCall.get(c.requestId) ?? []), c]);
    for (const [requestId, attempts] of byCall) expect({ requestId, attempts: Math.min(attempts.length, 3) }).toEqual({ requestId, attempts: attempts.length });
    const createIds = outcomes.filter((o) => o.action === 'CreateModel').map((o) => o.requestId);
    for (const id of createIds) {
      const attempts = byCall.get(id) ?? [];
      // What answered each attempt before a repeat: a throttling answer (PAI did nothing), never a 5xx, a hang or a reset.
      const before = attempts.slice(1).map((next, i) => v.upstream.answered.find((a) => a.requestId === id && a.seq > attempts[i]!.seq && a.seq < next.seq)?.status ?? 'no answer');
      expect({ id, before }).toEqual({ id, before: before.map(() => 429) });
    }
    expect(createIds.filter((id) => (byCall.get(id) ?? []).length > 1)).not.toEqual([]);
  });
});
