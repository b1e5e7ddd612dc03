import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { DATE_TIME_MEMO_SIZE, DateTimeScalar, JSON_MAX_BYTES, JSON_MAX_DEPTH, jsonLimitBroken } from '../src/core/scalars.js';
import { startHarness, type Harness } from './helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => h.resetCalls());

const THREE_BILLION = 3_000_000_000;
const LONG_RULE = 'must be a whole number from -9007199254740991 to 9007199254740991';

/** A value nested `levels` objects deep, as JSON text: JSON.stringify itself overflows on deep values. */
const deepJson = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
/** A value nested `levels` objects deep. */
const deepValue = (levels: number): unknown => JSON.parse(deepJson(levels));

/** POSTs a body that is already JSON text. */
async function postRaw(body: string) {
  const res = await fetch(h.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } };
}

const CREATE_WITH_EXTRA_INFO = 'mutation($info: JSON) { createModel(input: { name: "json-limits", extraInfo: $info }) { model { id } } }';

describe('Long: PAI’s int64 fields', () => {
  it('round-trips 3,000,000,000 parameters and sort key through createModel as JSON numbers', async () => {
    const r = await h.gql(`mutation { createModel(input: { name: "three-billion", parameterSize: ${THREE_BILLION}, orderNumber: ${THREE_BILLION} }) { model { id parameterSize orderNumber } } }`);
    expect(r.result.errors).toBeUndefined();
    expect(r.result.data!.createModel.model).toMatchObject({ parameterSize: THREE_BILLION, orderNumber: THREE_BILLION });
    expect(r.text).toContain(`"parameterSize":${THREE_BILLION}`);
    expect(JSON.parse(h.emulator.callsOf('CreateModel')[0]!.body)).toMatchObject({ ParameterSize: THREE_BILLION, OrderNumber: THREE_BILLION });
    expect(h.actions()).toEqual(['CreateModel', 'GetModel']);

    h.resetCalls();
    const read = await h.gql(`query($id: ID!) { model(id: $id) { parameterSize orderNumber } }`, { id: r.result.data!.createModel.model.id });
    expect(read.result).toEqual({ data: { model: { parameterSize: THREE_BILLION, orderNumber: THREE_BILLION } } });
    expect(h.actions()).toEqual(['GetModel']);
  });

  it('round-trips the largest safe integer through updateModel from variables', async () => {
    const created = await h.gql(`mutation { createModel(input: { name: "to-update" }) { model { id } } }`);
    const id = created.result.data!.createModel.model.id;
    h.resetCalls();
    const r = await h.gql(`mutation($input: UpdateModelInput!) { updateModel(input: $input) { model { parameterSize orderNumber } } }`, {
      input: { id, parameterSize: Number.MAX_SAFE_INTEGER, orderNumber: -THREE_BILLION },
    });
    expect(r.result).toEqual({ data: { updateModel: { model: { parameterSize: Number.MAX_SAFE_INTEGER, orderNumber: -THREE_BILLION } } } });
    expect(JSON.parse(h.emulator.callsOf('UpdateModel')[0]!.body)).toEqual({ ParameterSize: Number.MAX_SAFE_INTEGER, OrderNumber: -THREE_BILLION });
    expect(h.actions()).toEqual(['UpdateModel', 'GetModel']);
  });

  it('reads int64 TensorBoard sizes of 3,000,000,000 that PAI returns, and sends int64 inputs as numbers', async () => {
    const list = await h.gql(`{ tensorboards(first: 1) { nodes { id } } }`);
    const id = list.result.data!.tensorboards.nodes[0].id;
    const stored = h.emulator.store.tensorboards.get(id)!;
    stored.Cpu = THREE_BILLION;
    stored.Memory = THREE_BILLION;
    h.resetCalls();
    // Inputs have the gateway's ranges (at most 43200 minutes); outputs carry whatever PAI stores.
    const r = await h.gql(`mutation($id: ID!) { updateTensorboard(input: { id: $id, maxRunningTimeMinutes: 43200 }) { tensorboard { cpu memory maxRunningTimeMinutes } } }`, { id });
    expect(r.result).toEqual({ data: { updateTensorboard: { tensorboard: { cpu: THREE_BILLION, memory: THREE_BILLION, maxRunningTimeMinutes: 43200 } } } });
    expect(new URLSearchParams(h.emulator.callsOf('UpdateTensorboard')[0]!.query).get('MaxRunningTimeMinutes')).toBe('43200');
    expect(h.actions()).toEqual(['UpdateTensorboard', 'GetTensorboard']);
  });

  it.each([
    ['a number beyond 2^53 - 1', 2 ** 53],
    ['a fraction', 1.5],
    ['a string', '3000000000'],
  ])('refuses %s in a variable with BAD_USER_INPUT naming the field and the rule, before any upstream call', async (_what, value) => {
    const r = await h.gql(`mutation($input: CreateModelInput!) { createModel(input: $input) { model { id } } }`, { input: { name: 'unsafe', parameterSize: value } });
    expect(r.status).toBe(400);
    expect(r.result.data).toBeUndefined();
    expect(r.result.errors).toHaveLength(1);
    expect(r.result.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: LONG_RULE });
    expect(r.result.errors![0]!.message).toContain('at "input.parameterSize"');
    expect(r.result.errors![0]!.message).toContain(LONG_RULE);
    expect(h.actions()).toEqual([]);
  });

  it.each([['9007199254740993'], ['1.5'], ['"12"']])('refuses the literal %s before execution, naming the rule', async (literal) => {
    const r = await h.gql(`mutation { createModel(input: { name: "unsafe", orderNumber: ${literal} }) { model { id } } }`);
    expect(r.status).toBe(400);
    expect(r.result.errors).toHaveLength(1);
    expect(r.result.errors![0]).toMatchObject({ message: expect.stringContaining(LONG_RULE), extensions: { code: 'GRAPHQL_VALIDATION_FAILED', rule: LONG_RULE } });
    expect(h.actions()).toEqual([]);
  });

  it('refuses an int64 PAI sends beyond what JSON clients hold exactly as UPSTREAM_CONTRACT naming the field', async () => {
    const list = await h.gql(`{ models(first: 1) { nodes { id } } }`);
    const id = list.result.data!.models.nodes[0].id;
    const stored = h.emulator.store.models.get(id)!;
    const kept = stored.ParameterSize;
    stored.ParameterSize = 2 ** 60;
    h.resetCalls();
    const r = await h.gql(`query($id: ID!) { model(id: $id) { id parameterSize } }`, { id });
    stored.ParameterSize = kept;
    expect(r.result.data).toEqual({ model: null });
    expect(r.result.errors).toHaveLength(1);
    expect(r.result.errors![0]).toMatchObject({ path: ['model'], message: expect.stringContaining('field ParameterSize'), extensions: { code: 'UPSTREAM_CONTRACT' } });
    expect(h.actions()).toEqual(['GetModel']);
  });
});

describe('JSON: depth and size limits', () => {
  it('measures a value exactly as JSON.stringify serialises it, in UTF-8 bytes', () => {
    const samples: unknown[] = [
      null,
      true,
      0,
      -12.5e-7,
      '',
      'plain',
      'quote " backslash \\ newline \n tab \t control \u0001 emoji 😀 chinese 模型',
      [],
      {},
      [1, 'two', [3, { four: 4 }], null, false],
      { a: { b: { c: [1, 2, { 'key with "quotes"': '值' }] } }, e: [], f: {} },
    ];
    for (const value of samples) {
      const overhead = Buffer.byteLength(JSON.stringify({ pad: '', value }), 'utf8');
      const padded = { pad: 'x'.repeat(JSON_MAX_BYTES - overhead), value };
      expect([value, jsonLimitBroken(padded)]).toEqual([value, undefined]);
      expect(Buffer.byteLength(JSON.stringify(padded), 'utf8')).toBe(JSON_MAX_BYTES);
      const over = { ...padded, pad: `${padded.pad}x` };
      expect([value, jsonLimitBroken(over)]).toEqual([value, `must be at most ${JSON_MAX_BYTES} bytes when serialised as JSON`]);
    }
  });

  it('accepts 32 levels, refuses 33, and checks 1,000,000 levels without overflowing the stack', () => {
    expect(jsonLimitBroken(deepValue(JSON_MAX_DEPTH))).toBeUndefined();
    expect(jsonLimitBroken([[[[]]]])).toBeUndefined();
    expect(jsonLimitBroken(deepValue(JSON_MAX_DEPTH + 1))).toBe('must be nested at most 32 levels deep');
    let deep: unknown = 1;
    for (let i = 0; i < 1_000_000; i += 1) deep = [deep];
    expect(jsonLimitBroken(deep)).toBe('must be nested at most 32 levels deep');
  });

  it('accepts a variable at the limits and sends it upstream unchanged', async () => {
    const info = { nested: deepValue(JSON_MAX_DEPTH - 1), text: 'x'.repeat(60_000) };
    const r = await h.gql(CREATE_WITH_EXTRA_INFO, { info });
    expect(r.result.errors).toBeUndefined();
    expect(JSON.parse(h.emulator.callsOf('CreateModel')[0]!.body).ExtraInfo).toEqual(info);
    expect(h.actions()).toEqual(['CreateModel', 'GetModel']);
  });

  it.each([
    ['nested 33 levels deep', deepJson(JSON_MAX_DEPTH + 1), 'must be nested at most 32 levels deep'],
    ['nested 1,000 levels deep', deepJson(1000), 'must be nested at most 32 levels deep'],
    ['of 70,000 bytes', JSON.stringify({ text: 'x'.repeat(70_000) }), `must be at most ${JSON_MAX_BYTES} bytes when serialised as JSON`],
  ])('refuses a variable %s with BAD_USER_INPUT naming the variable and the rule, before any upstream call', async (_what, json, rule) => {
    const r = await postRaw(`{"query":${JSON.stringify(CREATE_WITH_EXTRA_INFO)},"variables":{"info":${json}}}`);
    expect(r.status).toBe(400);
    expect(r.body.data).toBeUndefined();
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule });
    expect(r.body.errors![0]!.message).toMatch(new RegExp(`^Variable "\\$info" got invalid value .*; JSON value ${rule}`));
    expect(h.actions()).toEqual([]);
  });

  it('refuses a JSON variable deep inside an input object, naming its path', async () => {
    const r = await postRaw(
      `{"query":"mutation($input: CreateModelInput!) { createModel(input: $input) { model { id } } }","variables":{"input":{"name":"deep","extraInfo":${deepJson(100)}}}}`,
    );
    expect(r.status).toBe(400);
    expect(r.body.errors![0]!.message).toContain('at "input.extraInfo"; JSON value must be nested at most 32 levels deep');
    expect(h.actions()).toEqual([]);
  });

  it.each([
    ['nested 40 levels deep', `${'{ a: '.repeat(40)}1${' }'.repeat(40)}`, 'must be nested at most 32 levels deep'],
    ['of 70,000 bytes', `{ text: "${'x'.repeat(70_000)}" }`, `must be at most ${JSON_MAX_BYTES} bytes when serialised as JSON`],
    ['holding a variable', '{ wrapped: $inner }', 'must not contain variables: send the whole JSON value as one variable'],
  ])('refuses a literal %s before execution, naming the rule', async (_what, literal, rule) => {
    const declare = literal.includes('$inner') ? '($inner: JSON)' : '';
    const r = await h.gql(`mutation${declare} { createModel(input: { name: "json-literal", extraInfo: ${literal} }) { model { id } } }`, { inner: { a: 1 } });
    expect(r.status).toBe(400);
    expect(r.result.errors).toHaveLength(1);
    expect(r.result.errors![0]).toMatchObject({ message: `JSON value ${rule} (see the JSON scalar's description).`, extensions: { code: 'GRAPHQL_VALIDATION_FAILED', rule } });
    expect(h.actions()).toEqual([]);
  });

  it('accepts a literal within the limits', async () => {
    const r = await h.gql(`mutation { createModel(input: { name: "json-literal-ok", extraInfo: { list: [1, 2.5, "three", true, null, { four: [] }] } }) { model { extraInfo } } }`);
    expect(r.result).toEqual({ data: { createModel: { model: { extraInfo: { list: [1, 2.5, 'three', true, null, { four: [] }] } } } } });
    expect(h.actions()).toEqual(['CreateModel', 'GetModel']);
  });

  // The secret-redaction plugin walks the variables of every failed request: deeper than the
  // call stack, that walk must not crash the 400 that refuses them.
  it('refuses a variable nested 100,000 levels deep with a 400, never a 5xx', async () => {
    const r = await postRaw(`{"query":${JSON.stringify(CREATE_WITH_EXTRA_INFO)},"variables":{"info":${deepJson(100_000)}}}`);
    expect(r.status).toBe(400);
    expect(r.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'must be nested at most 32 levels deep' });
    expect(h.actions()).toEqual([]);
  });
});

describe('DateTime: upstream timestamps', () => {
  it('serialises each spelling PAI may send as the canonical UTC form, the same the second time (remembered)', () => {
    const cases: [string, string][] = [
      ['2021-01-21T17:12:35.232Z', '2021-01-21T17:12:35.232Z'],
      ['2021-01-21T17:12:35Z', '2021-01-21T17:12:35.000Z'],
      ['2021-01-21T17:12:35+08:00', '2021-01-21T09:12:35.000Z'],
      ['2021-01-21T17:12:35.123456Z', '2021-01-21T17:12:35.123Z'],
    ];
    for (let round = 0; round < 2; round += 1) for (const [upstream, canonical] of cases) expect(DateTimeScalar.serialize(upstream)).toBe(canonical);
    expect(DateTimeScalar.serialize(new Date(Date.UTC(2026, 0, 2)))).toEqual(new Date(Date.UTC(2026, 0, 2)));
  });

  it('refuses a string that is not a date-time every time, remembering nothing for it', () => {
    for (let round = 0; round < 2; round += 1) {
      expect(() => DateTimeScalar.serialize('2021-02-30T00:00:00.000Z')).toThrow('DateTime cannot represent an invalid date-time-string');
      expect(() => DateTimeScalar.serialize('yesterday')).toThrow('DateTime cannot represent an invalid date-time-string');
    }
  });

  it('stays correct past the memo size: more distinct timestamps than it keeps still serialise exactly', () => {
    const start = Date.UTC(2020, 0, 1);
    for (let i = 0; i < DATE_TIME_MEMO_SIZE * 2 + 10; i += 1) {
      const iso = new Date(start + i * 1000).toISOString();
      expect(DateTimeScalar.serialize(iso.replace('.000Z', 'Z'))).toBe(iso);
    }
  });
});
