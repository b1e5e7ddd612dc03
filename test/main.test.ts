import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Secret } from '../src/core/secret.js';
import { createEmulator } from '../src/emulator/index.js';
import { startGateway, type Started } from './helpers/processes.js';

/**
 * The newcomer's path: start the gateway the way `npm start` does (from source, so the test
 * needs no build), with no upstream configured, then use it as the README says.
 */
let child: Started;
let url: string;

beforeAll(async () => {
  child = startGateway({});
  url = await child.ready;
}, 40_000);

afterAll(() => {
  if (child.process.exitCode === null) child.process.kill('SIGKILL');
});

const readmeOperations = () =>
  [...readFileSync(new URL('../README.md', import.meta.url), 'utf8').matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((doc) => /^(query|mutation)\b/m.test(doc));

describe('npm start with no upstream configured', () => {
  it('says plainly that it runs in demo mode on the built-in emulator', () => {
    expect(child.output.join('')).toMatch(/DEMO MODE: no PAI_ENDPOINT or PAI_REGION set, serving the built-in PAI emulator at http:\/\/127\.0\.0\.1:\d+ with demo data/);
  });

  it('shows Apollo Sandbox to a browser', async () => {
    const res = await fetch(url, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('embeddable-sandbox');
  });

  it('answers every example operation in the README with demo data', async () => {
    const operations = readmeOperations();
    expect(operations.length).toBeGreaterThanOrEqual(4);
    for (const query of operations) {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
      const body = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown };
      expect({ query, errors: body.errors }).toEqual({ query, errors: undefined });
      expect(Object.values(body.data!).every((v) => v !== null)).toBe(true);
    }
  });

  it('shuts down cleanly on SIGTERM', async () => {
    expect(await child.stop()).toBe(0);
  });
});

describe('npm start with PAI_ENDPOINT and credentials', () => {
  it('calls that upstream with the Bearer key and x-acs headers, and never logs the key', async () => {
    const key = 'sk-main-test-aabbccddeeff00112233';
    const emulator = createEmulator({ apiKey: new Secret(key) });
    const emulatorUrl = await emulator.listen();
    const gateway = startGateway({ PAI_ENDPOINT: emulatorUrl, DASHSCOPE_API_KEY: key, LOG_LEVEL: 'debug', GATEWAY_TOKENS: 'main-test:gateway-token-0123456789:read' });
    try {
      const gatewayUrl = await gateway.ready;
      const anonymous = await fetch(gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ models { totalCount } }' }) });
      expect(anonymous.status).toBe(401);
      expect(emulator.calls).toHaveLength(0);
      const res = await fetch(gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer gateway-token-0123456789' },
        body: JSON.stringify({ query: '{ models(first: 2) { totalCount nodes { id } } }' }),
      });
      const body = (await res.json()) as { data: { models: { nodes: unknown[] } } };
      expect(body.data.models.nodes).toHaveLength(2);
      expect(emulator.calls.map((c) => [c.action, c.headers.authorization, c.headers['x-acs-action'], c.headers['x-acs-version']])).toEqual([
        ['ListModels', `Bearer ${key}`, 'ListModels', '2021-02-04'],
      ]);
      const log = gateway.output.join('');
      expect(log).toContain('upstream mode: calling PAI with Bearer API key (DASHSCOPE_API_KEY)');
      expect(log).not.toContain('DEMO MODE');
      expect(log).not.toContain(key);
      expect(log).not.toContain('gateway-token-0123456789');
    } finally {
      gateway.process.kill('SIGTERM');
      await emulator.close();
    }
  }, 40_000);

  it('signs with V3 and STS credentials from the environment, and logs neither secret nor token', async () => {
    const credential = { accessKeyId: 'TESTAKIDmain0123', accessKeySecret: new Secret('test-main-secret-0a1b2c3d4e5f'), securityToken: new Secret('test-main-sts-token-6a7b8c9d') };
    const emulator = createEmulator({ accessKeys: [credential] });
    const emulatorUrl = await emulator.listen();
    const gateway = startGateway(
      {
        PAI_ENDPOINT: emulatorUrl,
        ALIBABA_CLOUD_ACCESS_KEY_ID: credential.accessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: credential.accessKeySecret.reveal(),
        ALIBABA_CLOUD_SECURITY_TOKEN: credential.securityToken.reveal(),
        LOG_LEVEL: 'debug',
        ALLOW_ANONYMOUS: 'true',
      });
    try {
      const gatewayUrl = await gateway.ready;
      const res = await fetch(gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ models(first: 1) { nodes { id } } tensorboards(first: 1) { totalCount } }' }) });
      const body = (await res.json()) as { data: unknown; errors?: unknown };
      expect(body.errors).toBeUndefined();
      expect(emulator.calls.map((c) => [c.action, c.status, c.headers['x-acs-accesskey-id']]).sort()).toEqual([
        ['ListModels', 200, credential.accessKeyId],
        ['ListTensorboards', 200, credential.accessKeyId],
      ]);
      for (const call of emulator.calls) {
        expect(call.headers.authorization).toMatch(/^ACS3-HMAC-SHA256 Credential=TESTAKIDmain0123,SignedHeaders=host;x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version,Signature=[0-9a-f]{64}$/);
      }
      const log = gateway.output.join('');
      expect(log).toContain('upstream mode: calling PAI with AccessKey V3 signatures (ACS3-HMAC-SHA256) with STS credentials');
      expect(log).toContain('ANONYMOUS ACCESS (ALLOW_ANONYMOUS=true)');
      expect(log).not.toContain(credential.accessKeySecret.reveal());
      expect(log).not.toContain(credential.securityToken.reveal());
    } finally {
      gateway.process.kill('SIGTERM');
      await emulator.close();
    }
  }, 40_000);

  it('on SIGTERM finishes the operations in flight, then exits 0', async () => {
    const emulator = createEmulator();
    const emulatorUrl = await emulator.listen();
    emulator.faults.add({ action: 'ListModels', latencyMs: 1500, times: 1 });
    const gateway = startGateway({ PAI_ENDPOINT: emulatorUrl, DASHSCOPE_API_KEY: 'sk-shutdown-test-000000', ALLOW_ANONYMOUS: 'true' });
    try {
      const gatewayUrl = await gateway.ready;
      const inFlight = fetch(gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ models(first: 1) { totalCount } }' }) }).then((r) => r.json() as Promise<{ data?: { models: { totalCount: number } } }>);
      // SIGTERM once the operation is in flight: its upstream call has reached the emulator.
      while (!emulator.calls.some((c) => c.action === 'ListModels')) await new Promise((r) => setTimeout(r, 10));
      const exited = new Promise<number | null>((resolve) => gateway.process.once('exit', (code) => resolve(code)));
      gateway.process.kill('SIGTERM');
      expect((await inFlight).data!.models.totalCount).toBeGreaterThan(0);
      expect(await exited).toBe(0);
      expect(gateway.output.join('')).toContain('shutting down: finishing in-flight requests');
    } finally {
      if (gateway.process.exitCode === null) gateway.process.kill('SIGKILL');
      await emulator.close();
    }
  }, 40_000);

  it.each([
    ['GATEWAY_TOKENS_FILE', { PAI_REGION: 'cn-hangzhou', DASHSCOPE_API_KEY: 'sk-files-test-0000000', GATEWAY_TOKENS_FILE: '/nonexistent/tokens' }, 'cannot read /nonexistent/tokens: ENOENT'],
    ['PAI_CREDENTIALS_FILE', { PAI_REGION: 'cn-hangzhou', PAI_CREDENTIALS_FILE: '/nonexistent/sts.json', ALLOW_ANONYMOUS: 'true' }, 'cannot read /nonexistent/sts.json: ENOENT'],
    ['PERSISTED_DOCUMENTS_FILE', { PERSISTED_DOCUMENTS_FILE: '/nonexistent/manifest.json' }, 'cannot read /nonexistent/manifest.json: ENOENT'],
  ])('refuses to start when %s cannot be read, with one line', async (variable, env, reason) => {
    const gateway = startGateway(env);
    await expect(gateway.ready).rejects.toThrow(/exited with 1/);
    expect(gateway.output.join('').split('\n').filter((l) => l.startsWith('Invalid configuration'))).toEqual([`Invalid configuration: ${variable}: ${reason}`]);
  }, 40_000);

  it('refuses to start on a bad variable with one line naming it', async () => {
    const gateway = startGateway({ PAI_REGION: 'cn-hangzhou' });
    await expect(gateway.ready).rejects.toThrow(/exited with 1/);
    expect(gateway.output.join('').trim()).toBe('Invalid configuration: credentials are required when PAI_ENDPOINT, PAI_REGION or a PAI_*_ENDPOINT is set: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, PAI_CREDENTIALS_FILE, or DASHSCOPE_API_KEY');
  }, 40_000);
});
