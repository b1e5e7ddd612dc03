import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { parseGatewayTokens } from '../src/core/auth.js';
import { startHarness, type Harness } from './helpers/harness.js';
import { startJwks } from './helpers/jwks.js';

const READER = 'reader-token-5c1d2e3f4a5b';
const WRITER = 'writer-token-9a8b7c6d5e4f';
const TOKENS = parseGatewayTokens(`web:${READER}:read;ci:${WRITER}:read,write`);
const as = (token: string) => ({ authorization: `Bearer ${token}` });

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ callers: { tokens: TOKENS, allowAnonymous: false }, limits: { maxCost: 100, budget: 150, budgetRestoreRate: 50, maxDepth: 6, maxAliases: 3, maxDirectives: 2, maxTokens: 300 } });
});
afterAll(() => h.close());
beforeEach(() => h.resetCalls());

describe('caller authentication', () => {
  it('answers a request without a token with 401 UNAUTHENTICATED and WWW-Authenticate, calling nothing', async () => {
    const r = await h.gql(`{ models { totalCount } }`);
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toBe('Bearer realm="pai-graph"');
    expect(r.body).toEqual({ errors: [{ message: 'Authentication required: send Authorization: Bearer <gateway token>.', extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(h.emulator.calls).toHaveLength(0);
  });

  it.each([['Bearer not-a-known-token'], ['Basic d2ViOnRva2Vu'], [`Bearer ${READER} extra`], ['Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig']])('refuses Authorization %j with 401', async (header) => {
    const r = await h.gql(`{ models { totalCount } }`, {}, { authorization: header });
    expect(r.status).toBe(401);
    expect(r.body.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    expect(r.text).not.toContain(READER);
    expect(h.emulator.calls).toHaveLength(0);
  });

  it('lets a read token query and refuses its mutations with 403 FORBIDDEN before any call', async () => {
    const read = await h.gql(`{ models(first: 1) { totalCount } }`, {}, as(READER));
    expect(read.status).toBe(200);
    expect(read.body.errors).toBeUndefined();
    h.resetCalls();
    const write = await h.gql(`mutation { deleteModel(input: { id: "model-x" }) { deletedId } }`, {}, as(READER));
    expect(write.status).toBe(403);
    expect(write.body.errors![0]).toMatchObject({ message: 'web may not run mutations: its token lacks the write scope.', extensions: { code: 'FORBIDDEN' } });
    expect(h.emulator.calls).toHaveLength(0);
  });

  it('lets a write token run mutations', async () => {
    const r = await h.gql(`mutation { createModel(input: { name: "by-ci" }) { model { name } } }`, {}, as(WRITER));
    expect(r.body.data).toEqual({ createModel: { model: { name: 'by-ci' } } });
  });

  it('serves the Sandbox page without a token', async () => {
    const res = await fetch(h.url, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
  });
});

describe('query cost', () => {
  it('reports the estimate, the actual upstream calls and the caller budget on every response', async () => {
    const r = await h.gql(`{ models(first: 5) { nodes { id versions(first: 2) { nodes { name } } } } }`, {}, as(READER));
    expect(r.body.errors).toBeUndefined();
    expect(r.body.extensions!.cost).toEqual({
      estimated: 6,
      actualUpstreamCalls: 6,
      throttleStatus: { maximumAvailable: 150, currentlyAvailable: expect.any(Number), restoreRate: 50 },
    });
    expect(h.actions()).toHaveLength(6);
  });

  it('estimates a document without variables the same on every run, and refuses a bad nested argument again on every run', async () => {
    const doc = `{ models(first: 3) { nodes { id versions(first: 2) { nodes { name } } } } }`;
    for (let run = 0; run < 3; run += 1) {
      h.resetCalls();
      const r = await h.gql(doc, {}, as(READER));
      expect(r.body.errors).toBeUndefined();
      expect(r.body.extensions!.cost).toMatchObject({ estimated: 4, actualUpstreamCalls: 4 });
      expect(h.actions()).toHaveLength(4);
    }
    for (let run = 0; run < 2; run += 1) {
      h.resetCalls();
      const r = await h.gql(`{ models(first: 1) { nodes { versions(first: 1000) { totalCount } } } }`, {}, as(READER));
      expect(r.status).toBe(400);
      expect(r.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', coordinate: 'Model.versions' });
      expect(h.actions()).toEqual([]);
    }
  });

  it.each([
    ['100 models with their versions', `{ models(first: 100) { nodes { versions(first: 1) { totalCount } } } }`, {}, 101],
    ['the list size from a variable', `query($n: Int) { models(first: $n) { nodes { versions { totalCount } version(name: "1.0.0") { id } } } }`, { n: 60 }, 1 + 60 * 2],
    // Fields merged from several spreads cost once, as execution merges them.
    ['the same fragment spread many times', `{ models(first: 60) { nodes { ...V ...V } } a: model(id: "m") { ...V } } fragment V on Model { versions { totalCount } version(name: "1.0.0") { id } }`, {}, 1 + 60 * 2 + 1 + 2],
  ])('refuses %s with 400 OPERATION_TOO_COSTLY naming the estimate and the limit, before any call', async (_label, query, variables, estimate) => {
    const r = await h.gql(query, variables, as(READER));
    expect(r.status).toBe(400);
    expect(r.body.errors![0]).toMatchObject({
      message: `The operation would cost an estimated ${estimate} upstream calls; the limit is 100. Ask for fewer items (first) or fewer nested lists.`,
      extensions: { code: 'OPERATION_TOO_COSTLY', estimated: estimate, limit: 100 },
    });
    expect(r.body.errors![0]!.extensions!.http).toBeUndefined();
    expect(h.emulator.calls).toHaveLength(0);
  });

  it('charges estimates to the caller and answers 429 with Retry-After when its budget is spent', async () => {
    const heavy = `{ models(first: 90) { nodes { versions(first: 1) { totalCount } } } }`; // 91 calls
    // The budget's clock stands still: nothing refills between the two operations, however long the first takes.
    const { createCallerBudgets } = await import('../src/core/plugins/cost.js');
    const budgets = createCallerBudgets({ maximum: 150, restoreRate: 1, now: () => 1_000_000 });
    const budgeted = await startHarness({ callers: { tokens: TOKENS, allowAnonymous: false }, limits: { budget: 150, budgetRestoreRate: 1 }, budgets });
    try {
      const first = await budgeted.gql(heavy, {}, as(READER));
      expect(first.body.errors).toBeUndefined();
      expect(first.body.extensions!.cost.throttleStatus.currentlyAvailable).toBe(150 - 91);
      budgeted.resetCalls();
      const second = await budgeted.gql(heavy, {}, as(READER));
      expect(second.status).toBe(429);
      // 91 needed, 59 left, refilling at 1 call per second: 32 s.
      expect(second.headers.get('retry-after')).toBe('32');
      expect(second.body.errors![0]!.extensions).toMatchObject({ code: 'RATE_LIMITED', estimated: 91 });
      expect(second.body.errors![0]!.message).toBe('Over budget: this operation costs an estimated 91 upstream calls and web has 59 left; retry after 32 s.');
      expect(budgeted.emulator.calls).toHaveLength(0);
      // Another caller has its own budget; a refused charge was not kept.
      expect((await budgeted.gql(`{ models(first: 1) { totalCount } }`, {}, as(WRITER))).status).toBe(200);
      expect((await budgeted.gql(`{ models(first: 50) { totalCount } }`, {}, as(READER))).status).toBe(200);
    } finally {
      await budgeted.close();
    }
  });
});

describe('caller budgets', () => {
  it('are leaky buckets: charges take the estimate out and the bucket refills continuously', async () => {
    const { createCallerBudgets } = await import('../src/core/plugins/cost.js');
    let now = 0;
    const budgets = createCallerBudgets({ maximum: 100, restoreRate: 10, now: () => now });
    expect(await budgets.charge('a', 80)).toEqual({ ok: true, status: { maximumAvailable: 100, currentlyAvailable: 20, restoreRate: 10 } });
    expect(await budgets.charge('a', 50)).toEqual({ ok: false, status: { maximumAvailable: 100, currentlyAvailable: 20, restoreRate: 10 }, retryAfterSeconds: 3 });
    now = 2_500; // 25 restored
    expect(await budgets.charge('a', 45)).toMatchObject({ ok: true, status: { currentlyAvailable: 0 } });
    now = 60_000; // never above the maximum
    expect(await budgets.charge('a', 1)).toMatchObject({ ok: true, status: { currentlyAvailable: 99 } });
    expect(await budgets.charge('b', 100)).toMatchObject({ ok: true, status: { currentlyAvailable: 0 } });
  });
});

describe('document limits', () => {
  it.each([
    ['depth', `{ models { nodes { versions { nodes { model { versions { nodes { id } } } } } } } }`, 'The operation is 8 levels deep; the limit is 6.'],
    ['aliases, __typename included', `{ a: __typename b: __typename c: __typename d: __typename }`, 'The document uses 4 aliases; the limit is 3.'],
    ['directives', `{ models @include(if: true) { totalCount @skip(if: false) nodes @include(if: true) { id } } }`, 'The document uses 3 directives; the limit is 2.'],
  ])('refuses too much %s with 400 before execution', async (_label, query, message) => {
    const r = await h.gql(query, {}, as(READER));
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([expect.objectContaining({ message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })]);
    expect(h.emulator.calls).toHaveLength(0);
  });

  it('refuses a document over the token limit with 400, not 500', async () => {
    const r = await h.gql(`{ ${Array.from({ length: 400 }, () => '__typename').join(' ')} }`, {}, as(READER));
    expect(r.status).toBe(400);
    expect(r.body.errors![0]!.message).toMatch(/Document contains more tha[nt] 300 tokens/);
    expect(r.body.errors![0]!.extensions!.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('refuses HTTP batches and bodies over 1 MB with 4xx', async () => {
    const batch = await fetch(h.url, { method: 'POST', headers: { 'content-type': 'application/json', ...as(READER) }, body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]) });
    expect(batch.status).toBe(400);
    const big = await fetch(h.url, { method: 'POST', headers: { 'content-type': 'application/json', ...as(READER) }, body: JSON.stringify({ query: `{ __typename }`, variables: { pad: 'x'.repeat(1_100_000) } }) });
    expect(big.status).toBe(413);
    expect(h.emulator.calls).toHaveLength(0);
  });
});

describe('CORS', () => {
  it('allows only the configured origins', async () => {
    const open = await startHarness({ corsOrigins: ['https://app.example.com'] });
    try {
      const preflight = (origin: string) =>
        fetch(open.url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' } });
      const allowed = await preflight('https://app.example.com');
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
      const other = await preflight('https://evil.example.net');
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await open.close();
    }
  });
});

describe('JWT callers', () => {
  it('accepts a JWT signed by a key in the JWKS, with its scopes, and refuses forged, expired or foreign ones', async () => {
    const jwks = await startJwks();
    const jwtHarness = await startHarness({
      callers: { tokens: [], allowAnonymous: false, jwt: { jwksUrl: jwks.url, issuer: 'https://idp.example.com', audience: 'pai-graph', clockSkewSeconds: 30 } },
    });
    try {
      const reader = await jwks.sign({ scope: 'pai-graph:read' });
      const ok = await jwtHarness.gql(`{ models(first: 1) { totalCount } }`, {}, as(reader));
      expect(ok.status).toBe(200);
      expect(ok.body.errors).toBeUndefined();
      const mutation = await jwtHarness.gql(`mutation { deleteModel(input: { id: "model-x" }) { deletedId } }`, {}, as(reader));
      expect(mutation.status).toBe(403);
      expect(mutation.body.errors![0]!.message).toBe('jwt:alice may not run mutations: its token lacks the write scope.');
      for (const [bad, message] of [
        [await jwks.sign({ scope: 'read' }, { key: 'other' }), 'The bearer token is not valid.'],
        [await jwks.sign({ scope: 'read' }, { expires: '2m ago' }), 'The bearer token has expired.'],
        [`${reader.slice(0, -4)}AAAA`, 'The bearer token is not valid.'],
      ]) {
        const refused = await jwtHarness.gql(`{ models(first: 1) { totalCount } }`, {}, as(bad!));
        expect([refused.status, refused.body]).toEqual([401, { errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] }]);
      }
      expect(jwtHarness.actions()).toEqual(['ListModels']);
    } finally {
      await jwtHarness.close();
      jwks.close();
    }
  });

  it('refuses a JWT without exp with 401 naming the claim, calling nothing', async () => {
    const jwks = await startJwks();
    const jwtHarness = await startHarness({ callers: { tokens: [], allowAnonymous: false, jwt: { jwksUrl: jwks.url, clockSkewSeconds: 30 } } });
    try {
      const forever = await jwks.sign({ scope: 'pai-graph:read' }, { expires: null });
      const r = await jwtHarness.gql(`{ models(first: 1) { totalCount } }`, {}, as(forever));
      expect([r.status, r.body]).toEqual([401, { errors: [{ message: 'The bearer token must carry an expiry (exp claim).', extensions: { code: 'UNAUTHENTICATED' } }] }]);
      expect(jwtHarness.actions()).toEqual([]);
    } finally {
      await jwtHarness.close();
      jwks.close();
    }
  });

  it('tolerates GATEWAY_JWT_CLOCK_SKEW_SECONDS of clock difference on exp, and no more', async () => {
    const { createAuthenticator } = await import('../src/core/auth.js');
    const jwks = await startJwks();
    try {
      // Expired 10 s ago by the gateway's clock: an issuer 10 s ahead would still call it valid.
      const token = await jwks.sign({ scope: 'pai-graph:read' }, { expires: '10s ago' });
      const skewed = createAuthenticator({ tokens: [], allowAnonymous: false, jwt: { jwksUrl: jwks.url, clockSkewSeconds: 30 } });
      expect((await skewed(`Bearer ${token}`)).name).toBe('jwt:alice');
      const strict = createAuthenticator({ tokens: [], allowAnonymous: false, jwt: { jwksUrl: jwks.url, clockSkewSeconds: 0 } });
      await expect(strict(`Bearer ${token}`)).rejects.toThrow('The bearer token has expired.');
    } finally {
      jwks.close();
    }
  });
});
