import { stringify } from 'node:querystring';
import type { CallInput, QueryValue } from './operation.js';

/** RFC 3986 percent-encoding: encodeURIComponent plus ! ' ( ) *. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Path-parameter encoding of the official SDK (tea `url.ts`). */
export function encodePathParam(value: string): string {
  return encodeURIComponent(value).replace(/\+/g, '%20').replace(/\*/g, '%2A').replace(/%7E/g, '~');
}

export function buildPath(template: string, params: Readonly<Record<string, string>> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const v = params[name];
    if (v === undefined || v === '') throw new TypeError(`missing path parameter ${name} for ${template}`);
    return encodePathParam(v);
  });
}

/** Scalars as text; arrays and objects as one JSON-serialised value (ListModels Tag/Conditions). */
export function queryValueToString(v: Exclude<QueryValue, undefined | null>): string {
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** The query string as sent, without the leading `?`; undefined and null values are left out. */
export function buildQuery(query: CallInput['query'] = {}): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query) as [string, QueryValue][]) {
    if (v === undefined || v === null) continue;
    parts.push(`${percentEncode(k)}=${percentEncode(queryValueToString(v))}`);
  }
  return parts.join('&');
}

/** Form body as Node's querystring.stringify writes it (what the SDK sends for formData). */
export function buildForm(fields: Readonly<Record<string, unknown>>): string {
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined || v === null) continue;
    params[k] = typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return stringify(params);
}
