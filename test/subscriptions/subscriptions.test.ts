import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { parseGatewayTokens } from '../../src/core/auth.js';
import { EAS_STEP_MS } from '../../src/emulator/eas.js';
import { STARTUP_MS } from '../../src/emulator/pai-dlc.js';
import { ACTIVATION_MS } from '../../src/emulator/paillmtrace.js';
import { manualClock, startHarness, type Harness } from '../helpers/harness.js';
import { manualScheduler } from '../helpers/scheduler.js';
import { subscribe, wsClient, type Subscription } from '../helpers/subscriptions.js';
import { startJwks } from '../helpers/jwks.js';
import { until } from '../helpers/until.js';

/**
 * Subscriptions over WebSocket against the emulator, with graphql-ws's own client. The poll
 * loops' timers are moved by hand (`scheduler.tick()` is one SUBSCRIPTION_POLL_MS passing) and
 * the emulator's clock too, so every count of upstream calls is exact and nothing sleeps.
 */

const NOW = '2026-06-01T12:00:00Z';
const clock = manualClock(NOW);
const scheduler = manualScheduler();
let h: Harness;
const open: Subscription[] = [];

beforeAll(async () => {
  h = await startHarness({ clock, subscriptions: { scheduler } });
});
afterAll(() => h.close());
beforeEach(async () => {
  for (const s of open.splice(0)) s.unsubscribe();
  // Every loop of the previous test has stopped.
  await until(() => scheduler.pending === 0);
  clock.set(NOW);
  h.emulator.faults.clear();
  h.resetCalls();
});

const watch = (query: string, variables: Record<string, unknown> = {}, opts: Parameters<typeof subscribe>[3] = {}) => {
  const s = subscribe(h.wsUrl, query, variables, opts);
  open.push(s);
  return s;
};

/** Resolves once `check` holds (it may be async); the test's timeout is the only limit. */
async function eventually(check: () => Promise<boolean> | boolean): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 2));
}

/** Poll loop reads so far with this outcome (pai_graph_subscription_polls_total). */
async function polls(outcome: string): Promise<number> {
  const metric = await h.metrics.registry.getSingleMetric('pai_graph_subscription_polls_total')!.get();
  return metric.values.filter((v) => v.labels.outcome === outcome).reduce((n, v) => n + v.value, 0);
}

/** A gauge's value as /metrics would show it. */
async function gauge(harness: Harness, name: string): Promise<number> {
  return (await harness.metrics.registry.getSingleMetric(name)!.get()).values[0]?.value ?? 0;
}

/** Moves every poll loop one interval on and waits until each of them has read. */
async function interval(): Promise<void> {
  const before = (await polls('changed')) + (await polls('unchanged')) + (await polls('gone')) + (await polls('error'));
  const loops = scheduler.tick();
  await eventually(async () => (await polls('changed')) + (await polls('unchanged')) + (await polls('gone')) + (await polls('error')) >= before + loops);
}

async function createTensorboard(): Promise<string> {
  const r = await h.gql(`mutation { createTensorboard(input: { displayName: "live", jobId: "dlc-live-1" }) { tensorboard { id status } } }`);
  expect(r.body.errors).toBeUndefined();
  expect(r.body.data!.createTensorboard.tensorboard.status).toBe('CREATING');
  h.resetCalls();
  return r.body.data!.createTensorboard.tensorboard.id;
}

const TENSORBOARD = `subscription($id: ID!) { tensorboardChanged(id: $id) { id status url } }`;

describe('tensorboardChanged', () => {
  it('sends the current state first, a change within one interval, and nothing while nothing changes', async () => {
    const id = await createTensorboard();
    const s = watch(TENSORBOARD, { id });
    await until(() => s.results.length === 1);
    expect(s.results[0]).toEqual({ data: { tensorboardChanged: { id, status: 'CREATING', url: null } } });
    expect(h.actions()).toEqual(['GetTensorboard']);

    // An interval with nothing changed upstream: one read, nothing sent.
    await interval();
    expect(await polls('unchanged')).toBeGreaterThanOrEqual(1);
    expect(h.actions()).toEqual(['GetTensorboard', 'GetTensorboard']);

    // The instance finishes starting: the next read sees it and pushes it.
    clock.advance(STARTUP_MS);
    await interval();
    await until(() => s.results.length === 2);
    expect(s.results[1]).toEqual({ data: { tensorboardChanged: { id, status: 'RUNNING', url: expect.stringContaining(id) } } });
    expect(h.actions()).toEqual(['GetTensorboard', 'GetTensorboard', 'GetTensorboard']);
    expect(s.end).toBeUndefined();
  });

  it('sends a subscriber only changes of what it selected', async () => {
    const id = await createTensorboard();
    clock.advance(STARTUP_MS);
    const statusOnly = watch(`subscription($id: ID!) { tensorboardChanged(id: $id) { status } }`, { id });
    const withDuration = watch(`subscription($id: ID!) { tensorboardChanged(id: $id) { status duration } }`, { id });
    await until(() => statusOnly.results.length === 1 && withDuration.results.length === 1);
    expect(h.actions()).toEqual(['GetTensorboard']);

    // Only the running time moved: the record changed, one subscriber's selection did not.
    clock.advance(1000);
    await interval();
    await until(() => withDuration.results.length === 2);
    // (It has run since it was created, STARTUP_MS before.)
    expect(withDuration.results.map((r) => r.data!.tensorboardChanged)).toEqual([
      { status: 'RUNNING', duration: STARTUP_MS / 1000 },
      { status: 'RUNNING', duration: STARTUP_MS / 1000 + 1 },
    ]);

    // A change it does select comes next, with nothing in between.
    await h.gql(`mutation($id: ID!) { stopTensorboard(input: { id: $id }) { __typename } }`, { id });
    await interval();
    await until(() => statusOnly.results.length === 2);
    expect(statusOnly.results.map((r) => r.data!.tensorboardChanged)).toEqual([{ status: 'RUNNING' }, { status: 'STOPPED' }]);
  });

  it('polls once per interval however many subscribe: 20 subscribers cost one read', async () => {
    const id = await createTensorboard();
    const subscribers = Array.from({ length: 20 }, () => watch(TENSORBOARD, { id }));
    await until(() => subscribers.every((s) => s.results.length === 1));
    expect(h.actions()).toEqual(['GetTensorboard']);
    for (let n = 2; n <= 4; n += 1) {
      await interval();
      expect(h.actions()).toEqual(Array(n).fill('GetTensorboard'));
    }
    clock.advance(STARTUP_MS);
    await interval();
    await until(() => subscribers.every((s) => s.results.length === 2));
    expect(h.actions()).toHaveLength(5);
    expect(subscribers.every((s) => s.results[1]!.data!.tensorboardChanged.status === 'RUNNING')).toBe(true);
  });

  it('stops polling when the last subscriber leaves', async () => {
    const id = await createTensorboard();
    const a = watch(TENSORBOARD, { id });
    const b = watch(TENSORBOARD, { id });
    await until(() => a.results.length === 1 && b.results.length === 1);
    a.unsubscribe();
    await interval();
    expect(h.actions()).toEqual(['GetTensorboard', 'GetTensorboard']);
    b.unsubscribe();
    await until(() => scheduler.pending === 0);
    expect(scheduler.tick()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(h.actions()).toEqual(['GetTensorboard', 'GetTensorboard']);
  });

  it('ends with NOT_FOUND when the TensorBoard is deleted', async () => {
    const id = await createTensorboard();
    const s = watch(TENSORBOARD, { id });
    await until(() => s.results.length === 1);
    const deleted = await h.gql(`mutation($id: ID!) { deleteTensorboard(input: { id: $id }) { deletedId } }`, { id });
    expect(deleted.body.errors).toBeUndefined();
    await interval();
    await until(() => s.end !== undefined);
    expect(s.results).toHaveLength(2);
    expect(s.results[1]).toEqual({
      data: { tensorboardChanged: null },
      errors: [{ message: `TensorBoard ${id} does not exist (any more): this subscription has ended.`, locations: [{ line: 1, column: 26 }], path: ['tensorboardChanged'], extensions: { code: 'NOT_FOUND' } }],
    });
    expect(s.end).toEqual({ kind: 'complete' });
    expect(scheduler.pending).toBe(0);
  });

  it('ends at once with NOT_FOUND for an id that does not exist, after one read', async () => {
    const s = watch(TENSORBOARD, { id: 'tensorboard-nope' });
    await until(() => s.end !== undefined);
    expect(s.results.map((r) => r.errors?.[0]?.extensions?.code)).toEqual(['NOT_FOUND']);
    expect(h.actions()).toEqual(['GetTensorboard']);
  });

  it('keeps a subscription through a failed poll, and ends one whose first read fails with its error', async () => {
    const id = await createTensorboard();
    const s = watch(TENSORBOARD, { id });
    await until(() => s.results.length === 1);
    h.emulator.faults.add({ action: 'GetTensorboard', status: 403, code: 'Forbidden.RAM', times: 1 });
    await interval();
    expect(await polls('error')).toBe(1);
    expect(s.end).toBeUndefined();
    clock.advance(STARTUP_MS);
    await interval();
    await until(() => s.results.length === 2);
    expect(s.results.map((r) => r.data!.tensorboardChanged.status)).toEqual(['CREATING', 'RUNNING']);

    h.emulator.faults.add({ action: 'GetTensorboard', status: 403, code: 'Forbidden.RAM', times: 1 });
    const other = watch(TENSORBOARD, { id: [...h.emulator.store.tensorboards.keys()][0]! });
    await until(() => other.end !== undefined);
    expect(other.results.map((r) => [r.data, r.errors?.map((e) => e.extensions?.code)])).toEqual([[{ tensorboardChanged: null }, ['FORBIDDEN']]]);
    expect(other.end).toEqual({ kind: 'complete' });
  });

  it('refuses bad ids with the query\'s rules before any upstream call', async () => {
    for (const id of ['..', '.', 'a/b', ' ', 'x'.repeat(129)]) {
      const s = watch(TENSORBOARD, { id });
      await until(() => s.end !== undefined);
      const codes = s.results.flatMap((r) => r.errors ?? []).map((e) => e.extensions?.code);
      const errors = s.end!.kind === 'error' ? (s.end!.error as { extensions?: { code?: string } }[]).map((e) => e.extensions?.code) : [];
      expect([...codes, ...errors]).toEqual(['BAD_USER_INPUT']);
    }
    const s = watch(TENSORBOARD, { id: '..' });
    await until(() => s.end !== undefined);
    expect(s.results[0]!.errors![0]!.message).toBe('id: must not be "." or ".." (got "..")');
    expect(h.actions()).toEqual([]);
  });

  it('refuses fields that would cost an upstream call per event, naming them, before any call', async () => {
    const s = watch(`subscription { tensorboardChanged(id: "tensorboard-1") { id sharedUrl } }`);
    await until(() => s.end !== undefined);
    expect(s.end).toEqual({
      kind: 'error',
      error: [
        {
          message: 'Tensorboard.sharedUrl needs an upstream call of its own for every change, which subscriptions do not make: query it over HTTP when needed.',
          extensions: { code: 'BAD_USER_INPUT', fields: ['Tensorboard.sharedUrl'] },
        },
      ],
    });
    expect(h.actions()).toEqual([]);
  });
});

describe('evalTaskChanged', () => {
  it('moves from CREATED to RUNNING, with the last sampling window from the same read', async () => {
    const created = await h.gql(`mutation { createEvalTask(input: { name: "live-eval", appName: "live-app", samplingFrequencyMinutes: 1 }) { evalTask { id status } } }`);
    expect(created.body.errors).toBeUndefined();
    const id = created.body.data!.createEvalTask.evalTask.id as string;
    h.resetCalls();
    const s = watch(`subscription($id: ID!) { evalTaskChanged(id: $id) { id status recordCount lastSamplingWindowEndTime } }`, { id });
    await until(() => s.results.length === 1);
    expect(s.results[0]).toEqual({ data: { evalTaskChanged: { id, status: 'CREATED', recordCount: 0, lastSamplingWindowEndTime: null } } });
    expect(h.actions()).toEqual(['GetOnlineEvalTask']);

    clock.advance(ACTIVATION_MS + 60_000);
    await interval();
    await until(() => s.results.length === 2);
    expect(s.results[1]!.data!.evalTaskChanged).toMatchObject({ id, status: 'RUNNING', lastSamplingWindowEndTime: '2026-06-01T12:01:00.000Z' });
    expect(h.actions()).toEqual(['GetOnlineEvalTask', 'GetOnlineEvalTask']);
  });

  it('refuses a bad id before any upstream call', async () => {
    const s = watch(`subscription { evalTaskChanged(id: "..") { id } }`);
    await until(() => s.end !== undefined);
    expect(s.results[0]!.errors![0]!.extensions).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    expect(h.actions()).toEqual([]);
  });
});

describe('serviceChanged', () => {
  const SERVICE = `subscription($name: String!) { serviceChanged(name: $name) { name status runningInstances internetEndpoint } }`;

  it('follows a stop from RUNNING through STOPPING to STOPPED with one DescribeService per interval, then NOT_FOUND on delete', async () => {
    const s = watch(SERVICE, { name: 'bge_large_embedding' });
    await until(() => s.results.length === 1);
    expect(s.results[0]!.data!.serviceChanged).toEqual({ name: 'bge_large_embedding', status: 'RUNNING', runningInstances: 1, internetEndpoint: expect.stringContaining('/api/predict/bge_large_embedding') });
    expect(h.actions()).toEqual(['DescribeService']);

    const stopped = await h.gql(`mutation { stopService(input: { name: "bge_large_embedding" }) { service { status } } }`);
    expect(stopped.body.errors).toBeUndefined();
    h.resetCalls();
    await interval();
    await until(() => s.results.length === 2);
    expect(s.results[1]!.data!.serviceChanged).toMatchObject({ status: 'STOPPING' });
    await interval();
    expect(s.results).toHaveLength(2);
    clock.advance(EAS_STEP_MS);
    await interval();
    await until(() => s.results.length === 3);
    expect(s.results[2]!.data!.serviceChanged).toMatchObject({ status: 'STOPPED', runningInstances: 0 });
    expect(h.actions()).toEqual(['DescribeService', 'DescribeService', 'DescribeService']);

    const deleted = await h.gql(`mutation { deleteService(input: { name: "bge_large_embedding" }) { deletedName } }`);
    expect(deleted.body.errors).toBeUndefined();
    clock.advance(EAS_STEP_MS);
    await interval();
    await until(() => s.end !== undefined);
    expect(s.results.at(-1)!.errors!.map((e) => [e.message, e.extensions!.code])).toEqual([['Service bge_large_embedding does not exist (any more): this subscription has ended.', 'NOT_FOUND']]);
    expect(scheduler.pending).toBe(0);
  });

  it('refuses bad names with the query\'s rules before any upstream call', async () => {
    for (const name of ['..', 'a/b', 'UPPER', 'x'.repeat(64)]) {
      const s = watch(SERVICE, { name });
      await until(() => s.end !== undefined);
      expect(s.results[0]!.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
      expect(s.results[0]!.errors![0]!.message).toMatch(/^name: must start with a lower-case letter/);
    }
    expect(h.actions()).toEqual([]);
  });
});

describe('the WebSocket endpoint', () => {
  it('serves only subscriptions: queries and mutations go over HTTP', async () => {
    const s = watch(`{ tensorboards { totalCount } }`);
    await until(() => s.end !== undefined);
    expect(s.end).toEqual({ kind: 'error', error: [{ message: 'Only subscriptions are served over WebSocket: send queries by HTTP POST to /graphql.', extensions: { code: 'BAD_REQUEST' } }] });
    expect(h.actions()).toEqual([]);
  });

  it('validates like HTTP, with GraphQL\'s messages', async () => {
    const s = watch(`subscription { tensorboardChanged(id: "x") { nope } }`);
    await until(() => s.end !== undefined);
    expect(s.end).toEqual({ kind: 'error', error: [expect.objectContaining({ message: 'Cannot query field "nope" on type "Tensorboard".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })] });
  });

  it('refuses a subscription over HTTP with 400 pointing to WebSocket, calling nothing', async () => {
    const r = await h.gql(`subscription { tensorboardChanged(id: "x") { id } }`);
    expect(r.status).toBe(400);
    expect(r.body.errors![0]!.message).toContain('open a WebSocket to /graphql with the graphql-transport-ws protocol');
    expect(h.actions()).toEqual([]);
  });

  it('shows active subscriptions and poll loops in /metrics', async () => {
    const id = await createTensorboard();
    const client = wsClient(h.wsUrl);
    const a = subscribe(h.wsUrl, TENSORBOARD, { id }, { client });
    const b = subscribe(h.wsUrl, `subscription($id: ID!) { tensorboardChanged(id: $id) { status } }`, { id }, { client });
    open.push(a, b);
    await until(() => a.results.length === 1 && b.results.length === 1);
    const text = await (await fetch(h.url.replace('/graphql', '/metrics'))).text();
    expect(text).toContain('pai_graph_websocket_connections 1');
    expect(text).toContain('pai_graph_subscriptions_active 2');
    expect(text).toContain('pai_graph_subscription_pollers{role="polling"} 1');
    expect(text).toContain('pai_graph_subscription_pollers{role="listening"} 0');
    expect(text).toMatch(/pai_graph_subscription_polls_total\{kind="tensorboard",outcome="changed"\} \d+/);
    await client.dispose();
  });
});

describe('subscription authentication and limits', () => {
  const READER = 'reader-token-0123456789';
  const WRITER = 'writer-token-0123456789';
  let g: Harness;
  const gs = manualScheduler();
  beforeAll(async () => {
    g = await startHarness({
      clock,
      callers: { tokens: parseGatewayTokens(`reader:${READER}:read;writer:${WRITER}:write;other:other-token-0123456:read`), allowAnonymous: false },
      subscriptions: { scheduler: gs, maxPerCaller: 2, maxConnections: 3 },
    });
  });
  afterAll(() => g.close());
  beforeEach(async () => {
    // The previous test's sockets are closed on the server's side too.
    await eventually(async () => (await gauge(g, 'pai_graph_websocket_connections')) === 0);
    g.resetCalls();
  });

  const closedWith = async (connectionParams?: Record<string, unknown>) => {
    const s = subscribe(g.wsUrl, TENSORBOARD, { id: 'tensorboard-1' }, connectionParams ? { connectionParams } : {});
    await until(() => s.end !== undefined);
    return s.end!.kind === 'error' ? { code: (s.end!.error as { code: number }).code, reason: (s.end!.error as { reason: string }).reason } : undefined;
  };

  it('closes a connection without a token with 4401 before any upstream call', async () => {
    expect(await closedWith()).toEqual({ code: 4401, reason: 'Authentication required: send connectionParams { authorization: "Bearer <token>" }.' });
    expect(await closedWith({ authorization: 'Bearer not-a-known-token' })).toEqual({ code: 4401, reason: 'The bearer token is not valid.' });
    expect(await closedWith({ authorization: 'Basic abc' })).toEqual({ code: 4401, reason: 'The Authorization header must be "Bearer <gateway token>".' });
    expect(g.actions()).toEqual([]);
  });

  it('closes a connection whose token lacks the read scope with 4403', async () => {
    expect(await closedWith({ authorization: `Bearer ${WRITER}` })).toEqual({ code: 4403, reason: 'writer may not subscribe: its token lacks the read scope.' });
    expect(g.actions()).toEqual([]);
  });

  it('serves a caller whose token has the read scope', async () => {
    const s = subscribe(g.wsUrl, TENSORBOARD, { id: 'tensorboard-nope' }, { connectionParams: { authorization: `Bearer ${READER}` } });
    await until(() => s.end !== undefined);
    expect(s.results[0]!.errors![0]!.extensions!.code).toBe('NOT_FOUND');
    await s.client.dispose();
  });

  it('keeps each caller to MAX_SUBSCRIPTIONS_PER_CALLER and frees a place when one completes', async () => {
    const id = [...g.emulator.store.tensorboards.keys()][0]!;
    const client = wsClient(g.wsUrl, { authorization: `Bearer ${READER}` });
    const first = subscribe(g.wsUrl, TENSORBOARD, { id }, { client });
    const second = subscribe(g.wsUrl, TENSORBOARD, { id }, { client });
    await until(() => first.results.length === 1 && second.results.length === 1);
    const third = subscribe(g.wsUrl, TENSORBOARD, { id }, { client });
    await until(() => third.end !== undefined);
    expect(third.end).toEqual({
      kind: 'error',
      error: [{ message: 'reader has 2 subscriptions open on this gateway, the most MAX_SUBSCRIPTIONS_PER_CALLER allows: complete one before starting another.', extensions: { code: 'RATE_LIMITED', limit: 2 } }],
    });
    // Another caller is not held back by this one.
    const other = subscribe(g.wsUrl, TENSORBOARD, { id }, { connectionParams: { authorization: 'Bearer other-token-0123456' } });
    await until(() => other.results.length === 1);
    await other.client.dispose();
    first.unsubscribe();
    await eventually(async () => (await gauge(g, 'pai_graph_subscriptions_active')) === 1);
    const fourth = subscribe(g.wsUrl, TENSORBOARD, { id }, { client });
    await until(() => fourth.results.length === 1 || fourth.end !== undefined);
    expect(fourth.results).toHaveLength(1);
    expect(g.actions()).toEqual(['GetTensorboard']);
    await client.dispose();
  });

  it('keeps to MAX_WEBSOCKET_CONNECTIONS, closing any more with 1013', async () => {
    // (Two callers: each may hold two subscriptions.)
    const clients = [READER, READER, 'other-token-0123456'].map((token) => wsClient(g.wsUrl, { authorization: `Bearer ${token}` }));
    const id = [...g.emulator.store.tensorboards.keys()][1]!;
    const subs = clients.map((client) => subscribe(g.wsUrl, TENSORBOARD, { id }, { client }));
    await until(() => subs.every((s) => s.results.length === 1));
    const extra = subscribe(g.wsUrl, TENSORBOARD, { id }, { connectionParams: { authorization: `Bearer ${READER}` } });
    await until(() => extra.end !== undefined);
    expect(extra.end).toEqual({ kind: 'error', error: expect.objectContaining({ code: 1013, reason: 'This gateway holds its most WebSocket connections (3): try again later.' }) });
    for (const c of clients) await c.dispose();
  });
});

describe('JWT subscribers', () => {
  it('closes the socket with 4401 when the token expires, ending its subscriptions, and accepts a fresh token', async () => {
    const jwks = await startJwks();
    const js = manualScheduler();
    const j = await startHarness({ clock, callers: { tokens: [], allowAnonymous: false, jwt: { jwksUrl: jwks.url, clockSkewSeconds: 30 } }, subscriptions: { scheduler: js } });
    try {
      const id = [...j.emulator.store.tensorboards.keys()][0]!;
      const token = await jwks.sign({ scope: 'pai-graph:read' }, { expires: '10m' });
      const exp = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).exp as number;
      const before = Date.now();
      const s = subscribe(j.wsUrl, TENSORBOARD, { id }, { connectionParams: { authorization: `Bearer ${token}` } });
      await until(() => s.results.length === 1);
      expect(s.results[0]!.data!.tensorboardChanged.id).toBe(id);
      // One poll timer and the expiry timer, set for exp plus the tolerated skew.
      expect(js.pending).toBe(2);
      const expiry = js.delays.find((ms) => ms !== 5000)!;
      expect(expiry).toBeGreaterThan((exp + 30) * 1000 - Date.now() - 1000);
      expect(expiry).toBeLessThanOrEqual((exp + 30) * 1000 - before);

      js.tick();
      await until(() => s.end !== undefined);
      expect(s.end).toEqual({ kind: 'error', error: expect.objectContaining({ code: 4401, reason: 'The bearer token has expired: reconnect with a fresh token in connectionParams.' }) });
      await until(() => js.pending === 0);

      const fresh = subscribe(j.wsUrl, TENSORBOARD, { id }, { connectionParams: { authorization: `Bearer ${await jwks.sign({ scope: 'pai-graph:read' })}` } });
      await until(() => fresh.results.length === 1);
      fresh.unsubscribe();
      await fresh.client.dispose();
    } finally {
      jwks.close();
      await j.close();
    }
  });
});

describe('graceful shutdown', () => {
  it('closes every socket with 1001 and stops the poll loops', async () => {
    const ss = manualScheduler();
    const g = await startHarness({ clock, subscriptions: { scheduler: ss } });
    const id = [...g.emulator.store.tensorboards.keys()][0]!;
    const s = subscribe(g.wsUrl, TENSORBOARD, { id });
    await until(() => s.results.length === 1);
    expect(ss.pending).toBe(1);
    await g.close();
    await until(() => s.closes.length > 0);
    expect(s.closes[0]).toEqual({ code: 1001, reason: 'The gateway is shutting down: reconnect.' });
    expect(ss.pending).toBe(0);
    expect(g.actions()).toEqual(['GetTensorboard']);
  });
});
