import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';

// A lapsed lease is waited for in real time (Redis keeps it): up to 9 s in the takeover test.
jest.setTimeout(60_000);
import type { Redis } from 'ioredis';
import { createLogger } from '../../src/core/logger.js';
import { createRedis } from '../../src/core/redis.js';
import { STARTUP_MS } from '../../src/emulator/pai-dlc.js';
import { manualClock, startHarness, type Harness } from '../helpers/harness.js';
import { startPrivateRedis, type PrivateRedis } from '../helpers/redis.js';
import { manualScheduler } from '../helpers/scheduler.js';
import { subscribe, type Subscription } from '../helpers/subscriptions.js';
import { until } from '../helpers/until.js';

/**
 * Two gateways (replicas) on one Redis and one emulator, subscribers on both: one poll loop per
 * resource for the pair. Each replica's poll timers are moved by hand, so a replica that
 * "dies" is one whose timers never fire again (it stops renewing its lease without giving it up).
 */

const NOW = '2026-06-01T12:00:00Z';
const clock = manualClock(NOW);
const logger = createLogger({ level: 'silent' });
let redis: PrivateRedis;

beforeAll(async () => {
  redis = await startPrivateRedis();
});
afterAll(() => redis.stop());

interface Replica {
  readonly h: Harness;
  readonly scheduler: ReturnType<typeof manualScheduler>;
  readonly redis: Redis;
}

const replicas: Replica[] = [];
const open: Subscription[] = [];

async function replica(from?: Harness, auth?: 'accessKey' | 'bearer'): Promise<Replica> {
  const scheduler = manualScheduler();
  const client = createRedis(redis.url, logger);
  await until(() => client.status === 'ready');
  // SUBSCRIPTION_POLL_MS=3000: a dead holder's lease (three intervals) runs out in 9 s of real
  // time (Redis keeps it), so on a machine busy with the whole suite a live holder's lease never
  // lapses between two hand-moved intervals.
  const h = await startHarness({ clock, ...(from ? { emulator: from.emulator } : {}), ...(auth ? { auth } : {}), subscriptions: { pollMs: 3000, scheduler, redis: client } });
  const r = { h, scheduler, redis: client };
  replicas.push(r);
  return r;
}

beforeEach(() => clock.set(NOW));
afterEach(async () => {
  for (const s of open.splice(0)) s.unsubscribe();
  for (const r of replicas.splice(0)) {
    await r.h.close().catch(() => undefined);
    r.redis.disconnect();
  }
});

const TENSORBOARD = `subscription($id: ID!) { tensorboardChanged(id: $id) { id status } }`;
const watch = (r: Replica, id: string) => {
  const s = subscribe(r.h.wsUrl, TENSORBOARD, { id });
  open.push(s);
  return s;
};
const reads = (r: Replica) => r.h.actions().filter((a) => a === 'GetTensorboard').length;

/** One interval on the given replicas: fires their poll timers and waits until each has set its next one. */
async function interval(...rs: Replica[]): Promise<void> {
  const counts = rs.map((r) => r.scheduler.tick());
  await until(() => rs.every((r, i) => r.scheduler.pending >= counts[i]!));
}

async function createTensorboard(r: Replica): Promise<string> {
  const res = await r.h.gql(`mutation { createTensorboard(input: { displayName: "shared", jobId: "dlc-shared-1" }) { tensorboard { id } } }`);
  expect(res.body.errors).toBeUndefined();
  r.h.resetCalls();
  return res.body.data!.createTensorboard.tensorboard.id;
}

/**
 * A new TensorBoard watched on A (which takes the lease and reads it), then on B, which reads
 * A's state from Redis: one upstream read for both.
 */
async function watchedFromBoth(a: Replica, b: Replica): Promise<{ id: string; onA: Subscription; onB: Subscription }> {
  const id = await createTensorboard(a);
  const onA = watch(a, id);
  await until(() => onA.results.length === 1);
  const onB = watch(b, id);
  await until(() => onB.results.length === 1);
  expect(reads(a)).toBe(1);
  return { id, onA, onB };
}

describe('subscriptions on several replicas sharing Redis', () => {
  it('poll each resource once per interval in total, and every replica\'s subscribers receive each change', async () => {
    const a = await replica();
    const b = await replica(a.h);
    const id = await createTensorboard(a);
    const subscribers = [watch(a, id), watch(b, id), watch(a, id), watch(b, id)];
    await until(() => subscribers.every((s) => s.results.length === 1));
    expect(subscribers.map((s) => s.results[0]!.data!.tensorboardChanged.status)).toEqual(['CREATING', 'CREATING', 'CREATING', 'CREATING']);
    // Both replicas share the one emulator: its calls are the pair's calls.
    expect(reads(a)).toBe(1);

    for (let n = 2; n <= 4; n += 1) {
      await interval(a, b);
      expect(reads(a)).toBe(n);
    }

    clock.advance(STARTUP_MS);
    await interval(a, b);
    await until(() => subscribers.every((s) => s.results.length === 2));
    expect(subscribers.map((s) => s.results[1]!.data!.tensorboardChanged.status)).toEqual(['RUNNING', 'RUNNING', 'RUNNING', 'RUNNING']);
    expect(reads(a)).toBe(5);
  });

  it('keeps gateways with different upstream credentials apart: each polls for its own subscribers', async () => {
    const a = await replica();
    const b = await replica(a.h, 'bearer');
    const id = await createTensorboard(a);
    const subscribers = [watch(a, id), watch(b, id)];
    await until(() => subscribers.every((s) => s.results.length === 1));
    expect(reads(a)).toBe(2);
    // A loop arms its next poll after sharing the state it sent: wait for both before moving time.
    await until(() => a.scheduler.pending === 1 && b.scheduler.pending === 1);
    await interval(a, b);
    expect(reads(a)).toBe(4);
    const keys = await a.redis.keys('pai-graph:feed:*');
    expect(keys.filter((k) => k.endsWith(':lease'))).toHaveLength(2);
    expect(keys.every((k) => !k.includes(id) || /^pai-graph:feed:\{[0-9a-f]{24}:tensorboard:/.test(k))).toBe(true);
  });

  it('has another replica take over within a few intervals when the holder dies', async () => {
    const a = await replica();
    const b = await replica(a.h);
    const { onA, onB } = await watchedFromBoth(a, b);

    // A stops renewing (its timers never fire again); B asks each interval until the lease is free.
    let intervals = 0;
    while (reads(a) === 1) {
      await interval(b);
      intervals += 1;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(reads(a)).toBe(2);
    expect(intervals).toBeGreaterThan(1);

    clock.advance(STARTUP_MS);
    await interval(b);
    await until(() => onB.results.length === 2);
    expect(onB.results[1]!.data!.tensorboardChanged.status).toBe('RUNNING');
    // A's subscribers hear the new holder too.
    await until(() => onA.results.length === 2);
    expect(reads(a)).toBe(3);
  });

  it('hands the poll over at once when the holder shuts down', async () => {
    // B owns the emulator, so A can shut down alone.
    const b = await replica();
    const a = await replica(b.h);
    const { onA } = await watchedFromBoth(a, b);

    await a.h.close();
    await until(() => onA.closes.length > 0);
    expect(onA.closes[0]!.code).toBe(1001);
    // A gave its lease up: B's next interval polls.
    await interval(b);
    expect(reads(b)).toBe(2);
  });
});
