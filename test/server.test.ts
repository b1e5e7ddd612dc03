import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GraphQLError, Kind, parse, print } from 'graphql';
import { BadUserInputError } from '../src/core/errors.js';
import { createFormatError } from '../src/core/format-error.js';
import { createLogger } from '../src/core/logger.js';
import { SUBSCRIPTIONS_OVER_HTTP_MESSAGE } from '../src/core/plugins/subscriptions-over-http.js';
import { SANDBOX_DOCUMENT, SANDBOX_VARIABLES } from '../src/sandbox.js';
import { startHarness, type Harness } from './helpers/harness.js';
import { subscribe } from './helpers/subscriptions.js';
import { until } from './helpers/until.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('the gateway server', () => {
  it('serves Apollo Sandbox to a browser at /graphql, with an initial operation', async () => {
    const res = await fetch(h.url, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain('embeddable-sandbox');
    expect(html).toContain('ModelList');
    expect(h.emulator.calls).toHaveLength(0);
  });

  it('opens Sandbox with a collection of operations that all run on the demo data, deploying a model version among them', async () => {
    const definitions = parse(SANDBOX_DOCUMENT).definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION && d.name ? [d] : []));
    const operations = definitions.map((d) => d.name!.value);
    expect(operations).toEqual(['ModelList', 'DeployModelVersion', 'ServiceStatus', 'ServiceChanged']);
    for (const operationName of operations.slice(0, 3)) {
      const res = await fetch(h.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: SANDBOX_DOCUMENT, variables: SANDBOX_VARIABLES, operationName }) });
      const body = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown };
      expect({ operationName, errors: body.errors }).toEqual({ operationName, errors: undefined });
      expect(Object.values(body.data!).every((v) => v !== null)).toBe(true);
    }
    // The subscription runs over WebSocket, as Sandbox sends it.
    const s = subscribe(h.wsUrl, print({ kind: Kind.DOCUMENT, definitions: [definitions[3]!] }));
    await until(() => s.results.length === 1);
    expect(s.results[0]).toEqual({ data: { serviceChanged: expect.objectContaining({ name: 'qwen_sandbox_demo' }) } });
    s.unsubscribe();
    h.resetCalls();
  });

  it('answers /healthz without an upstream call', async () => {
    const res = await fetch(h.url.replace('/graphql', '/healthz'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect(h.emulator.calls).toHaveLength(0);
  });

  it('echoes a caller’s x-request-id and passes it to the upstream', async () => {
    h.resetCalls();
    const r = await h.gql(`{ models(first: 1) { totalCount } }`, undefined, { 'x-request-id': 'req-abc-123' });
    expect(r.headers.get('x-request-id')).toBe('req-abc-123');
    expect(h.emulator.calls[0]!.headers['x-request-id']).toBe('req-abc-123');
    const generated = await h.gql(`{ models(first: 1) { totalCount } }`, undefined, { 'x-request-id': 'bad id with spaces' });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('rejects a syntax error with 400 and no upstream call', async () => {
    h.resetCalls();
    const r = await h.gql(`{ models(first: 1) { totalCount }`);
    expect(r.status).toBe(400);
    expect(r.body.errors![0]!.extensions!.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(h.emulator.calls).toHaveLength(0);
  });

  it('blocks a simple cross-site GET without a preflight header (CSRF prevention)', async () => {
    const res = await fetch(`${h.url}?query=${encodeURIComponent('{ models { totalCount } }')}`);
    expect(res.status).toBe(400);
  });

  it('rejects a body over MAX_BODY_BYTES (1 MiB by default) with 413 and no upstream call', async () => {
    h.resetCalls();
    const res = await fetch(h.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ models { totalCount } }`, pad: 'x'.repeat(1024 * 1024) }) });
    expect(res.status).toBe(413);
    expect(h.emulator.calls).toHaveLength(0);
  });
});

describe('error formatting', () => {
  const logs: string[] = [];
  const format = createFormatError(createLogger({ level: 'error', destination: { write: (l: string) => void logs.push(l) } }));

  it('masks an unexpected resolver error and logs the original', () => {
    const original = new Error('connect ECONNREFUSED 10.0.0.1:5432 password=hunter2');
    const located = new GraphQLError(original.message, { path: ['models'], originalError: original });
    const shown = format({ message: original.message, path: ['models'], extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at x'] } }, located);
    expect(shown).toEqual({ message: 'Unexpected error.', path: ['models'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(logs.join('')).toContain('ECONNREFUSED');
  });

  it('shows our own errors as they are, without a stack trace', () => {
    const error = new BadUserInputError('input.name', 'must be 1 to 127 characters');
    const located = new GraphQLError(error.message, { path: ['createModel'], originalError: error });
    const shown = format({ message: error.message, path: ['createModel'], extensions: { ...error.extensions, stacktrace: ['at y'] } }, located);
    expect(shown).toEqual({ message: 'input.name: must be 1 to 127 characters', path: ['createModel'], extensions: { code: 'BAD_USER_INPUT', field: 'input.name', rule: 'must be 1 to 127 characters' } });
  });
});

describe('in production', () => {
  it('turns introspection and Sandbox off', async () => {
    const prod = await startHarness({ env: 'production' });
    try {
      const introspection = await prod.gql(`{ __schema { types { name } } }`);
      expect(introspection.status).toBe(400);
      expect(introspection.body.errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
      const page = await (await fetch(prod.url, { headers: { accept: 'text/html' } })).text();
      expect(page).not.toContain('embeddable-sandbox');
      expect((await prod.gql(`{ models(first: 1) { totalCount } }`)).body.errors).toBeUndefined();
    } finally {
      await prod.close();
    }
  });
});

describe('field suggestions', () => {
  const typo = `{ modelz { totalCount } }`;
  const variableTypo = ['query Q($f: ModelFilter) { models(filter: $f) { totalCount } }', { f: { nam: 'qwen' } }] as const;

  it('are shown in development, in validation and variable errors', async () => {
    const dev = await startHarness({ env: 'development' });
    try {
      const r = await dev.gql(typo);
      expect([r.status, r.body.errors![0]!.message]).toEqual([400, 'Cannot query field "modelz" on type "Query". Did you mean "model", "models", "node", or "nodes"?']);
      const v = await dev.gql(variableTypo[0], variableTypo[1]);
      expect(v.body.errors![0]!.message).toContain('Did you mean "name"?');
    } finally {
      await dev.close();
    }
  });

  it('are hidden in production, in validation and variable errors, with no upstream call', async () => {
    const prod = await startHarness({ env: 'production' });
    try {
      const r = await prod.gql(typo);
      expect([r.status, r.body.errors![0]!.message, r.body.errors![0]!.extensions!.code]).toEqual([400, 'Cannot query field "modelz" on type "Query".', 'GRAPHQL_VALIDATION_FAILED']);
      const v = await prod.gql(variableTypo[0], variableTypo[1]);
      expect([v.status, v.body.errors![0]!.message, v.body.errors![0]!.extensions!.code]).toEqual([400, 'Variable "$f" got invalid value { nam: "qwen" }; Field "nam" is not defined by type "ModelFilter".', 'BAD_USER_INPUT']);
      expect(prod.responses.join('\n')).not.toContain('Did you mean');
      expect(prod.actions()).toEqual([]);
    } finally {
      await prod.close();
    }
  });
});

describe('subscriptions over HTTP', () => {
  const refusal = { message: SUBSCRIPTIONS_OVER_HTTP_MESSAGE, locations: [{ line: 1, column: 1 }], extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } };

  it('refuses a subscription sent by POST with 400 pointing to WebSocket, calling nothing', async () => {
    h.resetCalls();
    const r = await h.gql(`subscription { tensorboardChanged(id: "tb-1") { id } }`);
    expect([r.status, r.result]).toEqual([400, { errors: [refusal] }]);
    expect(SUBSCRIPTIONS_OVER_HTTP_MESSAGE).toContain('graphql-transport-ws');
    expect(h.actions()).toEqual([]);
  });

  it('refuses a subscription sent by GET with 405 pointing to WebSocket', async () => {
    h.resetCalls();
    const res = await fetch(`${h.url}?query=${encodeURIComponent('subscription { tensorboardChanged(id: "tb-1") { id } }')}`, { headers: { 'apollo-require-preflight': 'true' } });
    const { extensions: _cost, ...result } = (await res.json()) as Record<string, unknown>;
    // GET serves queries only (405, Allow: POST, as for mutations); the message says where subscriptions go.
    expect([res.status, res.headers.get('allow'), result]).toEqual([405, 'POST', { errors: [refusal] }]);
    expect(h.actions()).toEqual([]);
  });

  it('runs the query of a document that also holds a subscription, as Sandbox sends its collection', async () => {
    h.resetCalls();
    const document = `query Count { tensorboards(first: 1) { totalCount } }\nsubscription Live { tensorboardChanged(id: "tb-1") { id } }`;
    const ran = await fetch(h.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: document, operationName: 'Count' }) });
    expect(ran.status).toBe(200);
    expect(((await ran.json()) as { data: unknown }).data).toEqual({ tensorboards: { totalCount: expect.any(Number) } });
    expect(h.actions()).toEqual(['ListTensorboards']);
    h.resetCalls();
    const refused = await fetch(h.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: document, operationName: 'Live' }) });
    const { extensions: _cost, ...result } = (await refused.json()) as Record<string, unknown>;
    expect([refused.status, result]).toEqual([400, { errors: [{ ...refusal, locations: [{ line: 2, column: 1 }] }] }]);
    expect(h.actions()).toEqual([]);
  });
});

describe('/metrics', () => {
  const TOKEN = 'metrics-token-7e6d5c4b3a29';

  it('is open when METRICS_TOKEN is not set', async () => {
    const res = await fetch(h.url.replace('/graphql', '/metrics'));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('pai_graph_operations_total');
  });

  it('with METRICS_TOKEN, answers only its bearer, and never shows the token', async () => {
    const guarded = await startHarness({ metricsToken: TOKEN });
    try {
      const metrics = guarded.url.replace('/graphql', '/metrics');
      for (const authorization of [undefined, 'Bearer wrong-token-000000', `Bearer ${TOKEN}x`, `Basic ${Buffer.from(`prometheus:${TOKEN}`).toString('base64')}`, TOKEN]) {
        const res = await fetch(metrics, { headers: authorization ? { authorization } : {} });
        const text = await res.text();
        expect([res.status, res.headers.get('www-authenticate'), JSON.parse(text)]).toEqual([
          401,
          'Bearer realm="pai-graph metrics"',
          { errors: [{ message: '/metrics needs Authorization: Bearer <METRICS_TOKEN>.', extensions: { code: 'UNAUTHENTICATED' } }] },
        ]);
      }
      const ok = await fetch(metrics, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect([ok.status, (await ok.text()).includes('pai_graph_operations_total')]).toEqual([200, true]);
      expect(guarded.logs.join('\n')).not.toContain(TOKEN);
    } finally {
      await guarded.close();
    }
  });
});
