import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import * as algorithms from '../../src/algorithms/algorithms.dto.js';
import * as evalTasks from '../../src/eval-tasks/eval-tasks.dto.js';
import * as models from '../../src/models/models.dto.js';
import * as tensorboards from '../../src/tensorboards/tensorboards.dto.js';
import { parseAnswer, rememberAccepted } from '../../src/core/upstream/fast-parse.js';

/**
 * The compiled answer parser must give exactly what zod's safeParse gives: the same output
 * (keys, their order, which optional keys are present) for answers that fit, and zod's own
 * issues for answers that do not. Checked on every DTO schema, on a full sample of each and
 * on variants with each field in turn left out, null, of another type, empty or extra.
 */

type Schema = z.ZodType;
const internals = (s: unknown) => (s as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;

const LEAVES: unknown[] = ['2025-03-01T10:00:00Z', '2025-03-01 10:00:00', 'Job', 'x', 7, 0, true, { any: 1 }];

/** A value the schema accepts, with every optional field filled. */
function sample(schema: Schema): unknown {
  const def = internals(schema);
  const fits = (v: unknown) => schema.safeParse(v).success;
  switch (def.type) {
    case 'object':
      return Object.fromEntries(Object.entries(def.shape as Record<string, Schema>).map(([k, s]) => [k, sample(s)]));
    case 'optional':
    case 'nullable':
      return sample(def.innerType as Schema);
    case 'pipe': {
      const from = sample(def.in as Schema);
      return fits(from) ? from : LEAVES.find(fits);
    }
    case 'array':
      return [sample(def.element as Schema), sample(def.element as Schema)];
    case 'record':
      return { b: 1, a: { nested: [1, 'x'] }, c: null };
    default:
      return LEAVES.find(fits);
  }
}

/** Every object key and array index path in a value, for the variants. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => [[...prefix, i], ...paths(v, [...prefix, i])]);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]);
  return [];
}

function variant(value: unknown, path: (string | number)[], change: (holder: Record<string | number, unknown>, key: string | number) => void): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let holder = copy;
  for (const seg of path.slice(0, -1)) holder = holder[seg] as Record<string | number, unknown>;
  change(holder, path[path.length - 1]!);
  return copy;
}

/** JSON with undefined shown, so a key present as undefined differs from an absent one. */
const show = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (x === undefined ? '(undefined)' : x));

function expectSame(schema: Schema, input: unknown) {
  const zod = schema.safeParse(structuredClone(input));
  const fast = parseAnswer(schema, structuredClone(input));
  expect(fast.success).toBe(zod.success);
  if (zod.success && fast.success) expect(show(fast.data)).toBe(show(zod.data));
  else expect(fast.error!.issues).toEqual(zod.error!.issues);
}

function prefixed(domain: string, module: Record<string, unknown>): Record<string, Schema> {
  return Object.fromEntries(Object.entries(module).flatMap(([name, s]) => (s instanceof z.ZodType ? [[`${domain}.${name}`, s]] : [])));
}

const schemas = Object.entries({ ...prefixed('models', models), ...prefixed('algorithms', algorithms), ...prefixed('evalTasks', evalTasks), ...prefixed('tensorboards', tensorboards) });

describe('the compiled upstream answer parser', () => {
  it('covers every DTO schema of every domain', () => {
    expect(schemas.length).toBeGreaterThan(30);
  });

  it.each(schemas)('%s: the same result as zod on a full answer and on every one-field variant', (_name, schema) => {
    const full = sample(schema);
    expect(schema.safeParse(full).success).toBe(true);
    expectSame(schema, full);
    for (const other of [{}, null, [], 'text', { Unknown: 1 }]) expectSame(schema, other);
    for (const path of paths(full)) {
      expectSame(schema, variant(full, path, (h, k) => delete h[k]));
      for (const replacement of [null, undefined, 12.5, -1, 'not-a-time', '', true, { Extra: [1] }, []]) {
        expectSame(schema, variant(full, path, (h, k) => (h[k] = replacement)));
      }
    }
  });

  it('drops fields outside the contract and reads absent or null lists as empty', () => {
    const answer = { Versions: null, TotalCount: 0, RequestId: 'r-1', Unknown: { a: 1 } };
    expect(parseAnswer(models.ListModelVersionsResponse, answer)).toEqual({ success: true, data: { Versions: [], TotalCount: 0, RequestId: 'r-1' } });
    expect(parseAnswer(models.ListModelsResponse, { TotalCount: 3 })).toEqual({ success: true, data: { Models: [], TotalCount: 3 } });
  });

  it("describes an answer outside the contract with zod's first issue", () => {
    const parsed = parseAnswer(models.ListModelsResponse, { Models: [{ ModelId: '', ModelName: 'x' }], TotalCount: 1 });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]).toMatchObject({ path: ['Models', 0, 'ModelId'], code: 'too_small' });
  });

  it('remembers the texts a remembered leaf accepted, and checks every other text each time', () => {
    const checked: string[] = [];
    const stamp = rememberAccepted(z.string().refine((s) => (checked.push(s), /^\d{4}$/.test(s)), { message: 'four digits' }));
    const schema = z.object({ At: stamp.nullish(), Long: stamp.nullish() });
    const long = '1'.repeat(65);
    for (let i = 0; i < 3; i++) expect(parseAnswer(schema, { At: '2025' })).toEqual({ success: true, data: { At: '2025' } });
    expect(checked).toEqual(['2025']);
    // Refused texts are not remembered: each answer is checked again, and zod describes it.
    for (let i = 0; i < 2; i++) expect(parseAnswer(schema, { At: 'soon' }).error!.issues[0]).toMatchObject({ path: ['At'], message: 'four digits' });
    expect(checked.filter((s) => s === 'soon').length).toBeGreaterThanOrEqual(2);
    // Texts longer than 64 characters are checked every time.
    checked.length = 0;
    for (let i = 0; i < 2; i++) parseAnswer(schema, { Long: long });
    expect(checked.filter((s) => s === long).length).toBeGreaterThanOrEqual(2);
  });
});
