import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  astFromValue,
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  graphql,
  isInputObjectType,
  isNonNullType,
  isObjectType,
  Kind,
  parse,
  print,
  type GraphQLArgument,
  type GraphQLInputField,
  type IntrospectionQuery,
} from 'graphql';
import { createSchema } from '../src/schema.js';
import { startHarness, type Harness } from './helpers/harness.js';

/** Every option of the introspection query, as Sandbox and codegen ask for the schema. */
const FULL_INTROSPECTION = getIntrospectionQuery({
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
  oneOf: true,
});

let h: Harness;
beforeAll(async () => {
  // The default document limits (depth 12): Sandbox and codegen must introspect within them.
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => h.resetCalls());
afterEach(() => {
  h.emulator.faults.clear();
  h.resetUpstream();
});

describe('root fields are nullable, so one failure does not wipe the response', () => {
  it('makes every root connection and every mutation payload nullable and keeps the items’ own fields non-null', () => {
    const schema = createSchema();
    const queryFields = Object.values(schema.getQueryType()!.getFields()).filter((f) => getNamedType(f.type).name.endsWith('Connection'));
    expect(queryFields.map((f) => f.name).sort()).toEqual(['algorithms', 'evalTasks', 'models', 'services', 'tensorboards']);
    expect(queryFields.filter((f) => isNonNullType(f.type)).map((f) => f.name)).toEqual([]);
    const mutations = Object.values(schema.getMutationType()!.getFields());
    expect(mutations.length).toBeGreaterThanOrEqual(25);
    expect(mutations.filter((f) => isNonNullType(f.type)).map((f) => f.name)).toEqual([]);
    for (const field of queryFields) {
      const connection = getNamedType(field.type);
      if (!isObjectType(connection)) throw new Error(`${field.name} is not an object type`);
      const fields = connection.getFields();
      expect(['edges', 'nodes', 'pageInfo', 'totalCount'].filter((f) => !isNonNullType(fields[f]!.type))).toEqual([]);
    }
  });

  it('answers tensorboards and a typed error for models when ListModels fails', async () => {
    const before = await h.gql(`{ tensorboards { totalCount } }`);
    const total = before.body.data!.tensorboards.totalCount;
    h.resetCalls();
    h.emulator.faults.add({ action: 'ListModels', status: 500, times: 99 });

    const r = await h.gql(`{ models { totalCount } tensorboards { totalCount } }`);
    expect(r.status).toBe(200);
    expect(r.result.data).toEqual({ models: null, tensorboards: { totalCount: total } });
    expect(r.result.errors).toHaveLength(1);
    expect(r.result.errors![0]).toMatchObject({ path: ['models'], extensions: { code: 'UPSTREAM_ERROR', upstream: { product: 'AIWorkSpace', action: 'ListModels', status: 500 } } });
    // A read is tried three times on a 5xx; the two root fields run concurrently.
    expect(h.actions().sort()).toEqual(['ListModels', 'ListModels', 'ListModels', 'ListTensorboards']);
  });

  it('nulls only the failing mutation’s payload; the mutation before it keeps its result', async () => {
    h.emulator.faults.add({ action: 'CreateModel', status: 500, times: 99 });
    const r = await h.gql(`mutation {
      board: createTensorboard(input: { displayName: "before-the-failure", jobId: "dlc-20250306101500-nullable1" }) { tensorboard { displayName } }
      model: createModel(input: { name: "never-created" }) { model { id } }
    }`);
    expect(r.status).toBe(200);
    expect(r.result.data).toEqual({ board: { tensorboard: { displayName: 'before-the-failure' } }, model: null });
    expect(r.result.errors).toHaveLength(1);
    expect(r.result.errors![0]).toMatchObject({ path: ['model'], extensions: { code: 'UPSTREAM_ERROR', upstream: { action: 'CreateModel', status: 500 } } });
    // Mutations run in order; a create is never repeated.
    expect(h.actions()).toEqual(['CreateTensorboard', 'GetTensorboard', 'CreateModel']);
  });

  it('nulls only the mutation with bad input, which costs no upstream call', async () => {
    const r = await h.gql(`mutation {
      bad: createModel(input: { name: "   " }) { model { id } }
      good: createModel(input: { name: "after-the-bad-one" }) { model { name } }
    }`);
    expect(r.status).toBe(200);
    expect(r.result.data).toEqual({ bad: null, good: { model: { name: 'after-the-bad-one' } } });
    expect(r.result.errors).toHaveLength(1);
    expect(r.result.errors![0]).toMatchObject({ path: ['bad'], extensions: { code: 'BAD_USER_INPUT', field: 'input.name' } });
    expect(h.actions()).toEqual(['CreateModel', 'GetModel']);
  });
});

/** Each list with an orderBy input: how to ask for it, its default field's upstream name, and where the order goes. */
const ORDERED_LISTS = [
  {
    list: 'models',
    query: (orderBy: string) => `{ models(first: 100${orderBy}) { nodes { createdAt } } }`,
    nodes: (data: any) => data.models.nodes,
    action: 'ListModels',
    sent: (direction: string) => ({ SortBy: 'GmtCreateTime', Order: direction }),
    defaultDirection: 'ASC',
  },
  {
    list: 'Model.versions',
    query: (orderBy: string) => `{ models(first: 1, filter: { query: "qwen" }) { nodes { versions(first: 100${orderBy}) { nodes { createdAt } } } } }`,
    nodes: (data: any) => data.models.nodes[0].versions.nodes,
    action: 'ListModelVersions',
    sent: (direction: string) => ({ SortBy: 'GmtCreateTime', Order: direction }),
    defaultDirection: 'ASC',
  },
  {
    list: 'tensorboards',
    query: (orderBy: string) => `{ tensorboards(first: 100${orderBy}) { nodes { createdAt } } }`,
    nodes: (data: any) => data.tensorboards.nodes,
    action: 'ListTensorboards',
    sent: (direction: string) => ({ SortBy: 'GmtCreateTime', Order: direction.toLowerCase() }),
    defaultDirection: 'DESC',
  },
  {
    list: 'services',
    query: (orderBy: string) => `{ services(first: 100${orderBy}) { nodes { createdAt } } }`,
    nodes: (data: any) => data.services.nodes,
    action: 'ListServices',
    sent: (direction: string) => ({ Sort: 'CreateTime', Order: direction.toLowerCase() }),
    defaultDirection: 'DESC',
  },
  {
    list: 'evalTasks',
    query: (orderBy: string) => `{ evalTasks(first: 50${orderBy}) { nodes { createdAt } } }`,
    nodes: (data: any) => data.evalTasks.nodes,
    action: 'ListOnlineEvalTasks',
    sent: (direction: string) => ({ SortBy: 'CreateTime', SortOrder: direction }),
    defaultDirection: 'DESC',
  },
] as const;

const sentParams = (h: Harness, action: string) => {
  const call = h.emulator.calls.find((c) => c.action === action);
  if (!call) throw new Error(`no ${action} call`);
  const { PageNumber: _n, PageSize: _s, ...rest } = Object.fromEntries(new URLSearchParams(call.query));
  return rest;
};

describe('orderBy defaults to its documented field', () => {
  it.each(ORDERED_LISTS.flatMap((l) => (['ASC', 'DESC'] as const).map((direction) => [l.list, direction, l] as const)))(
    '%s(orderBy: { direction: %s }) sorts by creation time upstream',
    async (_name, direction, l) => {
      const r = await h.gql(l.query(`, orderBy: { direction: ${direction} }`));
      expect(r.result.errors).toBeUndefined();
      const times = l.nodes(r.result.data).map((n: { createdAt: string }) => n.createdAt);
      expect(times.length).toBeGreaterThanOrEqual(2);
      expect(times).toEqual(direction === 'ASC' ? [...times].sort() : [...times].sort().reverse());
      expect(sentParams(h, l.action)).toMatchObject(l.sent(direction));
      expect(h.actions().at(-1)).toBe(l.action);
    },
  );

  it.each(ORDERED_LISTS.map((l) => [l.list, l.defaultDirection, l] as const))('%s(orderBy: {}) sorts by creation time, %s', async (_name, direction, l) => {
    const r = await h.gql(l.query(', orderBy: {}'));
    expect(r.result.errors).toBeUndefined();
    expect(sentParams(h, l.action)).toMatchObject(l.sent(direction));
  });

  it('keeps the upstream default order when no orderBy is given', async () => {
    for (const l of ORDERED_LISTS) {
      h.resetCalls();
      const r = await h.gql(l.query(''));
      expect(r.result.errors).toBeUndefined();
      expect(Object.keys(sentParams(h, l.action))).not.toContain('SortBy');
      expect(Object.keys(sentParams(h, l.action))).not.toContain('Sort');
    }
  });

  it('holds every argument and input field default as the value resolvers receive, printing back as written', () => {
    const schema = createSchema();
    const checked: string[] = [];
    const check = (input: GraphQLArgument | GraphQLInputField, coordinate: string) => {
      const written = input.astNode?.defaultValue;
      if (!written) return;
      const printed = astFromValue(input.defaultValue, input.type);
      expect([coordinate, printed && print(printed)]).toEqual([coordinate, print(written)]);
      checked.push(coordinate);
    };
    for (const type of Object.values(schema.getTypeMap())) {
      if (isInputObjectType(type)) for (const f of Object.values(type.getFields())) check(f, `${type.name}.${f.name}`);
      if (isObjectType(type)) for (const f of Object.values(type.getFields())) for (const a of f.args) check(a, `${type.name}.${f.name}(${a.name})`);
    }
    expect(checked).toEqual(expect.arrayContaining(['ModelOrder.field', 'ModelVersionOrder.field', 'TensorboardOrder.field', 'EvalTaskOrder.field', 'ServiceOrder.field', 'Tensorboard.sharedUrl(expireTimeSeconds)']));
    expect((schema.getType('ModelOrder') as any).getFields().field.defaultValue).toBe('GmtCreateTime');
    expect((schema.getType('EvalTaskOrder') as any).getFields().field.defaultValue).toBe('CreateTime');
  });
});

describe('introspection', () => {
  it('runs the full introspection query without an error, and its answer builds a client schema', async () => {
    const direct = await graphql({ schema: createSchema(), source: FULL_INTROSPECTION });
    expect(direct.errors).toBeUndefined();
    const client = buildClientSchema(direct.data as unknown as IntrospectionQuery);
    const modelOrder = client.getType('ModelOrder');
    expect(isInputObjectType(modelOrder) && modelOrder.getFields().field!.defaultValue).toBe('CREATED_AT');
  });

  it('describes every custom scalar with the text of schema/base.graphql, not a library\'s', async () => {
    const { loadTypeDefs } = await import('../src/schema.js');
    const sdl = parse(loadTypeDefs()[0]!);
    const schema = createSchema();
    const scalars = sdl.definitions.flatMap((d) => (d.kind === Kind.SCALAR_TYPE_DEFINITION ? [d] : []));
    expect(scalars.map((d) => d.name.value)).toEqual(expect.arrayContaining(['DateTime', 'JSON', 'Long']));
    for (const d of scalars) expect({ name: d.name.value, description: schema.getType(d.name.value)!.description }).toEqual({ name: d.name.value, description: d.description!.value });
  });

  it('answers the full introspection query over HTTP without an error and without an upstream call', async () => {
    const r = await h.gql(FULL_INTROSPECTION);
    expect(r.status).toBe(200);
    expect(r.result.errors).toBeUndefined();
    const types = (r.result.data as unknown as IntrospectionQuery).__schema.types;
    const order = types.find((t) => t.name === 'TensorboardOrder');
    expect(order && 'inputFields' in order ? order.inputFields.map((f) => [f.name, f.defaultValue]) : []).toEqual([
      ['field', 'CREATED_AT'],
      ['direction', 'DESC'],
    ]);
    expect(h.actions()).toEqual([]);
  });
});

describe('Relay conventions', () => {
  it('makes every type with a global id implement Node, whose id is ID!', () => {
    const schema = createSchema();
    const node = schema.getType('Node');
    const implementers = schema.getPossibleTypes(node as never).map((t) => t.name).sort();
    expect(implementers).toEqual(['Algorithm', 'AlgorithmVersion', 'EvalTask', 'Model', 'ModelVersion', 'Service', 'Tensorboard']);
    for (const name of implementers) expect(String((schema.getType(name) as any).getFields().id.type)).toBe('ID!');
    const q = schema.getQueryType()!.getFields();
    expect(String(q.node!.type)).toBe('Node');
    expect(q.node!.args.map((a) => `${a.name}: ${String(a.type)}`)).toEqual(['id: ID!']);
    expect(String(q.nodes!.type)).toBe('[Node]');
    expect(q.nodes!.args.map((a) => `${a.name}: ${String(a.type)}`)).toEqual(['ids: [ID!]!']);
  });

  it('gives every connection field first/after/last/before without defaults, and PageInfo all four fields of the specification', () => {
    const schema = createSchema();
    const pageInfo = (schema.getType('PageInfo') as any).getFields();
    expect(Object.fromEntries(Object.entries(pageInfo).map(([k, f]: [string, any]) => [k, String(f.type)]))).toEqual({
      hasNextPage: 'Boolean!',
      hasPreviousPage: 'Boolean!',
      startCursor: 'String',
      endCursor: 'String',
    });
    const connections: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const f of Object.values(type.getFields())) {
        if (!getNamedType(f.type).name.endsWith('Connection')) continue;
        connections.push(`${type.name}.${f.name}`);
        const args = Object.fromEntries(f.args.map((a) => [a.name, `${String(a.type)}${a.defaultValue === undefined ? '' : ` = ${JSON.stringify(a.defaultValue)}`}`]));
        expect([`${type.name}.${f.name}`, args]).toEqual([`${type.name}.${f.name}`, expect.objectContaining({ first: 'Int', after: 'String', last: 'Int', before: 'String' })]);
      }
    }
    expect(connections.length).toBeGreaterThanOrEqual(10);
  });
});
