import { z } from 'zod';
import { BadUserInputError, describeReceived } from './errors.js';
import { pathSegmentProblem } from './upstream/encoding.js';

function joinPath(root: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${String(seg)}` : String(seg)), root);
}

function at(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

/**
 * Validates GraphQL input with zod before any upstream call. A failure is a BAD_USER_INPUT
 * error naming the first offending field (as the client wrote it, e.g. `input.labels[0].key`)
 * and the rule it broke; `secretFields` are never echoed.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, root: string, secretFields: readonly string[] = []): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = joinPath(root, issue.path);
  const secret = issue.path.some((seg) => secretFields.includes(String(seg)));
  throw new BadUserInputError(field, issue.message, secret ? undefined : describeReceived(at(value, issue.path)));
}

/** UTF-8 length, the unit PAI's byte limits use. */
export const byteLength = (s: string): number => Buffer.byteLength(s, 'utf8');

/** A JSON object input (GraphQL `JSON` that must be an object, not an array or scalar). */
export const jsonObjectInput = z.record(z.string(), z.unknown(), { error: 'must be a JSON object' });

/** An optional GraphQL input field: absent and null both read as undefined. */
export const opt = <T extends z.ZodType>(s: T) => s.nullish().transform((v) => v ?? undefined);

/** A GraphQL enum argument, which arrives as the upstream string (see the domains' *.enums.ts). */
export const oneOf = <E extends Record<string, string>>(e: E, name: string) =>
  z.enum(Object.values(e) as [string, ...string[]], { error: `must be a ${name} value` });

/** Drops undefined fields so an upstream request holds only what the client set. */
export const compact = <T extends Record<string, unknown>>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** Longest id accepted (PAI's ids are far shorter; 128 leaves room for new formats). */
export const MAX_ID_LENGTH = 128;

/**
 * A value that becomes one segment of an upstream URL path (an id, a version name): refused
 * when it is `.` or `..`, holds `/`, `\` or a control character, or is longer than `max`.
 */
export const pathSegment = (max: number, empty: string) =>
  z
    .string()
    .min(1, empty)
    .max(max, `must be at most ${max} characters`)
    .superRefine((v, ctx) => {
      const problem = pathSegmentProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

/** A non-empty id of the named kind of object, safe as a URL path segment. */
export const idOf = (what: string) => z.string().trim().pipe(pathSegment(MAX_ID_LENGTH, `must be a non-empty ${what} id`));
