import { badRequest, type EmuRequest } from './http.js';

/** Reading and checking request parameters the way PAI's services answer bad ones. */

export type Body = Record<string, unknown>;

export const invalid = (param: string, rule: string) => badRequest(`InvalidParameter.${param}`, `The parameter ${param} is invalid: ${rule}.`);

export function bodyOf(req: EmuRequest): Body {
  if (req.body === undefined) return {};
  if (req.body === null || typeof req.body !== 'object' || Array.isArray(req.body)) throw badRequest('InvalidParameter', 'The request body must be a JSON object.');
  return req.body as Body;
}

export function optString(body: Body, name: string): string | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalid(name, 'must be a string');
  return v;
}

export function optEnum(body: Body, name: string, values: string[]): string | undefined {
  const v = optString(body, name);
  if (v !== undefined && !values.includes(v)) throw invalid(name, `must be one of ${values.join(', ')}`);
  return v;
}

export function optInt(body: Body, name: string): number | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw invalid(name, 'must be an integer');
  return v;
}

export function optObject(body: Body, name: string): Record<string, unknown> | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw invalid(name, 'must be a JSON object');
  return v as Record<string, unknown>;
}


/** PageNumber (from 1) and PageSize (1..max) as the list APIs read them. */
export function pageOf<T>(req: EmuRequest, items: T[], maxPageSize: number): T[] {
  const { PageNumber = '1', PageSize = '10' } = req.query;
  if (!/^\d+$/.test(PageNumber) || Number(PageNumber) < 1) throw invalid('PageNumber', 'must be an integer of at least 1');
  if (!/^\d+$/.test(PageSize) || Number(PageSize) < 1 || Number(PageSize) > maxPageSize) throw invalid('PageSize', `must be an integer from 1 to ${maxPageSize}`);
  const size = Number(PageSize);
  const start = (Number(PageNumber) - 1) * size;
  return items.slice(start, start + size);
}


export const contains = (haystack: string | undefined, needle: string) => (haystack ?? '').toLowerCase().includes(needle.toLowerCase());

export function parseJsonQuery<T>(req: EmuRequest, name: string): T[] | undefined {
  const raw = req.query[name];
  if (raw === undefined || raw === '') return undefined;
  try {
    const v = JSON.parse(raw) as unknown;
    if (!Array.isArray(v)) throw new Error('not an array');
    return v as T[];
  } catch {
    throw invalid(name, 'must be a JSON array');
  }
}


export function optNumber(body: Body, name: string): number | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(name, 'must be a number');
  return v;
}

export function optBool(body: Body, name: string): boolean | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw invalid(name, 'must be true or false');
  return v;
}
