import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { ErrorCode, UpstreamError } from '../../src/core/errors.js';
import { createLogger } from '../../src/core/logger.js';
import { createRedis } from '../../src/core/redis.js';
import { createSharedRateLog } from '../../src/core/upstream/rate-log.js';
import { ModelOps } from '../../src/models/models.api.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { startPrivateRedis, type PrivateRedis } from '../helpers/redis.js';
import { until } from '../helpers/until.js';
import { busiestWindow } from '../helpers/windows.js';

/**
 * Three replicas (three gateways with their own Redis connections over one emulator, as
 * three processes would be) sharing one QPS limit through a private Redis. Nothing here
 * asserts a time: only arrivals per window on the emulator's clock, and who reached it.
 */

let redis: PrivateRedis;
let connections: Redis[];
let replicas: Harness[];

beforeAll(async () => {
  redis = await startPrivateRedis();
  const silent = createLogger({ level: 'silent' });
  connections = [0, 1, 2].map(() => createRedis(redis.url, silent));
  await until(() => connections.every((c) => c.status === 'ready'));
  const first = await startHarness({ qpsLimits: '*=20', deadlineMs: 60_000, timeoutMs: 20_000, rateLog: createSharedRateLog({ redis: connections[0]!, replicas: 3 }) });
  replicas = [first];
  for (const c of connections.slice(1)) {
    replicas.push(await startHarness({ qpsLimits: '*=20', deadlineMs: 60_000, timeoutMs: 20_000, emulator: first.emulator, rateLog: createSharedRateLog({ redis: c, replicas: 3 }) }));
  }
});
afterAll(async () => {
  for (const r of [...replicas].reverse()) await r.close();
  for (const c of connections) c.disconnect();
  await redis.stop();
});

const emulator = () => replicas[0]!.emulator;
const read = (r: Harness, id: string, deadlineMs: number) =>
  r.upstream.call(ModelOps.GetModel, { path: { ModelId: id } }, { deadline: Date.now() + deadlineMs }).then(
    () => 'ok',
    (err: unknown) => (err instanceof UpstreamError ? err.code : String(err)),
  );

describe('three replicas at 20 QPS sharing Redis', () => {
  it('200 concurrent distinct reads across them reach PAI at most 20 times in any second, none throttled', async () => {
    emulator().calls.length = 0;
    const outcomes = await Promise.all(Array.from({ length: 200 }, (_, i) => read(replicas[i % 3]!, `spread-${i}`, 14_000)));
    const arrivals = emulator().calls.filter((c) => c.action === 'GetModel');
    expect(busiestWindow(arrivals.map((c) => c.at))).toBeLessThanOrEqual(20);
    expect(arrivals.filter((c) => c.status === 429)).toHaveLength(0);
    // These models do not exist: an answer from PAI is NOT_FOUND; the rest were told to come back.
    expect(outcomes.filter((o) => o !== ErrorCode.NOT_FOUND && o !== ErrorCode.RATE_LIMITED)).toEqual([]);
    expect(outcomes.filter((o) => o === ErrorCode.NOT_FOUND).length).toBeGreaterThanOrEqual(190);
  }, 60_000);

  it('a throttling answer one replica sees holds the action on the others', async () => {
    emulator().calls.length = 0;
    emulator().faults.add({ action: 'ListModelVersions', status: 429, retryAfterMs: 5000, times: 1 });
    const first = replicas[0]!.upstream.call(ModelOps.ListModelVersions, { path: { ModelId: 'held-1' }, query: { PageNumber: 1, PageSize: 1 } }, { deadline: Date.now() + 30_000 }).catch((e: unknown) => e);
    await until(() => emulator().calls.some((c) => c.status === 429));
    // Give the pause its round trip to Redis: the next call on another replica reads it there.
    await until(() => replicas.slice(1).every((r) => r.upstream.governor.snapshot().length >= 0));
    await new Promise((r) => setTimeout(r, 50));
    const others = await Promise.all(
      replicas.slice(1).map((r, i) => r.upstream.call(ModelOps.ListModelVersions, { path: { ModelId: `held-${i + 2}` }, query: { PageNumber: 1, PageSize: 1 } }, { deadline: Date.now() + 2000 }).catch((e: unknown) => e)),
    );
    for (const o of others) {
      expect(o).toBeInstanceOf(UpstreamError);
      expect((o as UpstreamError).code).toBe(ErrorCode.RATE_LIMITED);
      expect((o as UpstreamError).message).toMatch(/asked to hold ListModelVersions/);
    }
    expect(emulator().calls.filter((c) => c.action === 'ListModelVersions').map((c) => c.path)).toEqual(['/api/v1/models/held-1/versions']);
    await first;
  }, 60_000);

  it('with Redis gone each replica keeps to its share and answers; /readyz says degraded, then recovers', async () => {
    await redis.stop();
    await until(() => connections.every((c) => c.status !== 'ready'));
    emulator().calls.length = 0;
    const outcomes = await Promise.all(Array.from({ length: 60 }, (_, i) => read(replicas[i % 3]!, `down-${i}`, 20_000)));
    expect(outcomes.filter((o) => o !== ErrorCode.NOT_FOUND)).toEqual([]);
    // Each replica's share is 20 / 3 = 6: together never more than 18, within the account's 20.
    expect(busiestWindow(emulator().calls.map((c) => c.at))).toBeLessThanOrEqual(18);
    const degraded = await (await fetch(replicas[0]!.url.replace('/graphql', '/readyz'))).json();
    expect(degraded).toMatchObject({ status: 'ready', redis: 'degraded' });

    await redis.start();
    await until(() => connections.every((c) => c.status === 'ready'));
    await read(replicas[0]!, 'back-1', 5000);
    expect(replicas[0]!.upstream.governor.mode).toBe('shared');
    const healthy = await (await fetch(replicas[0]!.url.replace('/graphql', '/readyz'))).json();
    expect(healthy).toMatchObject({ status: 'ready', redis: 'ok' });
  }, 60_000);
});
