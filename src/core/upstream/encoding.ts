import { escape, stringify } from 'node:querystring';
import { BadUserInputError, describeReceived } from '../errors.js';
import type { BodyType, CallInput, QueryValue } from './operation.js';

const byText = (item: string) => item;

/**
 * Sorts `items` in place by `key`, in the order `sort` gives strings (UTF-16 code units),
 * stably. Arrays of a few items are sorted by insertion: V8's Array.prototype.sort sets up its
 * merge bookkeeping (about 1 KB) even for two items, and every upstream call sorts its query
 * keys, its signed headers and their values.
 */
export function sortByKey<T>(items: T[], key: (item: T) => string): T[] {
  if (items.length > 32) return items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  for (let i = 1; i < items.length; i += 1) {
    const item = items[i]!;
    const k = key(item);
    let j = i - 1;
    while (j >= 0 && key(items[j]!) > k) {
      items[j + 1] = items[j]!;
      j -= 1;
    }
    items[j + 1] = item;
  }
  return items;
}

/** `sortByKey` for strings themselves. */
export const sortTexts = (items: string[]): string[] => sortByKey(items, byText);

/** RFC 3986 percent-encoding (encodeURIComponent plus ! ' ( ) *): V3 canonical query values. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Path-parameter encoding of the official SDK (tea `url.ts`). */
export function encodePathParam(value: string): string {
  return encodeURIComponent(value).replace(/\+/g, '%20').replace(/\*/g, '%2A').replace(/%7E/g, '~');
}

/** Longest value any path parameter may have (ids are at most 128 characters; this is a backstop). */
export const MAX_PATH_SEGMENT = 256;

/** C0 and C1 control characters and DEL. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Why a value cannot be one segment of an upstream URL path, or undefined when it can. `.` and
 * `..` would be resolved by the URL parser (`/models/..` is `/`), `/` and `\` would add
 * segments, and control characters have no business in an id.
 */
export function pathSegmentProblem(value: string): string | undefined {
  if (value === '') return 'must not be empty';
  if (value === '.' || value === '..') return 'must not be "." or ".."';
  if (/[/\\]/.test(value)) return 'must not contain "/" or "\\"';
  if (CONTROL.test(value)) return 'must not contain control characters';
  if (value.length > MAX_PATH_SEGMENT) return `must be at most ${MAX_PATH_SEGMENT} characters`;
  return undefined;
}

/**
 * The path of an upstream call, every parameter checked as one path segment and then
 * percent-encoded. Inputs are checked (naming the GraphQL argument) before any call; this is
 * the backstop that no operation can forget: a bad value is refused here, before any request.
 */
export function buildPath(template: string, params: Readonly<Record<string, string>> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const v = params[name];
    if (v === undefined) throw new TypeError(`missing path parameter ${name} for ${template}`);
    const problem = pathSegmentProblem(v);
    if (problem) throw new BadUserInputError(name, problem, describeReceived(v));
    return encodePathParam(v);
  });
}

/** Scalars as text; arrays and objects as one JSON-serialised value (ListModels Tag/Conditions). */
export function queryValueToString(v: Exclude<QueryValue, undefined | null>): string {
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** Query parameters as text, without the unset ones. */
export function queryPairs(query: CallInput['query'] = {}): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [k, v] of Object.entries(query) as [string, QueryValue][]) {
    if (v === undefined || v === null) continue;
    pairs.push([k, queryValueToString(v)]);
  }
  return pairs;
}

/**
 * The query string as sent, without the leading `?`: Node's querystring encoding, which is
 * what the official runtime puts on the wire (the signature encodes values per RFC 3986 on
 * its own, see acs3.ts).
 */
export function buildQuery(query: CallInput['query'] = {}): string {
  return queryPairs(query)
    .map(([k, v]) => `${escape(k)}=${escape(v)}`)
    .join('&');
}

/**
 * The key order of the official SDK: it serialises request models field by field, and its
 * models declare their fields alphabetically; free-form JSON (`opaque` fields such as
 * `Metrics` or `ExtraInfo`, typed as maps) keeps the order the caller gave.
 */
const NOTHING_OPAQUE: ReadonlySet<string> = new Set();

export function sdkOrder<T>(value: T, opaque: ReadonlySet<string> = NOTHING_OPAQUE): T {
  if (Array.isArray(value)) return (value as unknown[]).map((v) => sdkOrder(v, opaque)) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of sortTexts(Object.keys(value))) {
    const v = (value as Record<string, unknown>)[key];
    out[key] = opaque.has(key) ? v : sdkOrder(v, opaque);
  }
  return out as T;
}

/**
 * `buildQuery(sdkOrder(query, opaque))` in one pass: the query string of a call, its keys in
 * the SDK's order, nested values ordered the same way. Every upstream call builds one, so it
 * makes no intermediate objects, entry arrays or pairs.
 */
export function encodeQuery(query: CallInput['query'], opaque: ReadonlySet<string>): string {
  if (!query) return '';
  const keys = Object.keys(query);
  sortTexts(keys);
  let out = '';
  for (const key of keys) {
    const v = (query as Readonly<Record<string, QueryValue>>)[key];
    if (v === undefined || v === null) continue;
    const text = typeof v === 'object' ? JSON.stringify(opaque.has(key) ? v : sdkOrder(v, opaque)) : String(v);
    out += `${out ? '&' : ''}${escape(key)}=${escape(text)}`;
  }
  return out;
}

/** Form body as Node's querystring.stringify writes it (what the SDK sends for formData). */
export function buildForm(fields: Readonly<Record<string, unknown>>): string {
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined || v === null) continue;
    params[k] = typeof v === 'object' ? JSON.stringify(v) : `${v as string | number | boolean}`;
  }
  return stringify(params);
}

/**
 * The body bytes of a call: fields in the SDK's order as JSON or a form, or the caller's own
 * JSON text unchanged (`raw`), which is then exactly what is signed and sent.
 */
export function encodeBody(type: Exclude<BodyType, 'none'>, body: NonNullable<CallInput['body']>, opaque: ReadonlySet<string>): string {
  if (type === 'raw') {
    if (typeof body !== 'string') throw new TypeError('a raw body must be the JSON text to send');
    return body;
  }
  if (typeof body === 'string') throw new TypeError(`a ${type} body must be an object of fields`);
  const fields = sdkOrder(body, opaque);
  return type === 'form' ? buildForm(fields) : JSON.stringify(fields);
}
