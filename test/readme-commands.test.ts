import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { imageEnv } from '../bench/image.js';
import { Secret } from '../src/core/secret.js';
import { PRODUCT_NAMES, PRODUCTS } from '../src/core/upstream/products.js';
import { createEmulator, type Emulator } from '../src/emulator/index.js';
import { startEmulatorProcess, startGateway, type Started } from './helpers/processes.js';

/**
 * Every shell command README.md shows runs as written: each `...` is filled in with a value
 * the test's emulator accepts, a region's hosts are pointed at that emulator
 * (PAI_<PRODUCT>_ENDPOINT), `docker run` runs what the image runs with the image's environment
 * (read from the Dockerfile), and the emulator started by `npm run emulator` listens on a free
 * port instead of 4010. A gateway must start, answer its caller and call the upstream in the
 * mode the command chose; a new command nobody taught this test fails it.
 */

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** Commands not run here, and why. */
const NOT_RUN: Record<string, string> = {
  'npm ci && npm start': 'the quick start: test/start.test.ts runs npm start on an installed checkout, test/main.test.ts uses the gateway it starts',
  'npm ci && npm test': 'the quick start: CI runs it',
  'docker build -t pai-graph .': 'no Docker engine on these machines; `docker run` lines run what the image runs',
  'rover supergraph compose --config supergraph.yaml > supergraph.graphql': 'rover downloads a binary at install time; test/federation.test.ts composes with @apollo/composition',
};

/** A command's words, quotes removed, with its trailing comment dropped. */
function words(line: string): string[] {
  const out: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else word = (word ?? '') + ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      word ??= '';
    } else if (/\s/.test(ch)) {
      if (word !== undefined) out.push(word);
      word = undefined;
    } else if (ch === '#' && word === undefined) {
      break;
    } else {
      word = (word ?? '') + ch;
    }
  }
  if (word !== undefined) out.push(word);
  return out;
}

/** Every command in the README's sh blocks, continuation lines joined, comments dropped. */
const commands = [...README.matchAll(/```sh\n([\s\S]*?)```/g)]
  .flatMap((m) => m[1]!.replace(/\\\n\s*/g, ' ').split('\n'))
  .map((text) => words(text))
  .filter((w) => w.length > 0)
  .map((w) => ({ line: w.join(' '), words: w }));

const AK = { id: 'READMEAKID0001', secret: 'readme-ak-secret-0a1b2c3d4e' };
const STS = { id: 'STS.READMESTS0002', secret: 'readme-sts-secret-5f6a7b8c9d', token: 'readme-sts-token-CAIS0e1f2a' };
const API_KEY = 'sk-readme-4c5d6e7f8a9b0c1d';
const CALLER_TOKEN = 'readme-caller-token-1a2b3c4d';

/** What each `...` stands for, by variable (the STS id keeps its `STS.` prefix). */
function fill(name: string, value: string, sts: boolean): string {
  const values: Record<string, string> = {
    ALIBABA_CLOUD_ACCESS_KEY_ID: sts ? STS.id.slice('STS.'.length) : AK.id,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: sts ? STS.secret : AK.secret,
    ALIBABA_CLOUD_SECURITY_TOKEN: STS.token,
    DASHSCOPE_API_KEY: API_KEY.slice('sk-'.length),
    GATEWAY_TOKENS: CALLER_TOKEN,
  };
  if (!value.includes('...')) return value;
  const filler = values[name];
  if (filler === undefined) throw new Error(`README puts a placeholder in ${name}, which this test cannot fill`);
  return value.replace(/\.\.\.(?!\.)/, filler);
}


let upstream: Emulator;
let upstreamUrl: string;
let demo: Started | undefined;
let separateEmulator: Started | undefined;
const credentialsFile = join(mkdtempSync(join(tmpdir(), 'pai-graph-readme-')), 'pai-sts.json');

beforeAll(async () => {
  upstream = createEmulator({
    apiKey: new Secret(API_KEY),
    accessKeys: [
      { accessKeyId: AK.id, accessKeySecret: new Secret(AK.secret) },
      { accessKeyId: STS.id, accessKeySecret: new Secret(STS.secret), securityToken: new Secret(STS.token) },
    ],
  });
  upstreamUrl = await upstream.listen();
  writeFileSync(credentialsFile, JSON.stringify({ Credentials: { AccessKeyId: STS.id, AccessKeySecret: STS.secret, SecurityToken: STS.token, Expiration: '2099-01-01T00:00:00Z' } }));
});
afterAll(async () => {
  await demo?.stop();
  await separateEmulator?.stop();
  await upstream.close();
});

/** Runs one gateway command: its environment, started, asked once, stopped; returns what the checks need. */
async function runGateway(env: Record<string, string>) {
  const gateway = startGateway({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env });
  try {
    const url = await gateway.ready;
    const token = env.GATEWAY_TOKENS ? /:([^:]+):/.exec(env.GATEWAY_TOKENS)![1]! : undefined;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query: '{ models(first: 1) { totalCount } }' }),
    });
    const body = (await res.json()) as { data?: { models: { totalCount: number } }; errors?: unknown };
    const landing = await fetch(url, { headers: { accept: 'text/html' } });
    const sandbox = landing.status === 200 && (await landing.text()).includes('embeddable-sandbox');
    return { status: res.status, body, sandbox, code: await gateway.stop(), log: gateway.output.join('') };
  } finally {
    await gateway.stop();
  }
}

describe('every command in README.md', () => {
  it('is one this test runs or knows why it does not', () => {
    const known = commands.filter(({ line, words: w }) => NOT_RUN[line] || w.includes('npm') || w[0] === 'docker' || w[0] === 'curl');
    expect(commands.map((c) => c.line)).toEqual(known.map((c) => c.line));
    expect(commands.length).toBeGreaterThanOrEqual(10);
  });

  const runnable = commands.filter(({ line }) => !NOT_RUN[line]);
  it.each(runnable.map((c) => [c.line, c.words] as const))('runs as written: %s', async (_line, w) => {
    if (w[0] === 'curl') {
      demo ??= startGateway({});
      const origin = new URL(await demo.ready).origin;
      const url = w.find((x) => x.startsWith('http'))!.replace('http://localhost:4000', origin);
      const headers = Object.fromEntries(w.flatMap((x, i) => (w[i - 1] === '-H' ? [x.split(/:\s*/, 2) as [string, string]] : [])));
      const body = w[w.indexOf('-d') + 1];
      const res = await fetch(url, { method: 'POST', headers, body });
      const json = (await res.json()) as { data?: { models: { totalCount: number } } };
      expect(json.data!.models.totalCount).toBeGreaterThan(0);
      return;
    }

    // Environment assignments before the command (NAME=value), or -e NAME=value for docker run.
    const assignments = w[0] === 'docker' ? w.flatMap((x, i) => (w[i - 1] === '-e' ? [x] : [])) : w.filter((x, i) => w.slice(0, i + 1).every((y) => /^[A-Z_]+=/.test(y)));
    const sts = assignments.some((a) => a.startsWith('ALIBABA_CLOUD_ACCESS_KEY_ID=STS.'));
    const env: Record<string, string> = w[0] === 'docker' ? { ...imageEnv() } : {};
    for (const a of assignments) {
      const [name, ...rest] = a.split('=');
      env[name!] = fill(name!, rest.join('='), sts);
    }

    if (w.includes('emulator')) {
      separateEmulator = startEmulatorProcess({ ...env, EMULATOR_PORT: '0' });
      expect(await separateEmulator.ready).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      return;
    }
    expect(w[0] === 'docker' ? w[w.length - 1] : w.slice(-2).join(' ')).toBe(w[0] === 'docker' ? 'pai-graph' : 'npm start');

    let calls: Emulator['calls'] | undefined;
    if (env.PAI_REGION) {
      for (const product of PRODUCT_NAMES) env[`PAI_${PRODUCTS[product].envKey}_ENDPOINT`] = upstreamUrl;
      calls = upstream.calls;
    }
    if (env.PAI_CREDENTIALS_FILE) env.PAI_CREDENTIALS_FILE = credentialsFile;
    if (env.PAI_ENDPOINT === 'http://127.0.0.1:4010') {
      expect(separateEmulator).toBeDefined();
      env.PAI_ENDPOINT = await separateEmulator!.ready;
    }
    upstream.calls.length = 0;

    const run = await runGateway(env);
    expect({ status: run.status, errors: run.body.errors }).toEqual({ status: 200, errors: undefined });
    expect(run.body.data!.models.totalCount).toBeGreaterThan(0);
    expect(run.code).toBe(0);
    for (const secret of [AK.secret, STS.secret, STS.token, API_KEY, CALLER_TOKEN]) expect(run.log).not.toContain(secret);

    if (!env.PAI_REGION && !env.PAI_ENDPOINT) {
      // Demo mode: Sandbox in development, none in production (what the image sets).
      expect(run.log).toContain('DEMO MODE');
      expect(run.sandbox).toBe((env.NODE_ENV ?? 'development') !== 'production');
      return;
    }
    expect(run.log).not.toContain('DEMO MODE');
    if (calls) {
      const call = calls.find((c) => c.action === 'ListModels')!;
      if (env.DASHSCOPE_API_KEY) expect(call.headers.authorization).toBe(`Bearer ${API_KEY}`);
      else expect(call.headers.authorization).toMatch(new RegExp(`^ACS3-HMAC-SHA256 Credential=${(sts || env.PAI_CREDENTIALS_FILE ? STS : AK).id.replace('.', '\\.')},`));
      expect(Boolean(call.headers['x-acs-security-token'])).toBe(Boolean(sts || env.PAI_CREDENTIALS_FILE));
    }
  }, 60_000);
});

describe('the demo data README describes', () => {
  it('is what the emulator serves', async () => {
    const counts = /loads demo data \((\d+) models of your own[\s\S]*?plus (\d+) public models[\s\S]*?; (\d+) algorithms with typed specs, plus (\d+) public[\s\S]*?; (\d+) evaluation tasks[\s\S]*?; (\d+) TensorBoards of the last week[\s\S]*?plus one from a month ago/.exec(README);
    expect(counts).not.toBeNull();
    demo ??= startGateway({});
    const res = await fetch(await demo.ready, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `{ own: models { totalCount } pai: models(filter: { provider: "pai" }) { totalCount } algorithms { totalCount } publicAlgorithms: algorithms(filter: { provider: "pai" }) { totalCount } evalTasks { totalCount } tensorboards { totalCount } }`,
      }),
    });
    const { data } = (await res.json()) as { data: Record<string, { totalCount: number }> };
    expect(Object.values(data).map((c) => c.totalCount)).toEqual(counts!.slice(1).map(Number));
  }, 60_000);
});
