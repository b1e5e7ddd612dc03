import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { serverAudits } from 'graphql-http';
import { startHarness, type Harness } from './helpers/harness.js';

/**
 * The GraphQL-over-HTTP spec's own server audits (graphql-http), run against the gateway:
 * every MUST holds. SHOULD and MAY results are reported in the test name only.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const audits = serverAudits({ url: () => h.url, fetchFn: fetch });

describe('GraphQL over HTTP audits', () => {
  it.each(audits.filter((a) => a.name.startsWith('MUST')).map((a) => [`${a.id} ${a.name}`, a] as const))('%s', async (_name, audit) => {
    const result = await audit.fn();
    expect({ status: result.status, reason: result.status === 'ok' ? undefined : result.reason }).toEqual({ status: 'ok', reason: undefined });
  });

  it('makes no upstream call across all audits', () => {
    expect(h.emulator.calls).toHaveLength(0);
  });
});
