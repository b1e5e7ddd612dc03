import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseGatewayTokens } from '../src/core/auth.js';
import { startHarness, type Harness } from './helpers/harness.js';

/**
 * A corpus of bad requests: syntax, unknown fields, wrong types, out-of-range arguments,
 * depth, alias, cost and token bombs, batches, GET mutations, CSRF-style posts, oversized
 * bodies and bad tokens. Each must get the right 4xx status and code, none a 5xx, and
 * together they must not cost one upstream call.
 */

const TOKEN = 'corpus-token-3e4f5a6b7c8d';
const READ_ONLY = 'corpus-reader-1a2b3c4d5e';
let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    callers: { tokens: parseGatewayTokens(`corpus:${TOKEN}:read,write;reader:${READ_ONLY}:read`), allowAnonymous: false },
    limits: { maxDepth: 10, maxAliases: 20, maxDirectives: 10, maxTokens: 2000, maxCost: 100, budget: 1_000_000, budgetRestoreRate: 50 },
  });
});
afterAll(() => h.close());

interface Case {
  readonly name: string;
  readonly method?: 'GET' | 'POST';
  readonly body?: string;
  readonly query?: string;
  readonly headers?: Record<string, string>;
  readonly status: number | readonly number[];
  readonly code?: string;
}

const post = (document: string, variables?: unknown) => JSON.stringify({ query: document, ...(variables === undefined ? {} : { variables }) });

const cases: Case[] = [];
const add = (c: Case) => cases.push(c);

// Syntax errors: 400 GRAPHQL_PARSE_FAILED.
for (const doc of ['{', '}', '{ models(', '{ models { nodes { id }', 'query { models(first: ) { totalCount } }', 'query Q($x: ) { __typename }', '{ models(first: 1 = 2) { totalCount } }', 'mutation { createModel(input: { name: "x" ) { model { id } } }',
  '{ model(id: "unterminated) { id } }', '{ ...  }', 'fragment on Model { id }', '{ models { nodes { id } } } }', 'query query { }', '{ model(id: $) { id } }', '{ "string" }', '{ models(first: 1.5.2) { totalCount } }', '{ @skip }', 'subscription', '{ models { ...on } }', '<html>', 'SELECT * FROM models', '{ models(first: 1) { totalCount } } trailing', '\u0000', '{ model(id: """open) { id } }']) {
  add({ name: `syntax: ${JSON.stringify(doc).slice(0, 40)}`, body: post(doc), status: 400, code: 'GRAPHQL_PARSE_FAILED' });
}

// Unknown fields, types and arguments: 400 GRAPHQL_VALIDATION_FAILED.
for (const [type, root] of [['Model', '{ models { nodes { %s } } }'], ['Algorithm', '{ algorithms { nodes { %s } } }'], ['EvalTask', '{ evalTasks { nodes { %s } } }'], ['Tensorboard', '{ tensorboards { nodes { %s } } }'], ['Service', '{ services { nodes { %s } } }']] as const) {
  for (const field of ['password', 'ApiKey', 'apiKey', 'secret', 'ModelName', '__schemaX', 'id { sub }', 'nodes', 'edges']) {
    add({ name: `unknown field ${type}.${field}`, body: post(root.replace('%s', field)), status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
  }
}
for (const doc of ['{ modelz { totalCount } }', '{ models(page: 2) { totalCount } }', '{ model { id } }', '{ model(id: "a", extra: 1) { id } }', 'mutation { dropDatabase }', 'mutation { createModel { model { id } } }', 'query Q { ...F } fragment F on Nope { id }', '{ models }', 'query Q($v: Nope) { __typename }', 'query Q($id: ID) { model(id: $id) { id } }',
  '{ models(filter: { unknown: "x" }) { totalCount } }', '{ models(orderBy: { field: NAME }) { totalCount } }', '{ evalTasks(filter: { status: DONE }) { totalCount } }', '{ tensorboards(filter: { status: running }) { totalCount } }', 'query Q($a: Int) { __typename }', 'query A { __typename } query A { __typename }', '{ __type(name: 1) { name } }', 'query { model(id: "x") { ...F } } fragment F on Model { ...F }']) {
  add({ name: `invalid: ${doc.slice(0, 50)}`, body: post(doc), status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
}

// Wrong literal types: 400 GRAPHQL_VALIDATION_FAILED; wrong variable values: 400 BAD_USER_INPUT.
for (const [doc, what] of [['{ models(first: "ten") { totalCount } }', 'string for Int'], ['{ models(first: 1.5) { totalCount } }', 'float for Int'], ['{ model(id: 12.5) { id } }', 'float for ID'], ['{ models(filter: { name: 5 }) { totalCount } }', 'int for String'], ['{ tensorboards(filter: { createdAfter: true }) { totalCount } }', 'boolean for DateTime'], ['{ evalTasks(filter: { minTime: "yesterday" }) { totalCount } }', 'bad DateTime'], ['mutation { createEvalTask(input: { name: "x", appName: "a", samplingRatio: "half" }) { evalTask { id } } }', 'string for Int in input'], ['{ models(first: 99999999999) { totalCount } }', 'Int overflow']] as const) {
  add({ name: `wrong type: ${what}`, body: post(doc), status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
}
const LIST_VAR = 'query Q($n: Int, $f: ModelFilter) { models(first: $n, filter: $f) { totalCount } }';
for (const [vars, what] of [[{ n: 'ten' }, 'string'], [{ n: 1.5 }, 'float'], [{ n: true }, 'boolean'], [{ n: [1] }, 'list'], [{ n: { a: 1 } }, 'object'], [{ f: 'nlp' }, 'string filter'], [{ f: { name: 1 } }, 'number name'], [{ f: { unknown: 1 } }, 'unknown filter field'], [{ n: 2 ** 40 }, 'Int overflow']] as const) {
  add({ name: `wrong variable: ${what}`, body: post(LIST_VAR, vars), status: 400, code: 'BAD_USER_INPUT' });
}
for (const vars of ['"not an object"', '[1,2]', '42']) add({ name: `variables as ${vars}`, body: `{"query":"{ __typename }","variables":${vars}}`, status: 400 });
add({ name: 'missing required variable', body: post('query Q($id: ID!) { model(id: $id) { id } }', {}), status: 400, code: 'BAD_USER_INPUT' });
add({ name: 'null for a required variable', body: post('query Q($id: ID!) { model(id: $id) { id } }', { id: null }), status: 400, code: 'BAD_USER_INPUT' });

// Unknown enum values and missing required input fields, in variables: 400 BAD_USER_INPUT.
for (const [doc, vars, what] of [
  ['query Q($o: ModelOrder) { models(orderBy: $o) { totalCount } }', { o: { field: 'NAME' } }, 'ModelOrderField'],
  ['query Q($o: ModelOrder) { models(orderBy: $o) { totalCount } }', { o: { field: 'CREATED_AT', direction: 'UP' } }, 'OrderDirection'],
  ['query Q($f: EvalTaskFilter) { evalTasks(filter: $f) { totalCount } }', { f: { status: 'DONE' } }, 'EvalTaskStatus'],
  ['query Q($f: EvalTaskFilter) { evalTasks(filter: $f) { totalCount } }', { f: { samplingMethod: 'ALL' } }, 'EvalTaskSamplingMethod'],
  ['query Q($f: TensorboardFilter) { tensorboards(filter: $f) { totalCount } }', { f: { status: 'Running' } }, 'TensorboardStatus'],
  ['query Q($f: TensorboardFilter) { tensorboards(filter: $f) { totalCount } }', { f: { accessibility: 'public' } }, 'Accessibility'],
  ['query Q($f: TensorboardFilter) { tensorboards(filter: $f) { totalCount } }', { f: { createdAfter: 'last week' } }, 'DateTime'],
  ['mutation M($i: CreateModelInput!) { createModel(input: $i) { model { id } } }', { i: {} }, 'CreateModelInput.name'],
  ['mutation M($i: CreateModelInput!) { createModel(input: $i) { model { id } } }', { i: { name: 'x', accessibility: 'EVERYONE' } }, 'CreateModelInput.accessibility'],
  ['mutation M($i: CreateEvalTaskInput!) { createEvalTask(input: $i) { evalTask { id } } }', { i: { name: 'x' } }, 'CreateEvalTaskInput.appName'],
  ['mutation M($i: CreateEvalTaskInput!) { createEvalTask(input: $i) { evalTask { id } } }', { i: { name: 'x', appName: 'a', filters: [{ key: 'NOPE', operator: 'EQUALS', value: 'v' }] } }, 'EvalTraceFilterKey'],
  ['mutation M($i: CreateAlgorithmVersionInput!) { createAlgorithmVersion(input: $i) { algorithmVersion { id } } }', { i: { algorithmId: 'a', name: 'v1' } }, 'CreateAlgorithmVersionInput.spec'],
  ['mutation M($i: CreateAlgorithmVersionInput!) { createAlgorithmVersion(input: $i) { algorithmVersion { id } } }', { i: { algorithmId: 'a', name: 'v1', spec: { image: 'i' } } }, 'AlgorithmSpecInput.command'],
  ['mutation M($i: UpdateTensorboardInput!) { updateTensorboard(input: $i) { tensorboard { id } } }', { i: { accessibility: 'PUBLIC' } }, 'UpdateTensorboardInput.id'],
  ['mutation M($i: AddModelLabelsInput!) { addModelLabels(input: $i) { model { id } } }', { i: { modelId: 'm', labels: [{ key: 'k' }] } }, 'LabelInput.value'],
  ['mutation M($i: TensorboardRefInput!) { stopTensorboard(input: $i) { tensorboard { id } } }', { i: { id: null } }, 'TensorboardRefInput.id null'],
  ['query Q($id: ID!) { model(id: $id) { id } }', { id: { nested: true } }, 'object for ID'],
  ['query Q($id: ID!) { model(id: $id) { id } }', { id: ['a'] }, 'list for ID'],
  ['query Q($n: String!) { model(id: "m") { version(name: $n) { id } } }', { n: 3 }, 'number for String'],
  ['query Q($s: Int) { tensorboard(id: "t") { sharedUrl(expireTimeSeconds: $s) } }', { s: 'soon' }, 'string for Int'],
] as const) {
  add({ name: `bad variable: ${what}`, body: post(doc, vars), status: 400, code: 'BAD_USER_INPUT' });
}

// Out-of-range arguments: root fields answer 200 with the field nulled; nested ones 400.
for (const [doc, vars] of [
  ['{ models(first: 1000) { totalCount } }', undefined], ['{ models(first: -1) { totalCount } }', undefined], ['{ algorithms(first: 101) { totalCount } }', undefined], ['{ evalTasks(first: -5) { totalCount } }', undefined], ['{ tensorboards(first: 500) { totalCount } }', undefined],
  ['{ models(after: "not-a-cursor") { totalCount } }', undefined], ['{ model(id: "") { id } }', undefined], ['{ model(id: "   ") { id } }', undefined], ['{ algorithm(id: "") { id } }', undefined],
  ['mutation { createModel(input: { name: "" }) { model { id } } }', undefined], ['mutation($n: String!) { createModel(input: { name: $n }) { model { id } } }', { n: 'x'.repeat(128) }],
  ['mutation { createEvalTask(input: { name: "t", appName: "a", samplingRatio: 101 }) { evalTask { id } } }', undefined], ['mutation { createEvalTask(input: { name: "t", appName: "a", samplingRatio: -1 }) { evalTask { id } } }', undefined],
  ['mutation { createModelVersion(input: { modelId: "model-x", uri: "oss://bucket/path/", name: "v1" }) { modelVersion { id } } }', undefined], ['mutation { addModelLabels(input: { modelId: "model-x", labels: [{ key: "a=b", value: "c" }] }) { model { id } } }', undefined],
  ['mutation { createTensorboard(input: { displayName: "nothing" }) { tensorboard { id } } }', undefined], ['mutation { updateTensorboard(input: { id: "tb", priority: "0" }) { tensorboard { id } } }', undefined],
  ['mutation { createAlgorithm(input: { name: "bad name!" }) { algorithm { id } } }', undefined],
] as const) {
  add({ name: `out of range (root): ${doc.slice(0, 60)}`, body: post(doc, vars), status: 200, code: 'BAD_USER_INPUT' });
}
for (const doc of ['{ models(first: 1) { nodes { versions(first: 1000) { totalCount } } } }', '{ models(first: 1) { nodes { version(name: "latest") { id } } } }', '{ algorithms(first: 1) { nodes { versions(first: -1) { totalCount } } } }', '{ algorithms(first: 1) { nodes { version(name: "") { id } } } }', '{ tensorboards(first: 1) { nodes { sharedUrl(expireTimeSeconds: 0) } } }', '{ tensorboards(first: 1) { nodes { sharedUrl(expireTimeSeconds: 604801) } } }', '{ models(first: 1) { nodes { versions(after: "nope") { totalCount } } } }']) {
  add({ name: `out of range (nested): ${doc.slice(0, 60)}`, body: post(doc), status: 400, code: 'BAD_USER_INPUT' });
}

// Bombs.
const deep = (n: number) => `{ models { nodes { ${'versions { nodes { model { '.repeat(n)}id${' } } }'.repeat(n)} } } }`;
for (const n of [3, 4, 6, 10]) add({ name: `depth bomb ${n}`, body: post(deep(n)), status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
for (const n of [21, 50, 500]) add({ name: `alias bomb ${n} (__typename)`, body: post(`{ ${Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(' ')} }`), status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
for (const n of [21, 100]) add({ name: `alias bomb ${n} (models)`, body: post(`{ ${Array.from({ length: n }, (_, i) => `m${i}: models(first: 1) { totalCount }`).join(' ')} }`), status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
for (const n of [11, 40]) add({ name: `directive bomb ${n}`, body: post(`{ __typename ${'@include(if: true) '.repeat(n)}}`), status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
for (const doc of ['{ models(first: 100) { nodes { versions(first: 100) { totalCount } } } }', '{ algorithms(first: 100) { nodes { versions(first: 100) { nodes { spec { image } } } } } }', '{ evalTasks(first: 100) { nodes { lastSamplingWindowStartTime } } }', '{ tensorboards(first: 100) { nodes { sharedUrl } } }', '{ a: models(first: 60) { nodes { versions { totalCount } } } b: models(first: 60) { nodes { version(name: "1.0.0") { id } } } }']) {
  add({ name: `cost bomb: ${doc.slice(0, 50)}`, body: post(doc), status: 400, code: 'OPERATION_TOO_COSTLY' });
}
for (const n of [2500, 6000]) add({ name: `token bomb ${n}`, body: post(`{ ${'__typename '.repeat(n)}}`), status: 400, code: 'GRAPHQL_PARSE_FAILED' });
add({ name: 'fragment explosion', body: post(`{ models(first: 1) { nodes { ...A } } } ${Array.from({ length: 30 }, (_, i) => `fragment ${String.fromCharCode(65 + (i % 26))}${i >= 26 ? i : ''} on Model { id }`).join(' ')}`), status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });

// Transport: batches, methods, CSRF-style posts, bodies.
for (const batch of ['[{"query":"{ __typename }"},{"query":"{ __typename }"}]', '[]', '[{"query":"{ models { totalCount } }"}]']) add({ name: `batch ${batch.slice(0, 30)}`, body: batch, status: 400 });
for (const q of ['mutation { deleteModel(input: { id: "model-x" }) { deletedId } }', 'mutation { createModel(input: { name: "via-get" }) { model { id } } }']) {
  add({ name: `GET mutation ${q.slice(0, 30)}`, method: 'GET', query: `?query=${encodeURIComponent(q)}`, headers: { 'apollo-require-preflight': 'true' }, status: 405 });
}
add({ name: 'GET without preflight header (CSRF)', method: 'GET', query: `?query=${encodeURIComponent('{ models { totalCount } }')}`, status: 400 });
for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x']) {
  add({ name: `CSRF-style POST as ${type}`, body: 'query=%7B%20models%20%7B%20totalCount%20%7D%20%7D', headers: { 'content-type': type }, status: [400, 415] });
}
for (const body of ['not json', '{"query": ', '{}', '{"query": 42}', '{"query": null}', '{"query": "{ __typename }", "operationName": 5}', '{"query": "query A { __typename } query B { __typename }"}', '{"query": "query A { __typename }", "operationName": "B"}', '{"query": "{ __typename }", "extensions": "x"}']) {
  add({ name: `malformed body ${body.slice(0, 40)}`, body, status: 400 });
}
add({ name: 'body over 1 MB', body: post('{ __typename }', { pad: 'x'.repeat(1_100_000) }), status: 413 });
add({ name: 'huge string argument', body: post(`{ model(id: "${'x'.repeat(900_000)}") { id } }`), status: 400, code: 'BAD_USER_INPUT' });

// Authentication and scopes.
for (const auth of [undefined, '', 'Bearer', 'Bearer ', 'Bearer wrong-token-000000', 'bearer corpus-token-wrong', `Basic ${Buffer.from(`corpus:${TOKEN}`).toString('base64')}`, `Token ${TOKEN}`, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', `Bearer ${TOKEN} ${TOKEN}`]) {
  add({ name: `bad Authorization ${JSON.stringify(auth)?.slice(0, 30)}`, body: post('{ models { totalCount } }'), headers: auth === undefined ? { authorization: '' } : { authorization: auth }, status: 401, code: 'UNAUTHENTICATED' });
}
for (const field of ['accessToken', 'AccessToken', 'token', 'serviceConfig']) {
  add({ name: `no Service.${field}: the token is never readable`, body: post(`{ service(name: "qwen25_7b_chat") { ${field} } }`), status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
}
for (const m of [
  'createModel(input: { name: "r" }) { model { id } }',
  'deleteModel(input: { id: "model-x" }) { deletedId }',
  'stopEvalTask(input: { id: "t" }) { evalTask { id } }',
  'deleteTensorboard(input: { id: "tb" }) { deletedId }',
  'deployModelVersion(input: { modelId: "model-a0ty3tfe9sci9aiytd", versionName: "1.0.0", serviceName: "read_only_try" }) { service { name } }',
  'startService(input: { name: "whisper_asr_batch" }) { service { name } }',
  'stopService(input: { name: "qwen25_7b_chat" }) { service { name } }',
  'updateService(input: { name: "qwen25_7b_chat", instanceCount: 3 }) { service { name } }',
  'deleteService(input: { name: "qwen25_7b_chat" }) { deletedName }',
]) {
  add({ name: `read token mutation ${m.slice(0, 20)}`, body: post(`mutation { ${m} }`), headers: { authorization: `Bearer ${READ_ONLY}` }, status: 403, code: 'FORBIDDEN' });
}

describe('a corpus of bad requests', () => {
  it('has at least 200 requests', () => {
    expect(cases.length).toBeGreaterThanOrEqual(200);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const res = await fetch(`${h.url}${c.query ?? ''}`, {
      method: c.method ?? 'POST',
      headers: { ...(c.method === 'GET' ? {} : { 'content-type': 'application/json' }), authorization: `Bearer ${TOKEN}`, ...c.headers },
      ...(c.method === 'GET' ? {} : { body: c.body }),
    });
    const text = await res.text();
    const statuses = typeof c.status === 'number' ? [c.status] : c.status;
    const ok = statuses.includes(res.status);
    expect({ status: ok ? statuses : res.status, text: ok ? '' : text.slice(0, 300) }).toEqual({ status: statuses, text: '' });
    if (c.code) {
      const body = JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] };
      expect(body.errors?.map((e) => e.extensions?.code)).toContain(c.code);
    }
  });

  it('cost no upstream call at all', () => {
    expect(h.emulator.calls).toEqual([]);
  });
});
