import { z } from 'zod';
import { rememberAccepted } from './upstream/fast-parse.js';
import { fromLlmTraceTime } from './time.js';

/**
 * Building blocks for upstream DTO schemas. Upstream optional fields may be absent or null;
 * both read as "not set".
 */
export const text = z.string().nullish();

/**
 * An ISO 8601 time as PAI sends it (with or without milliseconds). Its check is remembered per
 * distinct text: the same models' times come back in every list.
 */
export const isoTime = rememberAccepted(
  z.string().refine((s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)), {
    message: 'must be an ISO 8601 time',
  }),
).nullish();

/** A free-form JSON object (PAI `map<string,any>`). */
export const jsonObject = z.record(z.string(), z.unknown()).nullish();

/** A whole number PAI types as int32/int64. */
export const integer = z.number().int().nullish();

/** A list that PAI may leave out or send as null; reads as empty. */
export const list = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((v) => v ?? []);

export const requestId = z.string().optional();

/** A PaiLLMTrace time (`YYYY-MM-DD HH:mm:ss`, UTC), read as ISO 8601; empty reads as unset. */
export const llmTraceTime = z
  .string()
  .nullish()
  .transform((s, ctx) => {
    if (s === null || s === undefined || s === '') return null;
    const iso = fromLlmTraceTime(s);
    if (iso === undefined) {
      ctx.addIssue({ code: 'custom', message: 'must be a time in YYYY-MM-DD HH:mm:ss form' });
      return z.NEVER;
    }
    return iso;
  });
