import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Secret } from '../../src/core/secret.js';
import { acsDate, canonicalRequest, EMPTY_SHA256, newNonce, sha256Hex } from '../../src/core/upstream/acs3.js';
import { CredentialFileError, fileCredentials, type AccessKeyCredential } from '../../src/core/upstream/credentials.js';
import { createAccessKeySigner } from '../../src/core/upstream/signer.js';
import { createSignatureVerifier, MAX_CLOCK_SKEW_MS } from '../../src/emulator/signature.js';
import { codeOf, startHarness, TEST_ACCESS_KEY, type Harness } from '../helpers/harness.js';

const LIST = `{ models(first: 2) { totalCount nodes { id } } }`;
const dir = mkdtempSync(join(tmpdir(), 'pai-graph-creds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('V3 canonical request', () => {
  it('builds the canonical request of the contract: sorted RFC 3986 query, signed headers, payload hash', () => {
    const { canonical, signedHeaders } = canonicalRequest({
      method: 'get',
      path: '/api/v1/models/model-1',
      query: [
        ['Tag', '[{"Key":"k"}]'],
        ['A', "x!'()*"],
      ],
      headers: [
        ['host', 'aiworkspace.cn-hangzhou.aliyuncs.com'],
        ['X-Acs-Date', ' 2026-11-22T21:00:00Z '],
        ['accept', 'application/json'],
        ['x-acs-action', 'GetModel'],
      ],
      payloadHash: EMPTY_SHA256,
    });
    expect(canonical).toBe(
      [
        'GET',
        '/api/v1/models/model-1',
        'A=x%21%27%28%29%2A&Tag=%5B%7B%22Key%22%3A%22k%22%7D%5D',
        'host:aiworkspace.cn-hangzhou.aliyuncs.com\nx-acs-action:GetModel\nx-acs-date:2026-11-22T21:00:00Z\n',
        'host;x-acs-action;x-acs-date',
        EMPTY_SHA256,
      ].join('\n'),
    );
    expect(signedHeaders).toBe('host;x-acs-action;x-acs-date');
    expect(sha256Hex('')).toBe(EMPTY_SHA256);
    expect(acsDate(new Date('2026-11-22T21:00:00.123Z'))).toBe('2026-11-22T21:00:00Z');
    // Made once per second: the next second, or an earlier one, is its own.
    expect(acsDate(new Date('2026-11-22T21:00:00.999Z'))).toBe('2026-11-22T21:00:00Z');
    expect(acsDate(new Date('2026-11-22T21:00:01.000Z'))).toBe('2026-11-22T21:00:01Z');
    expect(acsDate(new Date('2026-11-22T20:59:59.500Z'))).toBe('2026-11-22T20:59:59Z');
  });

  it('signs a header sent more than once as its values sorted and joined by commas, whatever order they came in', () => {
    const headers: [string, string][] = [
      ['x-acs-b', '2'],
      ['X-Acs-A', ' z '],
      ['host', 'h.example'],
      ['x-acs-a', 'y'],
      ['Content-Type', 'application/json'],
      ['accept', 'not signed'],
      ['x-acs-a', 'a,b'],
    ];
    const expected = ['POST', '/', '', 'content-type:application/json\nhost:h.example\nx-acs-a:a,b,y,z\nx-acs-b:2\n', 'content-type;host;x-acs-a;x-acs-b', EMPTY_SHA256].join('\n');
    expect(canonicalRequest({ method: 'POST', path: '', query: [], headers, payloadHash: EMPTY_SHA256 }).canonical).toBe(expected);
    expect(canonicalRequest({ method: 'POST', path: '', query: [], headers: [...headers].reverse(), payloadHash: EMPTY_SHA256 }).canonical).toBe(expected);
    // More headers than the insertion sort takes (33): the same rules through Array.prototype.sort.
    const many: [string, string][] = Array.from({ length: 40 }, (_, i) => [`x-acs-h${String(39 - i).padStart(2, '0')}`, String(i % 3)]);
    many.push(['x-acs-h05', 'b'], ['x-acs-h05', 'a']);
    const block = canonicalRequest({ method: 'GET', path: '/', query: [], headers: many, payloadHash: EMPTY_SHA256 }).canonical.split('\n').slice(3, 43);
    expect(block[0]).toBe('x-acs-h00:0');
    expect(block[5]).toBe('x-acs-h05:1,a,b');
    expect(block[39]).toBe('x-acs-h39:0');
  });

  it('gives every request a nonce of 64 hex characters, never the same twice, across refills of its random pool', () => {
    const nonces = Array.from({ length: 1000 }, () => newNonce());
    for (const nonce of nonces) expect(nonce).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(nonces).size).toBe(nonces.length);
  });
});

describe('the emulator’s memory of spent nonces', () => {
  const start = Date.parse('2026-12-02T10:00:00Z');
  /** A ListModels request signed at `at` with `nonce`, as the emulator receives it. */
  async function received(nonce: string, at: number) {
    const url = new URL('http://emulator.test/api/v1/models?PageSize=1');
    const headers = new Headers({ 'x-acs-action': 'ListModels', 'x-acs-version': '2021-02-04' });
    const signer = createAccessKeySigner({ credentials: () => TEST_ACCESS_KEY, now: () => new Date(at), nonce: () => nonce });
    await signer.sign({ method: 'GET', url, headers, body: undefined, action: 'ListModels', version: '2021-02-04' });
    return { method: 'GET', url: `${url.pathname}${url.search}`, headers: { host: url.host, ...Object.fromEntries(headers) }, rawBody: '' };
  }
  function verifier(maxNonces?: number) {
    let clock = start;
    const v = createSignatureVerifier({ accessKeys: () => [TEST_ACCESS_KEY], now: () => clock, ...(maxNonces ? { maxNonces } : {}) });
    return {
      at: (ms: number) => {
        clock = start + ms;
      },
      /** 'ok', or the error code the emulator answers with. */
      async verify(nonce: string) {
        try {
          v.verify(await received(nonce, clock));
          return 'ok';
        } catch (err) {
          return (err as { code?: string }).code ?? String(err);
        }
      },
    };
  }

  it('refuses a nonce again while a replay could still pass the date check, and forgets it after', async () => {
    const v = verifier();
    expect(await v.verify('first')).toBe('ok');
    expect(await v.verify('first')).toBe('SignatureNonceUsed');
    v.at(2 * MAX_CLOCK_SKEW_MS);
    expect(await v.verify('second')).toBe('ok');
    expect(await v.verify('first')).toBe('SignatureNonceUsed');
    v.at(2 * MAX_CLOCK_SKEW_MS + 1);
    expect(await v.verify('first')).toBe('ok');
    // Used again, it is remembered from its new use: not forgotten with the older ones.
    v.at(4 * MAX_CLOCK_SKEW_MS + 1);
    expect(await v.verify('second')).toBe('ok');
    expect(await v.verify('first')).toBe('SignatureNonceUsed');
  });

  it('keeps at most maxNonces, forgetting the oldest first', async () => {
    const v = verifier(3);
    for (const nonce of ['a', 'b', 'c', 'd']) expect(await v.verify(nonce)).toBe('ok');
    expect(await v.verify('d')).toBe('SignatureNonceUsed');
    expect(await v.verify('c')).toBe('SignatureNonceUsed');
    expect(await v.verify('b')).toBe('SignatureNonceUsed');
    // 'a' was the oldest when 'd' came: forgotten.
    expect(await v.verify('a')).toBe('ok');
  });
});

describe('the signature-checking emulator', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  afterEach(() => h.resetCalls());

  async function rawCall(sign: (req: { url: URL; headers: Headers }) => Promise<void> | void) {
    const url = new URL(`${h.emulator.url}/api/v1/models?PageSize=1`);
    const headers = new Headers({ 'x-acs-action': 'ListModels', 'x-acs-version': '2021-02-04' });
    await sign({ url, headers });
    const res = await fetch(url, { headers });
    return { status: res.status, body: (await res.json()) as Record<string, string> };
  }
  const signer = (credential: AccessKeyCredential, extra: { now?: () => Date; nonce?: () => string } = {}) => createAccessKeySigner({ credentials: () => credential, ...extra });
  const sign = (s: ReturnType<typeof signer>) => (req: { url: URL; headers: Headers }) => s.sign({ method: 'GET', url: req.url, headers: req.headers, body: undefined, action: 'ListModels', version: '2021-02-04' });

  it('accepts a correct signature', async () => {
    expect((await rawCall(sign(signer(TEST_ACCESS_KEY)))).status).toBe(200);
  });

  it('answers a wrong secret with 400 SignatureDoesNotMatch', async () => {
    const r = await rawCall(sign(signer({ ...TEST_ACCESS_KEY, accessKeySecret: new Secret('not-the-secret-000000') })));
    expect(r).toMatchObject({ status: 400, body: { Code: 'SignatureDoesNotMatch' } });
  });

  it('refuses a stale x-acs-date and a reused nonce', async () => {
    const stale = await rawCall(sign(signer(TEST_ACCESS_KEY, { now: () => new Date(Date.now() - 16 * 60_000) })));
    expect(stale).toMatchObject({ status: 400, body: { Code: 'InvalidTimeStamp.Expired' } });
    const fixed = signer(TEST_ACCESS_KEY, { nonce: () => 'same-nonce-twice' });
    expect((await rawCall(sign(fixed))).status).toBe(200);
    expect(await rawCall(sign(fixed))).toMatchObject({ status: 400, body: { Code: 'SignatureNonceUsed' } });
  });

  it('refuses a request changed after signing, an unknown AccessKey and an unsigned x-acs header', async () => {
    const tampered = await rawCall(async (req) => {
      await sign(signer(TEST_ACCESS_KEY))(req);
      req.url.searchParams.set('PageSize', '100');
    });
    expect(tampered).toMatchObject({ status: 400, body: { Code: 'SignatureDoesNotMatch' } });
    const unknown = await rawCall(sign(signer({ ...TEST_ACCESS_KEY, accessKeyId: 'TESTAKIDunknown00' })));
    expect(unknown).toMatchObject({ status: 404, body: { Code: 'InvalidAccessKeyId.NotFound' } });
    const unsigned = await rawCall(async (req) => {
      await sign(signer(TEST_ACCESS_KEY))(req);
      req.headers.set('x-acs-extra', 'smuggled');
    });
    expect(unsigned).toMatchObject({ status: 400, body: { Code: 'IncompleteSignature' } });
    const badEscape = await rawCall(async (req) => {
      await sign(signer(TEST_ACCESS_KEY))(req);
      req.url.search = `${req.url.search}&Query=%ZZ`;
    });
    expect(badEscape).toMatchObject({ status: 400, body: { Code: 'IncompleteSignature', Message: 'The query string is not correctly percent-encoded.' } });
  });

  it('maps a rejected signature to UPSTREAM_ERROR for operators, naming the code and RequestId', async () => {
    const wrong = await startHarness({ accessKey: { ...TEST_ACCESS_KEY, accessKeySecret: new Secret('not-the-secret-000000') } });
    try {
      const r = await wrong.gql(LIST);
      expect(r.body.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', upstream: { product: 'AIWorkSpace', action: 'ListModels', status: 400, code: 'SignatureDoesNotMatch', requestId: expect.any(String) } });
      expect(r.body.errors![0]!.message).toMatch(/rejected the gateway's credentials/);
    } finally {
      await wrong.close();
    }
  });
});

describe('STS credentials rotated at runtime', () => {
  const write = (path: string, c: { id: string; secret: string; token: string }, mtimeSec: number) => {
    writeFileSync(path, JSON.stringify({ RequestId: 'sts', Credentials: { AccessKeyId: c.id, AccessKeySecret: c.secret, SecurityToken: c.token, Expiration: '2026-11-22T23:00:00Z' } }));
    utimesSync(path, mtimeSec, mtimeSec);
  };
  const first = { id: 'STSIDfirst000001', secret: 'sts-secret-first-aaaaaaaa', token: 'sts-token-first-CAIS000001' };
  const second = { id: 'STSIDsecond00002', secret: 'sts-secret-second-bbbbbbb', token: 'sts-token-second-CAIS00002' };
  const cred = (c: typeof first): AccessKeyCredential => ({ accessKeyId: c.id, accessKeySecret: new Secret(c.secret), securityToken: new Secret(c.token) });

  it('re-reads the credentials file when it changes, without a restart, and keeps the last good one when it breaks', async () => {
    const path = join(dir, 'sts.json');
    write(path, first, 1_000);
    let clock = 0;
    const errors: string[] = [];
    const provider = fileCredentials(path, { checkIntervalMs: 1000, now: () => clock, onError: (m) => errors.push(m) });
    const h = await startHarness({ signer: createAccessKeySigner({ credentials: provider }) });
    try {
      // The emulator trusts the first STS credential only.
      const trusted = h.trustedAccessKeys;
      trusted.splice(0, trusted.length, cred(first));
      expect((await h.gql(LIST)).body.errors).toBeUndefined();
      expect(h.emulator.calls[0]!.headers.authorization).toContain('Credential=STSIDfirst000001,');
      expect(h.emulator.calls[0]!.headers['x-acs-security-token']).toBe(first.token);

      // The sidecar rotates: the service now trusts only the second credential.
      write(path, second, 2_000);
      trusted.splice(0, trusted.length, cred(second));
      clock += 1_500;
      h.resetCalls();
      expect((await h.gql(LIST)).body.errors).toBeUndefined();
      expect(h.emulator.calls[0]!.headers.authorization).toContain('Credential=STSIDsecond00002,');

      // A half-written file does not take the gateway down: it keeps signing with the last good one.
      writeFileSync(path, '{"Credentials": {');
      utimesSync(path, 3_000, 3_000);
      clock += 1_500;
      h.resetCalls();
      expect((await h.gql(LIST)).body.errors).toBeUndefined();
      expect(h.emulator.calls[0]!.headers.authorization).toContain('Credential=STSIDsecond00002,');
      expect(errors).toEqual([`cannot read ${path}: not valid JSON`]);
      expect(errors.join('')).not.toContain(second.secret);
    } finally {
      await h.close();
    }
  });

  it('refuses to start from a missing or malformed credentials file, naming it but not its contents', () => {
    expect(() => fileCredentials(join(dir, 'absent.json'))).toThrow(new CredentialFileError(`cannot read ${join(dir, 'absent.json')}: ENOENT`));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ AccessKeyId: 'STSIDx00000001', Secret: 'sts-secret-misnamed-ccccccc' }));
    let message = '';
    try {
      fileCredentials(bad);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toBe(`${bad} must hold AccessKeyId, AccessKeySecret and optionally SecurityToken (as STS AssumeRole returns them)`);
    expect(message).not.toContain('sts-secret-misnamed');
  });
});

describe('readiness', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ readinessCacheMs: 60_000 });
  });
  afterAll(() => h.close());

  it('confirms the credentials with one signed call, cached for the next probes', async () => {
    h.resetCalls();
    const readyz = h.url.replace('/graphql', '/readyz');
    const answers = await Promise.all([fetch(readyz), fetch(readyz), fetch(readyz)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    const again = await fetch(readyz);
    expect(await again.json()).toMatchObject({ status: 'ready', upstream: { product: 'AIWorkSpace', action: 'ListModels', result: 'ok', cached: true } });
    expect(h.actions()).toEqual(['ListModels']);
    expect(h.emulator.calls[0]!.query).toBe('PageNumber=1&PageSize=1');
    expect(h.emulator.calls[0]!.headers.authorization).toMatch(/^ACS3-HMAC-SHA256 /);
  });

  it('is not ready, with the upstream code and RequestId, when PAI rejects the credentials', async () => {
    const wrong = await startHarness({ accessKey: { ...TEST_ACCESS_KEY, accessKeySecret: new Secret('not-the-secret-000000') } });
    try {
      const res = await fetch(wrong.url.replace('/graphql', '/readyz'));
      expect(res.status).toBe(503);
      const body = (await res.json()) as { status: string; upstream: { result: string; requestId: string } };
      expect(body.status).toBe('not ready');
      expect(body.upstream.result).toMatch(/^UPSTREAM_ERROR: AIWorkSpace rejected the gateway's credentials for ListModels \(SignatureDoesNotMatch\)/);
      expect(body.upstream.requestId).toEqual(expect.any(String));
      expect(JSON.stringify(body)).not.toContain('not-the-secret');
    } finally {
      await wrong.close();
    }
  });
});

describe('signing material stays on the wire', () => {
  it('no AccessKey secret, security token or signature appears in any response, error or log line', async () => {
    const sts: AccessKeyCredential = { accessKeyId: 'TESTAKIDsecrets01', accessKeySecret: new Secret('secret-never-shown-4f5e6d7c8b9a'), securityToken: new Secret('token-never-shown-CAIS1a2b3c4d') };
    const h = await startHarness({ accessKey: sts, timeoutMs: 300 });
    h.trustedAccessKeys.push(sts);
    try {
      await h.gql(`{ models(first: 2) { nodes { id latestVersion { name } } } tensorboards(first: 1) { nodes { id sharedUrl } } }`);
      h.emulator.faults.add({ action: 'ListModels', status: 500, times: 1 });
      await h.gql(LIST);
      h.emulator.faults.add({ action: 'ListModels', malformed: true, times: 1 });
      await h.gql(LIST);
      h.emulator.faults.add({ action: 'ListModels', hang: true, times: 1 });
      await h.gql(LIST);
      await h.gql(`{ models(first: 1000) { totalCount } }`);
      await fetch(h.url.replace('/graphql', '/readyz'));
      const control = await (await fetch(`${h.emulator.url}/__emulator/calls`)).text();
      const signatures = h.emulator.calls.map((c) => /Signature=([0-9a-f]+)/.exec(c.headers.authorization ?? '')?.[1]).filter((s): s is string => Boolean(s));
      expect(signatures.length).toBeGreaterThan(3);
      const forbidden = [sts.accessKeySecret.reveal(), sts.securityToken!.reveal(), ...signatures];
      const everything = [...h.responses, ...h.logs, control];
      expect(h.logs.length).toBeGreaterThan(3);
      for (const value of forbidden) expect(everything.filter((line) => line.includes(value))).toEqual([]);
      expect(codeOf(await h.gql(LIST))).toBeUndefined();
    } finally {
      await h.close();
    }
  });
});
