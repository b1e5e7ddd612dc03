import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulatorProcess, startGateway, type Started } from '../helpers/processes.js';
import { startPrivateRedis, type PrivateRedis } from '../helpers/redis.js';
import { busiestWindow } from '../helpers/windows.js';

/**
 * Three gateway processes (`src/main.ts`, configured only by the environment) on one Redis and
 * one emulator process: what they share is shared because main.ts wires it, not a test helper.
 */

const API_KEY = 'sk-replicas-0123456789abcdef0123';
const TOKEN = 'replica-test-token-0123456789';
const QPS_TOKENS = Array.from({ length: 10 }, (_, i) => `replica-qps-token-${i}-0123456789`);
let redis: PrivateRedis;
let emulator: Started;
let origin: string;
let gateways: Started[];
let urls: string[];

beforeAll(async () => {
  redis = await startPrivateRedis();
  emulator = startEmulatorProcess({ EMULATOR_PORT: '0', EMULATOR_API_KEY: API_KEY });
  origin = await emulator.ready;
  const env = {
    PAI_ENDPOINT: origin,
    DASHSCOPE_API_KEY: API_KEY,
    REDIS_URL: redis.url,
    GATEWAY_REPLICAS: '3',
    // `web` for the budget test; ten more callers so 200 reads fit their budgets of 30 each.
    GATEWAY_TOKENS: [`web:${TOKEN}:read`, ...QPS_TOKENS.map((t, i) => `q${i}:${t}:read`)].join(';'),
    PAI_QPS_LIMITS: '*=20',
    CALLER_BUDGET: '30',
    CALLER_BUDGET_RESTORE_RATE: '1',
    LOG_LEVEL: 'info',
  };
  // One after another: three compiling at once on a busy machine start slowly.
  gateways = [];
  urls = [];
  for (let i = 0; i < 3; i += 1) {
    const g = startGateway({ ...env, OPERATION_DEADLINE_MS: '14000' });
    gateways.push(g);
    urls.push(await g.ready);
  }
  // Each replica says it shares its limits through Redis before the tests start.
  for (const url of urls) expect(await (await fetch(url.replace('/graphql', '/readyz'))).json()).toMatchObject({ status: 'ready', redis: 'ok' });
}, 90_000);
afterAll(async () => {
  await Promise.all((gateways ?? []).map((g) => g.stop()));
  await emulator?.stop();
  await redis?.stop();
});

async function gql(url: string, body: Record<string, unknown>, token = TOKEN) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] } };
}

const upstreamCalls = async () => ((await (await fetch(`${origin}/__emulator/calls`)).json()) as { count: number }).count;

describe('three gateway processes sharing one Redis', () => {
  it('share one caller budget of 30: 90 one-call reads across them reach PAI about 30 times', async () => {
    await fetch(`${origin}/__emulator/calls`, { method: 'DELETE' });
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 90 }, (_, i) => gql(urls[i % 3]!, { query: `{ model(id: "budget-${i}") { id } }` })));
    const seconds = (performance.now() - started) / 1000;
    const calls = await upstreamCalls();
    const refused = results.filter((r) => r.status === 429 && r.body.errors?.[0]?.extensions?.code === 'RATE_LIMITED');
    // 30 in the bucket, plus at most what it refilled (1 per second) while the reads ran: the
    // bound follows the time they took, so a slow machine cannot fail it. A charge Redis did
    // not answer in time falls back to the replica's own share (10, refilled at 1 per second,
    // by design); on a machine busy enough for that, the bound allows those shares too.
    const refill = Math.ceil(seconds) + 1;
    const budgetErrors = (await Promise.all(urls.map(async (url) => (await (await fetch(url.replace('/graphql', '/metrics'))).text()).match(/^pai_graph_redis_errors_total\{operation="budget"\} (\d+)/m)?.[1] ?? '0'))).map(Number);
    const fallbacks = budgetErrors.filter((n) => n > 0).length;
    expect(calls).toBeGreaterThanOrEqual(30);
    expect(calls).toBeLessThanOrEqual(30 + refill + fallbacks * (10 + refill));
    expect(refused.length).toBe(90 - calls);
    expect(results.filter((r) => r.status === 200).every((r) => r.body.data?.model === null)).toBe(true);
  }, 60_000);

  it('at 20 QPS, 200 concurrent distinct reads across them reach PAI at most 20 times in any second, none throttled', async () => {
    await fetch(`${origin}/__emulator/calls`, { method: 'DELETE' });
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => gql(urls[i % 3]!, { query: `{ model(id: "qps-${i}") { id } }` }, QPS_TOKENS[i % 10])));
    const { calls } = (await (await fetch(`${origin}/__emulator/calls`)).json()) as { calls: { at: number; status: number }[] };
    expect(busiestWindow(calls.map((c) => c.at))).toBeLessThanOrEqual(20);
    expect(calls.filter((c) => c.status === 429)).toHaveLength(0);
    // These models do not exist: PAI's answer is a null model; the rest are told RATE_LIMITED.
    const answered = results.filter((r) => r.status === 200 && r.body.data?.model === null && !r.body.errors);
    const limited = results.filter((r) => r.body.errors?.[0]?.extensions?.code === 'RATE_LIMITED');
    expect(answered.length + limited.length).toBe(200);
    expect(answered.length).toBeGreaterThanOrEqual(190);
  }, 60_000);

  it('run a persisted query registered on one replica by its hash on the others', async () => {
    // The budget of the test above refills at 1 per second; this query costs nothing upstream.
    const query = '{ __typename }';
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const extensions = { persistedQuery: { version: 1, sha256Hash } };
    const unknown = await gql(urls[1]!, { extensions });
    expect(unknown.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const registered = await gql(urls[0]!, { query, extensions });
    expect(registered.body.data).toEqual({ __typename: 'Query' });
    for (const url of urls.slice(1)) expect((await gql(url, { extensions })).body.data).toEqual({ __typename: 'Query' });
  }, 30_000);
});
