import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startHarness, type Harness } from './helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => h.resetCalls());

const THREE_BILLION = 3_000_000_000;
const LONG_RULE = 'must be a whole number from -9007199254740991 to 9007199254740991';

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

  it('round-trips 3,000,000,000 minutes through updateTensorboard and lists int64 TensorBoard sizes', async () => {
    const list = await h.gql(`{ tensorboards(first: 1) { nodes { id } } }`);
    const id = list.result.data!.tensorboards.nodes[0].id;
    const stored = h.emulator.store.tensorboards.get(id)!;
    stored.Cpu = THREE_BILLION;
    stored.Memory = THREE_BILLION;
    h.resetCalls();
    const r = await h.gql(`mutation($id: ID!) { updateTensorboard(input: { id: $id, maxRunningTimeMinutes: ${THREE_BILLION} }) { tensorboard { cpu memory maxRunningTimeMinutes } } }`, { id });
    expect(r.result).toEqual({ data: { updateTensorboard: { tensorboard: { cpu: THREE_BILLION, memory: THREE_BILLION, maxRunningTimeMinutes: THREE_BILLION } } } });
    expect(new URLSearchParams(h.emulator.callsOf('UpdateTensorboard')[0]!.query).get('MaxRunningTimeMinutes')).toBe(String(THREE_BILLION));
    expect(h.actions()).toEqual(['UpdateTensorboard', 'GetTensorboard']);
  });

  it.each([
    ['a number beyond 2^53', 9007199254740993],
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
