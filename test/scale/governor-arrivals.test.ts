import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { UpstreamError } from '../../src/core/errors.js';
import { ModelOps } from '../../src/models/models.api.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { busiestWindow } from '../helpers/windows.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ qpsLimits: '*=10', deadlineMs: 60_000, timeoutMs: 20_000 });
});
afterAll(() => h.close());

describe('one process at 10 QPS', () => {
  it('three bursts of 50 distinct reads never reach PAI more than 10 times in any second', async () => {
    const outcomes: Promise<unknown>[] = [];
    for (let burst = 0; burst < 3; burst += 1) {
      for (let i = 0; i < 50; i += 1) {
        outcomes.push(h.upstream.call(ModelOps.GetModel, { path: { ModelId: `burst-${burst}-${i}` } }, { deadline: Date.now() + 8000 }).catch((err: unknown) => err));
      }
      await new Promise((r) => setTimeout(r, 700));
    }
    const settled = await Promise.all(outcomes);
    const arrivals = h.emulator.calls.filter((c) => c.action === 'GetModel').map((c) => c.at);
    expect(busiestWindow(arrivals)).toBeLessThanOrEqual(10);
    expect(h.emulator.calls.filter((c) => c.status === 429 || c.status === 400 && c.action === 'Throttling')).toHaveLength(0);
    // Every call reached PAI (a 404: these models do not exist) or was told RATE_LIMITED; on a
    // busy machine a call let go just before its deadline may time out instead.
    const codes = settled.map((s) => (s instanceof UpstreamError ? s.code : 'ok'));
    expect(codes.filter((c) => c !== 'NOT_FOUND' && c !== 'RATE_LIMITED' && c !== 'UPSTREAM_TIMEOUT')).toEqual([]);
    expect(arrivals.length).toBeGreaterThanOrEqual(60);
  }, 60_000);
});
