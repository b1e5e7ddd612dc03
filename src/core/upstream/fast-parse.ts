import type { z } from 'zod';

/**
 * The upstream answer schemas (zod), compiled once per schema into plain functions for the
 * common case: an answer that fits its contract. zod's parse allocates a result object per
 * field and per wrapper (`nullish()` is two) on every answer; the compiled form checks the
 * same types and builds the same output without them. In the upstream client alone (21 reads
 * of five model versions each, no governor) zod cost about 60 us per read; see the commit.
 *
 * Exactness is kept by construction: the compiled form handles only objects (strip mode),
 * arrays, records with plain string keys, optional, nullable, string, number, boolean,
 * unknown and any; every check (min(1), int(), a refine) and every transform runs through
 * the schema's own zod code; anything else is handed to zod whole. The first value that does
 * not fit makes the whole answer go through zod's safeParse, so a contract violation is
 * described by zod exactly as before. Key order and the presence of optional keys follow
 * zod's object parser (its optin/optout rules). test/core/fast-parse.test.ts holds every DTO
 * schema to zod's output, field by field.
 */

type Fast = (value: unknown) => unknown;

/** Thrown inside a compiled parser when a value does not fit: zod then parses the answer. */
const MISFIT: unique symbol = Symbol('misfit');

const misfit = (): never => {
  // A symbol, not an Error: no stack to capture on a path that only falls back to zod.
  // eslint-disable-next-line @typescript-eslint/only-throw-error
  throw MISFIT;
};

/** What zod's safeParse passes down. */
const CTX = Object.freeze({ async: false });

interface ZodInternals {
  readonly def: {
    readonly type: string;
    readonly checks?: readonly unknown[];
    readonly coerce?: boolean;
    readonly [key: string]: unknown;
  };
  readonly optin?: 'optional' | 'defaulted' | undefined;
  readonly optout?: 'optional' | undefined;
  run(payload: { value: unknown; issues: unknown[] }, ctx: object): { value: unknown; issues: unknown[] } | Promise<unknown>;
}

const internals = (schema: unknown): ZodInternals => (schema as { _zod: ZodInternals })._zod;

/** Distinct texts remembered per remembered leaf, and the longest text remembered. */
const REMEMBERED_TEXTS = 4096;
const REMEMBERED_LENGTH = 64;

/** String leaves whose accepted values compiled parsers remember (see rememberAccepted). */
const rememberedLeaves = new WeakSet<object>();

/**
 * Marks a string schema with checks (and no transform) whose values repeat across answers, such
 * as timestamps: compiled parsers remember, per distinct text of up to 64 characters, what
 * zod answered for it, instead of running its checks again (zod's checks are functions of the
 * text alone). Only accepted texts are remembered, at most 4096 per leaf. Not for values that
 * must not linger in memory (keys, tokens). Returns the schema.
 */
export function rememberAccepted<S extends z.ZodString>(schema: S): S {
  rememberedLeaves.add(schema);
  return schema;
}

/** `run` for short texts answered from memory after their first acceptance. */
function remembering(run: Fast): Fast {
  const accepted = new Map<string, unknown>();
  return (value) => {
    if (typeof value !== 'string' || value.length > REMEMBERED_LENGTH) return run(value);
    const known = accepted.get(value);
    if (known !== undefined) return known;
    const out = run(value); // a misfit throws: nothing is remembered
    if (accepted.size >= REMEMBERED_TEXTS) accepted.clear();
    accepted.set(value, out);
    return out;
  };
}

/** The node run by zod itself: exact for anything, checks and transforms included. */
function viaZod(schema: unknown): Fast {
  const zod = internals(schema);
  return (value) => {
    const result = zod.run({ value, issues: [] }, CTX);
    if (result instanceof Promise || result.issues.length) return misfit();
    return result.value;
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * An object parser generated for its shape, as zod's own JIT does: property names appear as
 * literals, so each read and write is a monomorphic access rather than a keyed lookup.
 * Required keys must be present; an optional-in/optional-out key is written when present;
 * an optional-in key whose schema makes a value (a list that reads null as []) is written
 * when that value is defined or the key was present.
 */
function compileObject(def: ZodInternals['def']): Fast | undefined {
  if (def.catchall !== undefined) return undefined;
  const shape = def.shape as Record<string, unknown>;
  const keys = Object.keys(shape).filter((k) => k !== '__proto__');
  if (keys.some((k) => internals(shape[k]).optin === 'defaulted')) return undefined;
  const parsers = keys.map((k) => compile(shape[k]));
  const lines = keys.map((key, i) => {
    const k = JSON.stringify(key);
    const zod = internals(shape[key]);
    if (zod.optin === undefined) return `if (!(${k} in value)) misfit(); out[${k}] = p[${i}](value[${k}]);`;
    if (zod.optout === 'optional') return `v = p[${i}](value[${k}]); if (${k} in value) out[${k}] = v;`;
    return `v = p[${i}](value[${k}]); if (v !== undefined || ${k} in value) out[${k}] = v;`;
  });
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from the schema's own key names, never from input
  const make = new Function('p', 'isObject', 'misfit', `return function parseObject(value) {\n  if (!isObject(value)) misfit();\n  const out = {};\n  let v;\n  ${lines.join('\n  ')}\n  return out;\n};`) as (
    p: Fast[],
    isObj: typeof isObject,
    fail: typeof misfit,
  ) => Fast;
  return make(parsers, isObject, misfit);
}

function compileRecord(def: ZodInternals['def']): Fast | undefined {
  const keyDef = internals(def.keyType).def;
  if (keyDef.type !== 'string' || keyDef.coerce || keyDef.checks?.length || def.mode !== undefined) return undefined;
  const parseValue = compile(def.valueType);
  return (value) => {
    // JSON objects; anything more exotic is zod's to judge.
    if (!isObject(value) || Object.getPrototypeOf(value) !== Object.prototype) return misfit();
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      if (key === '__proto__') continue;
      out[key] = parseValue(value[key]);
    }
    return out;
  };
}

function compileNode(schema: unknown): Fast | undefined {
  const def = internals(schema).def;
  // A leaf with checks of its own (min(1), int(), a refine) runs through zod; other nodes with checks go to zod whole.
  if (def.checks?.length) {
    if (def.type === 'string' && rememberedLeaves.has(schema as object)) return remembering(viaZod(schema));
    return def.type === 'string' || def.type === 'number' ? viaZod(schema) : undefined;
  }
  switch (def.type) {
    case 'string':
      return def.coerce ? undefined : (v) => (typeof v === 'string' ? v : misfit());
    case 'number':
      return def.coerce ? undefined : (v) => (typeof v === 'number' && Number.isFinite(v) ? v : misfit());
    case 'boolean':
      return def.coerce ? undefined : (v) => (typeof v === 'boolean' ? v : misfit());
    case 'unknown':
    case 'any':
      return (v) => v;
    case 'optional': {
      if (internals(def.innerType).optin === 'optional') return undefined;
      const inner = compile(def.innerType);
      return (v) => (v === undefined ? undefined : inner(v));
    }
    case 'nullable': {
      const inner = compile(def.innerType);
      return (v) => (v === null ? null : inner(v));
    }
    case 'array': {
      const item = compile(def.element);
      return (v) => {
        if (!Array.isArray(v)) return misfit();
        const out = new Array<unknown>(v.length);
        for (let i = 0; i < v.length; i += 1) out[i] = item(v[i]);
        return out;
      };
    }
    case 'object':
      return compileObject(def);
    case 'record':
      return compileRecord(def);
    case 'pipe': {
      const from = compile(def.in);
      const to = internals(def.out).def.type === 'transform' ? viaZod(def.out) : compile(def.out);
      return (v) => to(from(v));
    }
    default:
      return undefined;
  }
}

function compile(schema: unknown): Fast {
  return compileNode(schema) ?? viaZod(schema);
}

const compiled = new WeakMap<object, Fast>();

/** `schema.safeParse(value)`, faster for a value that fits. */
export function parseAnswer<T>(schema: z.ZodType<T>, value: unknown): z.ZodSafeParseResult<T> {
  let fast = compiled.get(schema);
  if (!fast) {
    fast = compile(schema);
    compiled.set(schema, fast);
  }
  try {
    return { success: true, data: fast(value) as T };
  } catch (err) {
    if (err !== MISFIT) throw err;
    return schema.safeParse(value);
  }
}
