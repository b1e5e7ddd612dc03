import { createHmac, hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { percentEncode, sortByKey, sortTexts } from './encoding.js';

/**
 * Alibaba Cloud signature version 3 (`ACS3-HMAC-SHA256`) for ROA requests, as the official
 * runtime computes it (upstream-contract section 8). Shared by the gateway's signer and the
 * emulator's verifier, so both read the same rules; the oracle tests hold both to the
 * official SDK's bytes.
 */

export const ACS3_ALGORITHM = 'ACS3-HMAC-SHA256';

/** SHA-256 of no bytes: the `x-acs-content-sha256` of a request without a body. */
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** Hex SHA-256 of a text (as UTF-8) or bytes, in one call: no Hash object per request. */
export const sha256Hex = (data: string | Buffer): string => hash('sha256', data, 'hex');

let lastSecond = Number.NaN;
let lastDate = '';

/** `x-acs-date`: UTC, second precision, e.g. `2026-11-22T21:00:00Z` (made once per second, not per request). */
export const acsDate = (date: Date): string => {
  const second = Math.floor(date.getTime() / 1000);
  if (second !== lastSecond) {
    lastDate = date.toISOString().replace(/\.\d{3}Z$/, 'Z');
    lastSecond = second;
  }
  return lastDate;
};

/** Nonces drawn per refill of the random pool: one randomBytes call serves this many requests. */
const NONCES_PER_POOL = 128;
let noncePool = Buffer.alloc(0);
let nonceOffset = 0;

/**
 * A fresh `x-acs-signature-nonce` (the SDK sends 64 hex characters): 32 bytes from the CSPRNG,
 * taken from a pool filled 128 nonces at a time (as Node's randomUUID does), since a
 * randomBytes call per upstream request cost more than the bytes themselves. No byte is
 * used twice.
 */
export const newNonce = (): string => {
  if (nonceOffset >= noncePool.length) {
    noncePool = randomBytes(32 * NONCES_PER_POOL);
    nonceOffset = 0;
  }
  const nonce = noncePool.toString('hex', nonceOffset, nonceOffset + 32);
  nonceOffset += 32;
  return nonce;
};

export interface CanonicalInput {
  readonly method: string;
  /** The path exactly as sent (path parameters already percent-encoded). */
  readonly path: string;
  /** Decoded query parameters; order does not matter. */
  readonly query: ReadonlyArray<readonly [string, string]>;
  /** Header names and values; only host, content-type and x-acs-* are signed. */
  readonly headers: Iterable<readonly [string, string]>;
  /** `x-acs-content-sha256`. */
  readonly payloadHash: string;
}

/**
 * A query string as it travels (`a=1&b=%E4%B8%AD`, without `?`) as name/value pairs, the form
 * the canonical request sorts and re-encodes. Throws URIError on a bad percent-escape.
 */
export function decodeQuery(raw: string): [string, string][] {
  if (!raw) return [];
  return raw.split('&').map((part) => {
    const i = part.indexOf('=');
    return i < 0 ? [decodeURIComponent(part), ''] : [decodeURIComponent(part.slice(0, i)), decodeURIComponent(part.slice(i + 1))];
  });
}

/** The headers V3 signs: host, content-type and every x-acs-* header. */
const isSigned = (name: string) => name === 'host' || name === 'content-type' || name.startsWith('x-acs-');

const pairName = (pair: readonly [string, string]) => pair[0];
const pairValue = (pair: readonly [string, string]) => pair[1];

export function canonicalRequest(input: CanonicalInput): { canonical: string; signedHeaders: string } {
  const uri = input.path.replace(/\+/g, '%20').replace(/\*/g, '%2A').replace(/%7E/g, '~') || '/';
  const query = sortByKey([...input.query], pairName)
    .map(([k, v]) => `${k}=${percentEncode(v)}`)
    .join('&');
  // The signed headers sorted by name (a stable sort); a name sent more than once signs its
  // values sorted and joined by commas.
  const signed: [string, string][] = [];
  for (const [rawName, value] of input.headers) {
    const name = rawName.toLowerCase();
    if (isSigned(name)) signed.push([name, value.trim()]);
  }
  sortByKey(signed, pairName);
  let headerBlock = '';
  let signedHeaders = '';
  for (let i = 0; i < signed.length; ) {
    const name = signed[i]![0];
    let end = i + 1;
    while (end < signed.length && signed[end]![0] === name) end += 1;
    const value = end - i === 1 ? signed[i]![1] : sortTexts(signed.slice(i, end).map(pairValue)).join(',');
    headerBlock += `${name}:${value}\n`;
    signedHeaders += i === 0 ? name : `;${name}`;
    i = end;
  }
  return { canonical: `${input.method.toUpperCase()}\n${uri}\n${query}\n${headerBlock}\n${signedHeaders}\n${input.payloadHash}`, signedHeaders };
}

/** The hex signature of a canonical request under an AccessKey secret. */
export function signCanonical(canonical: string, accessKeySecret: string): string {
  const stringToSign = `${ACS3_ALGORITHM}\n${sha256Hex(canonical)}`;
  return createHmac('sha256', accessKeySecret).update(stringToSign).digest('hex');
}

export function authorizationHeader(accessKeyId: string, signedHeaders: string, signature: string): string {
  return `${ACS3_ALGORITHM} Credential=${accessKeyId},SignedHeaders=${signedHeaders},Signature=${signature}`;
}

/** Parses an `ACS3-HMAC-SHA256 Credential=...,SignedHeaders=...,Signature=...` header. */
export function parseAuthorization(header: string | undefined): { accessKeyId: string; signedHeaders: string[]; signature: string } | undefined {
  const match = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]*),Signature=([0-9a-f]+)$/.exec(header ?? '');
  if (!match) return undefined;
  return { accessKeyId: match[1]!, signedHeaders: match[2]!.split(';').filter(Boolean), signature: match[3]! };
}

/** Constant-time comparison of two hex signatures. */
export function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
