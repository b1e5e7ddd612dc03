import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { ESLint } from 'eslint';

/**
 * ESLint runs in CI (`npm run lint` in .ci/run) with typescript-eslint's type-aware rules. These
 * tests pin what the project agreed on, so a config edit cannot quietly switch off the rules
 * that catch real bugs, and prove the rules fire on code that breaks them.
 */

const ROOT = new URL('..', import.meta.url).pathname;
const severity = (rule: unknown) => (Array.isArray(rule) ? rule[0] : rule);

describe('lint', () => {
  it('runs in CI after the schema lint and before the type check and the tests', () => {
    const steps = readFileSync(new URL('../.ci/run', import.meta.url), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('npm ') && line !== 'npm --version');
    expect(steps).toEqual(['npm ci --no-audit --no-fund', 'npm run codegen:check', 'npm run lint:schema', 'npm run lint', 'npm run typecheck', 'npm test']);
    expect(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).scripts.lint).toBe('eslint .');
  });

  it('keeps the promise and unsafe-any rules on for the sources, and the promise rules for the tests', async () => {
    const eslint = new ESLint({ cwd: ROOT });
    const source = (await eslint.calculateConfigForFile('src/server.ts')).rules;
    for (const rule of ['no-floating-promises', 'no-misused-promises', 'await-thenable', 'no-unsafe-assignment', 'no-unsafe-member-access', 'no-unsafe-call', 'no-unsafe-return', 'no-unsafe-argument', 'no-explicit-any']) {
      expect([rule, severity(source[`@typescript-eslint/${rule}`])]).toEqual([rule, 2]);
    }
    const test = (await eslint.calculateConfigForFile('test/server.test.ts')).rules;
    for (const rule of ['no-floating-promises', 'no-misused-promises', 'await-thenable']) expect([rule, severity(test[`@typescript-eslint/${rule}`])]).toEqual([rule, 2]);
  });

  it('reports a floating promise and an unsafe any in a source file', async () => {
    const eslint = new ESLint({ cwd: ROOT });
    const code = `export async function save(): Promise<void> {}\nexport function handler(raw: string): number {\n  save();\n  const body = JSON.parse(raw);\n  return body.count;\n}\n`;
    // Linted as if it were this existing source file, so the type-aware rules have its program.
    const [result] = await eslint.lintText(code, { filePath: `${ROOT}src/core/time.ts` });
    expect(result!.messages.map((m) => m.ruleId)).toEqual(expect.arrayContaining(['@typescript-eslint/no-floating-promises', '@typescript-eslint/no-unsafe-assignment', '@typescript-eslint/no-unsafe-member-access', '@typescript-eslint/no-unsafe-return']));
  });
});
