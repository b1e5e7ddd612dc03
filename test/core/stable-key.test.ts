import { describe, expect, it } from '@jest/globals';
import { listKey, stableKey } from '../../src/core/loaders.js';

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

describe('listKey', () => {
  const window = { start: 20, count: 10 };

  it('gives equal keys for equal list reads, whatever the order of their query fields or the fields left undefined', () => {
    expect(listKey('model-1', { Label: 'a', Order: 'asc' }, window)).toBe(listKey('model-1', { Order: 'asc', Label: 'a', SortBy: undefined }, { count: 10, start: 20 }));
    expect(listKey('', {}, window)).toBe(listKey('', undefined, window));
    expect(listKey('', { Label: undefined }, window)).toBe(listKey('', {}, window));
  });

  it('gives different keys when the owner, the window or the query differ', () => {
    const keys = [
      listKey('', {}, window),
      listKey('model-1', {}, window),
      listKey('model-2', {}, window),
      listKey('model-1', {}, { start: 20, count: 11 }),
      listKey('model-1', {}, { start: 21, count: 10 }),
      listKey('model-1', {}, { start: 20, count: 10, fromEnd: true }),
      listKey('model-1', { Label: 'a' }, window),
      listKey('model-1', { Label: 'b' }, window),
      listKey('model-1', { Label: ['a', 'b'] }, window),
      listKey('model-1', { Label: ['b', 'a'] }, window),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });
});
