import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { ConfigError, loadConfig } from '../../src/core/config.js';
import { readRetryAfterMs } from '../../src/core/upstream/errors.js';
import { advanceTo, OPS, start, T0, useVirtualClock, virtualClient, type Scripted } from '../helpers/virtual-upstream.js';

/**
 * When PAI names a time (429, Throttling codes, 503 or another 5xx with Retry-After or
 * x-acs-retry-after), no call of that action goes out before it, for any caller; no pause lasts
 * longer than UPSTREAM_MAX_PAUSE_MS; and a caller whose deadline the pause would pass is told
 * RATE_LIMITED at once. Everything runs on jest's fake clock, so the times below are virtual
 * and exact however loaded the machine is.
 */

let v: ReturnType<typeof virtualClient>;
beforeEach(() => useVirtualClock());
afterEach(() => {
  v?.close();
  jest.useRealTimers();
  jest.restoreAllMocks();
});

/** [requestId, virtual send time] of every upstream call, in time order. */
const sends = () =>
  v.upstream.sent
    .map((c): [string, number] => [c.requestId, c.at])
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));

const THROTTLED_BODY = { RequestId: 'UP-T', Code: 'Throttling.User', Message: 'Request was denied due to user flow control.' };

describe('an upstream answer that names a time', () => {
  const cases: [string, Scripted, number, keyof typeof OPS][] = [
    ['a 429 with x-acs-retry-after: 700', { status: 429, headers: { 'x-acs-retry-after': '700' } }, 700, 'ListModels'],
    ['a 429 that names no time (1 s)', { status: 429 }, 1000, 'ListModels'],
    ['a 400 Throttling.User with x-acs-retry-after: 800', { status: 400, body: THROTTLED_BODY, headers: { 'x-acs-retry-after': '800' } }, 800, 'ListModels'],
    ['a Throttling.User code in a 200 body (1 s)', { status: 200, body: THROTTLED_BODY }, 1000, 'ListOnlineEvalTasks'],
    ['a 503 with Retry-After: 2', { status: 503, headers: { 'retry-after': '2' } }, 2000, 'ListModels'],
    ['a 503 with Retry-After as an HTTP date 3 s ahead', { status: 503, headers: { 'retry-after': new Date(T0 + 3000).toUTCString() } }, 3000, 'ListModels'],
    ['a 503 with x-acs-retry-after: 1200', { status: 503, headers: { 'x-acs-retry-after': '1200' } }, 1200, 'ListModels'],
    ['a 500 with x-acs-retry-after: 1500', { status: 500, headers: { 'x-acs-retry-after': '1500' } }, 1500, 'ListModels'],
    ['a 502 with Retry-After: 1', { status: 502, headers: { 'retry-after': '1' } }, 1000, 'ListModels'],
    ['a 504 with Retry-After: 1', { status: 504, headers: { 'retry-after': '1' } }, 1000, 'ListModels'],
  ];

  it.each(cases)('after %s, a read is retried exactly then, and every other caller of the action is held until then', async (_name, answer, waitMs, name) => {
    v = virtualClient();
    v.upstream.script(name, answer);
    const first = start(v.client, OPS[name], 15_000, 'op-1');
    await advanceTo(100);
    const second = start(v.client, OPS[name], 15_000, 'op-2');
    await advanceTo(20_000);
    expect(sends()).toEqual([
      ['op-1', 0],
      ['op-1', waitMs],
      ['op-2', waitMs],
    ]);
    expect([first.ok, second.ok]).toEqual([true, true]);
  });

  it('a create answered 503 with Retry-After is not repeated, yet the next create waits for the named time', async () => {
    v = virtualClient();
    v.upstream.script('CreateModel', { status: 503, headers: { 'retry-after': '2' } });
    const first = start(v.client, OPS.CreateModel, 15_000, 'create-1');
    await advanceTo(100);
    const second = start(v.client, OPS.CreateModel, 15_000, 'create-2');
    await advanceTo(20_000);
    expect(sends()).toEqual([
      ['create-1', 0],
      ['create-2', 2000],
    ]);
    expect(first.error?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryAfter: 2, upstream: { action: 'CreateModel', status: 503, requestId: 'UP-1' } });
    expect(second.ok).toBe(true);
  });

  it('a throttled create is retried after each pause (PAI did nothing), but 3 attempts at most', async () => {
    v = virtualClient();
    const throttled: Scripted = { status: 429, headers: { 'x-acs-retry-after': '500' } };
    v.upstream.script('CreateModel', throttled, throttled, throttled, throttled);
    const create = start(v.client, OPS.CreateModel, 15_000, 'create-1');
    await advanceTo(20_000);
    expect(sends()).toEqual([
      ['create-1', 0],
      ['create-1', 500],
      ['create-1', 1000],
    ]);
    expect(create.error?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 1, upstream: { status: 429, code: 'Throttling.User', requestId: 'UP-3' } });
    expect(create.settledAt).toBe(1000);
  });

  it('a read answered 503 with Retry-After three times is tried 3 times, each after the named time', async () => {
    v = virtualClient();
    const unavailable: Scripted = { status: 503, headers: { 'retry-after': '1' } };
    v.upstream.script('GetModel', unavailable, unavailable, unavailable);
    const read = start(v.client, OPS.GetModel, 15_000, 'op-1');
    await advanceTo(20_000);
    expect(sends()).toEqual([
      ['op-1', 0],
      ['op-1', 1000],
      ['op-1', 2000],
    ]);
    expect(read.error?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryAfter: 1, upstream: { status: 503, requestId: 'UP-3' } });
  });

  it('a 503 with Retry-After: 0 is still backed off with jitter, not repeated at once', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    v = virtualClient();
    v.upstream.script('ListModels', { status: 503, headers: { 'retry-after': '0' } });
    const read = start(v.client, OPS.ListModels, 15_000, 'op-1');
    await advanceTo(20_000);
    expect(sends()).toEqual([
      ['op-1', 0],
      ['op-1', 100],
    ]);
    expect(read.ok).toBe(true);
  });

  it('a 5xx that names no time is backed off with jitter and holds no other caller', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    v = virtualClient();
    v.upstream.script('ListModels', { status: 502 });
    const first = start(v.client, OPS.ListModels, 15_000, 'op-1');
    await advanceTo(10);
    const second = start(v.client, OPS.ListModels, 15_000, 'op-2');
    await advanceTo(20_000);
    // Full jitter: half of min(2 s, 100 ms * 2^1).
    expect(sends()).toEqual([
      ['op-1', 0],
      ['op-2', 10],
      ['op-1', 100],
    ]);
    expect([first.ok, second.ok]).toEqual([true, true]);
  });
});

describe('what is retried', () => {
  it('a create that timed out is not repeated (it may have been done); a read that timed out is tried 3 times', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    v = virtualClient({ timeoutMs: 300 });
    v.upstream.script('CreateModel', { hang: true });
    v.upstream.script('ListModels', { hang: true }, { hang: true }, { hang: true });
    const create = start(v.client, OPS.CreateModel, 15_000, 'create-1');
    const read = start(v.client, OPS.ListModels, 15_000, 'op-1');
    await advanceTo(20_000);
    expect(create.error?.extensions).toMatchObject({ code: 'UPSTREAM_TIMEOUT', upstream: { action: 'CreateModel' } });
    expect(create.settledAt).toBe(300);
    expect(read.error?.extensions).toMatchObject({ code: 'UPSTREAM_TIMEOUT', upstream: { action: 'ListModels' } });
    // 300 ms timeouts with jittered backoffs of 100 and 200 ms between them.
    expect(sends()).toEqual([
      ['create-1', 0],
      ['op-1', 0],
      ['op-1', 400],
      ['op-1', 900],
    ]);
  });
});

describe('a pause and the callers’ deadlines', () => {
  it('a caller whose deadline the pause would pass gets RATE_LIMITED with retryAfter at once, and nothing is sent for it', async () => {
    v = virtualClient();
    v.upstream.script('ListModels', { status: 429, headers: { 'x-acs-retry-after': '5000' } });
    const first = start(v.client, OPS.ListModels, 1500, 'op-1');
    await advanceTo(1000);
    // The caller that met the throttling gets PAI's answer with its RequestId, at once.
    expect(first.settledAt).toBe(0);
    expect(first.error?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 5, upstream: { status: 429, requestId: 'UP-1' } });

    const second = start(v.client, OPS.ListModels, 1500, 'op-2');
    await advanceTo(1000);
    expect(second.settledAt).toBe(1000);
    expect(second.error?.message).toBe('AIWorkSpace asked to hold ListModels; retry after 4 s');
    expect(second.error?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 4, upstream: { product: 'AIWorkSpace', action: 'ListModels' } });

    // A caller whose deadline leaves room waits, and goes when the pause ends.
    const third = start(v.client, OPS.ListModels, 10_000, 'op-3');
    await advanceTo(20_000);
    expect(third.ok).toBe(true);
    expect(sends()).toEqual([
      ['op-1', 0],
      ['op-3', 5000],
    ]);
  });

  it('a pause learned while a read backs off ends that read at once when the pause would pass its deadline', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    v = virtualClient();
    // op-1 meets a 502 and backs off 100 ms; meanwhile op-2's answer (at 50 ms) pauses the action for 5 s.
    v.upstream.script('ListModels', { status: 502 }, { status: 429, headers: { 'x-acs-retry-after': '5000' }, afterMs: 50 });
    const first = start(v.client, OPS.ListModels, 2000, 'op-1');
    const second = start(v.client, OPS.ListModels, 15_000, 'op-2');
    await advanceTo(20_000);
    expect(first.settledAt).toBe(100);
    expect(first.error?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 5 });
    expect(second.ok).toBe(true);
    expect(sends()).toEqual([
      ['op-1', 0],
      ['op-2', 0],
      ['op-2', 5050],
    ]);
  });

  it('a caller waiting out a pause is told RATE_LIMITED as soon as a later answer lengthens the pause past its deadline', async () => {
    v = virtualClient();
    v.upstream.script('ListModels', { status: 429, headers: { 'x-acs-retry-after': '1000' } }, { status: 429, headers: { 'x-acs-retry-after': '5000' }, afterMs: 500 });
    const first = start(v.client, OPS.ListModels, 15_000, 'op-1');
    const second = start(v.client, OPS.ListModels, 15_000, 'op-2');
    await advanceTo(100);
    const waiting = start(v.client, OPS.ListModels, 3000, 'op-3');
    await advanceTo(20_000);
    expect(waiting.settledAt).toBe(500);
    expect(waiting.error?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 5 });
    expect([first.ok, second.ok]).toEqual([true, true]);
    expect(sends()).toEqual([
      ['op-1', 0],
      ['op-2', 0],
      ['op-1', 5500],
      ['op-2', 5500],
    ]);
  });

  it('a call queued for its QPS slot when a pause begins waits for the pause too', async () => {
    v = virtualClient({ qpsLimits: '*=100,ListModels=1' });
    // op-1 starts at once; op-2 queues for the next slot (1.02 s); op-1's answer at 500 ms pauses the action for 2 s.
    v.upstream.script('ListModels', { status: 429, headers: { 'x-acs-retry-after': '2000' }, afterMs: 500 });
    const first = start(v.client, OPS.ListModels, 15_000, 'op-1');
    const second = start(v.client, OPS.ListModels, 15_000, 'op-2');
    await advanceTo(20_000);
    expect([first.ok, second.ok]).toEqual([true, true]);
    // Then one call per window again: a second (and 10 ms) after the previous answer.
    expect(v.upstream.times('ListModels')).toEqual([0, 2500, 3510]);
  });

  it('every call ends by its deadline, whatever mix of pauses, hangs and backoffs it meets', async () => {
    v = virtualClient({ timeoutMs: 700 });
    v.upstream.script('GetModel', { hang: true }, { status: 503, headers: { 'retry-after': '1' } }, { reset: true }, { status: 429, headers: { 'x-acs-retry-after': '400' } });
    v.upstream.script('ListModels', { status: 500 }, { hang: true }, { hang: true });
    const calls = [start(v.client, OPS.GetModel, 1200, 'op-1'), start(v.client, OPS.GetModel, 2500, 'op-2'), start(v.client, OPS.ListModels, 1000, 'op-3'), start(v.client, OPS.ListModels, 1800, 'op-4')];
    await advanceTo(20_000);
    for (const call of calls) {
      expect(call.settledAt).toBeDefined();
      expect(call.settledAt!).toBeLessThanOrEqual(call.deadline);
      expect(call.unexpected).toBeUndefined();
    }
  });
});

describe('UPSTREAM_MAX_PAUSE_MS', () => {
  it.each([
    ['x-acs-retry-after: 600000', { 'x-acs-retry-after': '600000' }],
    ['Retry-After: 3600', { 'retry-after': '3600' }],
    ['Retry-After an hour ahead', { 'retry-after': new Date(T0 + 3_600_000).toUTCString() }],
  ])('caps the pause a 429 with %s imposes, and the retry goes out when the cap ends', async (_name, headers) => {
    v = virtualClient({ maxPauseMs: 10_000 });
    v.upstream.script('ListModels', { status: 429, headers });
    const first = start(v.client, OPS.ListModels, 30_000, 'op-1');
    await advanceTo(0);
    // The retry waits out the pause in the action's queue.
    expect(v.client.governor.snapshot()).toContainEqual({ key: 'AIWorkSpace:ListModels', qps: 100, queued: 1, pausedForMs: 10_000 });
    await advanceTo(60_000);
    expect(sends()).toEqual([
      ['op-1', 0],
      ['op-1', 10_000],
    ]);
    expect(first.ok).toBe(true);
    const warned = v.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => String(l.msg).includes('UPSTREAM_MAX_PAUSE_MS'));
    expect(warned).toEqual([expect.objectContaining({ level: 40, maxPauseMs: 10_000, upstream: expect.objectContaining({ action: 'ListModels', status: 429, requestId: 'UP-1' }) })]);
  });

  it('tells callers the capped time, not the rogue one', async () => {
    v = virtualClient({ maxPauseMs: 10_000 });
    v.upstream.script('GetModel', { status: 503, headers: { 'x-acs-retry-after': '600000' } });
    const read = start(v.client, OPS.GetModel, 5000, 'op-1');
    await advanceTo(0);
    expect(read.settledAt).toBe(0);
    expect(read.error?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryAfter: 10, upstream: { status: 503 } });
    const next = start(v.client, OPS.GetModel, 5000, 'op-2');
    await advanceTo(0);
    expect(next.error?.message).toBe('AIWorkSpace asked to hold GetModel; retry after 10 s');
    expect(sends()).toEqual([['op-1', 0]]);
  });

  it('is read from the environment with a default of 10 s and a range', () => {
    expect(loadConfig({}).upstream.maxPauseMs).toBe(10_000);
    expect(loadConfig({ UPSTREAM_MAX_PAUSE_MS: '2500' }).upstream.maxPauseMs).toBe(2500);
    for (const bad of ['999', '600001', '10s']) {
      expect(() => loadConfig({ UPSTREAM_MAX_PAUSE_MS: bad })).toThrow(new ConfigError(`Invalid configuration: UPSTREAM_MAX_PAUSE_MS must be an integer between 1000 and 600000 (got "${bad}")`));
    }
  });
});

describe('reading the time an answer names', () => {
  const at = (headers: Record<string, string>, now = T0) => readRetryAfterMs(new Headers(headers), now);

  it('prefers x-acs-retry-after (milliseconds) and falls back to Retry-After (seconds or an HTTP date)', () => {
    expect(at({ 'x-acs-retry-after': '1500', 'retry-after': '9' })).toBe(1500);
    expect(at({ 'x-acs-retry-after': '0', 'retry-after': '9' })).toBe(9000);
    expect(at({ 'retry-after': ' 2 ' })).toBe(2000);
    expect(at({ 'retry-after': 'Sat, 01 Mar 2025 00:00:04 GMT' })).toBe(4000);
    // A date already past means now.
    expect(at({ 'retry-after': 'Fri, 28 Feb 2025 23:59:00 GMT' })).toBe(0);
  });

  it('ignores values that are neither', () => {
    for (const value of ['1.5', '-3', 'soon', '2 s', '']) expect(at({ 'retry-after': value })).toBeUndefined();
    expect(at({ 'x-acs-retry-after': 'soon' })).toBeUndefined();
  });
});
