import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startNpmStart } from './helpers/processes.js';

/**
 * `npm start` compiles only when dist/ was not built from the current sources (issue 18):
 * `prepare` builds once after `npm ci`, `prestart` checks, `start` runs `node dist/main.js`.
 * Time to the first answer is measured outside the suite (it depends on the machine); here the
 * assertions are that a built checkout starts without running tsc and answers, and that the
 * check notices every kind of change that must rebuild.
 */

const ROOT = new URL('..', import.meta.url).pathname;
const BUILD = join(ROOT, 'scripts/build.mjs');

const runBuild = (cwd: string, ...flags: string[]) => {
  const run = spawnSync(process.execPath, [BUILD, ...flags], { cwd, encoding: 'utf8' });
  return { status: run.status, output: run.stdout + run.stderr };
};

describe('the build check (scripts/build.mjs --if-stale) on a small project', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pai-graph-build-'));
  const mainJs = join(dir, 'dist/main.js');
  beforeAll(() => {
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'fixture', private: true, type: 'module' }));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, types: [] } }));
    writeFileSync(join(dir, 'tsconfig.build.json'), JSON.stringify({ extends: './tsconfig.json', compilerOptions: { rootDir: 'src', outDir: 'dist' }, include: ['src'] }));
    mkdirSync(join(dir, 'src/lib'), { recursive: true });
    writeFileSync(join(dir, 'src/main.ts'), 'export const answer: number = 1;\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const compiled = (output: string) => /compiling \(tsc -p tsconfig\.build\.json\)/.test(output);

  it('compiles when dist/ is missing, then not again while nothing changed', () => {
    const first = runBuild(dir, '--if-stale');
    expect(first).toEqual({ status: 0, output: expect.stringContaining('dist/ is missing or older than src/: compiling') });
    expect(readFileSync(mainJs, 'utf8')).toContain('export const answer = 1;');
    const builtAt = statSync(mainJs).mtimeMs;

    const second = runBuild(dir, '--if-stale');
    expect(second).toEqual({ status: 0, output: 'dist/ is up to date with src/: not compiling\n' });
    expect(statSync(mainJs).mtimeMs).toBe(builtAt);
  }, 120_000);

  it('compiles again after a source is edited, a file is added, or a tsconfig changes', () => {
    writeFileSync(join(dir, 'src/main.ts'), 'export const answer: number = 2;\n');
    expect(compiled(runBuild(dir, '--if-stale').output)).toBe(true);
    expect(readFileSync(mainJs, 'utf8')).toContain('export const answer = 2;');

    writeFileSync(join(dir, 'src/lib/extra.ts'), "export const extra = 'x';\n");
    expect(compiled(runBuild(dir, '--if-stale').output)).toBe(true);
    expect(existsSync(join(dir, 'dist/lib/extra.js'))).toBe(true);

    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2020', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, types: [] } }));
    expect(compiled(runBuild(dir, '--if-stale').output)).toBe(true);
    expect(runBuild(dir, '--if-stale').output).toBe('dist/ is up to date with src/: not compiling\n');
  }, 120_000);

  it('compiles again when dist/ lost its entry point', () => {
    rmSync(mainJs);
    expect(compiled(runBuild(dir, '--if-stale').output)).toBe(true);
    expect(existsSync(mainJs)).toBe(true);
  }, 120_000);

  it('fails `npm start` on sources that do not compile, but only warns after an install', () => {
    writeFileSync(join(dir, 'src/main.ts'), "export const answer: number = 'not a number';\n");
    const start = runBuild(dir, '--if-stale');
    expect(start.status).not.toBe(0);
    expect(start.output).toContain("Type 'string' is not assignable to type 'number'");
    // A failed build is not recorded as current: the next run (here the one after an install) tries again.
    const install = runBuild(dir, '--if-stale', '--after-install');
    expect(install.status).toBe(0);
    expect(install.output).toContain('warning: tsc -p tsconfig.build.json failed');
  }, 120_000);
});

describe('npm start on an installed, built checkout', () => {
  it('runs node dist/main.js without compiling, and answers', async () => {
    // What `npm ci` (prepare) leaves behind; compiles only if src/ changed since.
    expect(runBuild(ROOT, '--if-stale').status).toBe(0);
    const builtAt = statSync(join(ROOT, 'dist/main.js')).mtimeMs;
    const gateway = startNpmStart({});
    try {
      const url = await gateway.ready;
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ models(first: 3) { totalCount nodes { id name } } }' }) });
      const body = (await res.json()) as { data: { models: { nodes: unknown[] } } };
      expect(body.data.models.nodes).toHaveLength(3);
      const log = gateway.output.join('');
      expect(log).toContain('dist/ is up to date with src/: not compiling');
      expect(log).toContain('node dist/main.js');
      expect(log).not.toMatch(/compiling \(tsc/);
      expect(statSync(join(ROOT, 'dist/main.js')).mtimeMs).toBe(builtAt);
    } finally {
      await gateway.stop();
    }
    expect(gateway.output.join('')).toContain('in-flight requests finished');
  }, 300_000);
});
