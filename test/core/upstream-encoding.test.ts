import { describe, expect, it } from '@jest/globals';
import { buildForm, buildPath, buildQuery, encodeBody, encodePathParam, encodeQuery, percentEncode, sdkOrder, sortByKey, sortTexts } from '../../src/core/upstream/encoding.js';
import { regionOfOrigin } from '../../src/core/upstream/products.js';
import { readRetryAfterMs } from '../../src/core/upstream/errors.js';

describe('upstream request encoding', () => {
  it('percent-encodes path parameters as the official SDK does', () => {
    expect(encodePathParam('model-abc')).toBe('model-abc');
    expect(encodePathParam('a b*c~d')).toBe('a%20b%2Ac~d');
    expect(encodePathParam('情感')).toBe('%E6%83%85%E6%84%9F');
    expect(buildPath('/api/v1/models/{ModelId}/versions/{VersionName}', { ModelId: 'model-1', VersionName: '2.3.4_beta' })).toBe('/api/v1/models/model-1/versions/2.3.4_beta');
    expect(() => buildPath('/api/v1/models/{ModelId}', {})).toThrow('missing path parameter ModelId');
  });

  it('encodes the wire query like Node querystring (as the SDK sends it), arrays as one JSON value, and drops unset ones', () => {
    expect(percentEncode("a!'()*b")).toBe('a%21%27%28%29%2Ab');
    expect(buildQuery({ Query: "a!'()*b c~" })).toBe("Query=a!'()*b%20c~");
    expect(buildQuery({ ModelName: '情感分析', PageSize: 10, Empty: undefined, Null: null, Tag: [{ Key: 'k', Value: 'v w' }] })).toBe(
      'ModelName=%E6%83%85%E6%84%9F%E5%88%86%E6%9E%90&PageSize=10&Tag=%5B%7B%22Key%22%3A%22k%22%2C%22Value%22%3A%22v%20w%22%7D%5D',
    );
  });

  it('orders typed fields alphabetically at every level, like the SDK, but keeps free-form maps as given', () => {
    const ordered = sdkOrder({ ModelName: 'm', Labels: [{ Value: 'v', Key: 'k' }], ExtraInfo: { z: 1, a: { y: 2, b: 3 } }, Accessibility: 'PUBLIC' }, new Set(['ExtraInfo']));
    expect(JSON.stringify(ordered)).toBe('{"Accessibility":"PUBLIC","ExtraInfo":{"z":1,"a":{"y":2,"b":3}},"Labels":[{"Key":"k","Value":"v"}],"ModelName":"m"}');
  });

  it('writes form bodies like Node querystring, objects as JSON strings', () => {
    expect(buildForm({ AlgorithmName: 'llm train', AlgorithmSpec: { Image: 'img:1' }, Skip: undefined })).toBe('AlgorithmName=llm%20train&AlgorithmSpec=%7B%22Image%22%3A%22img%3A1%22%7D');
  });

  it('sends a raw body as the caller wrote it, byte for byte, and refuses to mix the kinds', () => {
    const config = '{"name":"svc","metadata":{"instance":1},"processor":"pytorch_gpu_1.10","b":2,"a":"中文"}';
    expect(encodeBody('raw', config, new Set())).toBe(config);
    expect(encodeBody('json', { b: 1, a: 2 }, new Set())).toBe('{"a":2,"b":1}');
    expect(() => encodeBody('raw', { name: 'svc' }, new Set())).toThrow(TypeError);
    expect(() => encodeBody('json', config, new Set())).toThrow(TypeError);
  });

  it('reads the region an Alibaba Cloud endpoint names, and none from other hosts', () => {
    expect(regionOfOrigin('https://pai-eas.cn-shanghai.aliyuncs.com')).toBe('cn-shanghai');
    expect(regionOfOrigin('https://pai-eas-manage-vpc.ap-southeast-1.aliyuncs.com')).toBe('ap-southeast-1');
    expect(regionOfOrigin('https://paillmtrace.aliyuncs.com')).toBeUndefined();
    expect(regionOfOrigin('http://127.0.0.1:4010')).toBeUndefined();
    expect(regionOfOrigin('not a url')).toBeUndefined();
  });

  it('reads x-acs-retry-after as milliseconds and Retry-After as seconds or a date', () => {
    expect(readRetryAfterMs(new Headers({ 'x-acs-retry-after': '1500' }))).toBe(1500);
    expect(readRetryAfterMs(new Headers({ 'retry-after': '3' }))).toBe(3000);
    expect(readRetryAfterMs(new Headers({ 'retry-after': new Date(10_000).toUTCString() }), 4_000)).toBe(6000);
    expect(readRetryAfterMs(new Headers({ 'x-acs-retry-after': 'soon' }))).toBeUndefined();
    expect(readRetryAfterMs(new Headers())).toBeUndefined();
  });
});

describe('encodeQuery', () => {
  it('is buildQuery over sdkOrder, in one pass: sorted keys, unset values left out, nested values ordered unless opaque', () => {
    const opaque = new Set(['ExtraInfo']);
    const queries = [
      undefined,
      {},
      { PageSize: 20, PageNumber: 1 },
      { ModelName: '情感分析 x', PageSize: 10, Empty: undefined, Null: null, Flag: false, Tag: [{ Value: 'v w', Key: 'k' }] },
      { Query: "a!'()*b c~", ExtraInfo: { z: 1, a: { y: 2, b: 3 } }, Conditions: { z: 1, a: { y: 2, b: 3 } } },
    ];
    for (const query of queries) expect(encodeQuery(query, opaque)).toBe(buildQuery(sdkOrder(query ?? {}, opaque)));
    expect(encodeQuery({ PageSize: 20, PageNumber: 1 }, opaque)).toBe('PageNumber=1&PageSize=20');
  });
});

describe('sortByKey / sortTexts', () => {
  it('orders as Array.prototype.sort does (UTF-16 code units), stably, at every length', () => {
    const alphabet = ['a', 'B', 'b', 'Z', 'x-acs-date', 'x-acs-action', 'é', '中', '😀', '', 'PageSize', 'PageNumber', 'a1', 'a10', 'a2'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (const length of [0, 1, 2, 3, 8, 32, 33, 100]) {
      const texts = Array.from({ length }, () => alphabet[next() % alphabet.length]!);
      expect(sortTexts([...texts])).toEqual([...texts].sort());
      const pairs = texts.map((t, i) => [t, String(i)] as [string, string]);
      // Stable: equal names keep their order, as the built-in sort keeps it.
      expect(sortByKey([...pairs], (p) => p[0])).toEqual([...pairs].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0)));
    }
  });
});
