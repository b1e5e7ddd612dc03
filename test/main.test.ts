import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

/**
 * The newcomer's path: start the gateway the way `npm start` does (from source, so the test
 * needs no build), with no upstream configured, then use it as the README says.
 */
let child: ChildProcess;
let url: string;
const output: string[] = [];

beforeAll(async () => {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PAI_') && !k.startsWith('DASHSCOPE') && !k.startsWith('EMULATOR_')));
  child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...env, PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'development', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start:\n${output.join('')}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      const match = /pai-graph ready at (http:\/\/\S+\/graphql)/.exec(output.join(''));
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`gateway exited with ${code}:\n${output.join('')}`)));
  });
}, 40_000);

afterAll(() => {
  if (child.exitCode === null) child.kill('SIGKILL');
});

const readmeOperations = () =>
  [...readFileSync(new URL('../README.md', import.meta.url), 'utf8').matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((doc) => /^(query|mutation)\b/m.test(doc));

describe('npm start with no upstream configured', () => {
  it('says plainly that it runs in demo mode on the built-in emulator', () => {
    expect(output.join('')).toMatch(/DEMO MODE: no PAI_ENDPOINT or PAI_REGION set, serving the built-in PAI emulator at http:\/\/127\.0\.0\.1:\d+ with demo data/);
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
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
