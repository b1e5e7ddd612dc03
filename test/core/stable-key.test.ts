import { describe, expect, it } from '@jest/globals';
import { stableKey } from '../../src/core/loaders.js';

/** Loader cache keys and subscription fingerprints (safe-stable-stringify underneath). */
describe('stableKey', () => {
  it('gives equal keys for values equal up to key order, at every depth', () => {
    const a = { query: { ModelName: 'qwen', Domain: 'nlp', Conditions: [{ Column: 'ParameterSize', Value: '10000' }] }, window: { page: 2, size: 20 } };
    const b = { window: { size: 20, page: 2 }, query: { Conditions: [{ Value: '10000', Column: 'ParameterSize' }], Domain: 'nlp', ModelName: 'qwen' } };
    expect(stableKey(a)).toBe(stableKey(b));
    expect(stableKey(a)).toBe('{"query":{"Conditions":[{"Column":"ParameterSize","Value":"10000"}],"Domain":"nlp","ModelName":"qwen"},"window":{"page":2,"size":20}}');
  });

  it('gives different keys for different values, array order included', () => {
    const keys = [{ id: 'a' }, { id: 'b' }, { id: 'a', workspaceId: 'w' }, { ids: ['a', 'b'] }, { ids: ['b', 'a'] }, { id: 1 }, { id: '1' }, { id: null }, {}].map(stableKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('reads values as JSON.stringify does: undefined fields left out, dates as ISO strings, non-finite numbers as null', () => {
    const value = { when: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)), missing: undefined, ratio: Number.NaN, text: 'line\u2028"quoted"\\', list: [undefined, 1] };
    expect(stableKey(value)).toBe(JSON.stringify({ list: [undefined, 1], ratio: Number.NaN, text: value.text, when: value.when }));
  });
});
