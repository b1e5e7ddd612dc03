import type { IncomingHttpHeaders } from 'node:http';
import { canonicalRequest, decodeQuery, parseAuthorization, sameSignature, sha256Hex, signCanonical } from '../core/upstream/acs3.js';
import type { AccessKeyCredential } from '../core/upstream/credentials.js';
import { ServiceError } from './http.js';

/**
 * Checks V3 (ACS3-HMAC-SHA256) signatures the way PAI's gateway does: recompute the signature
 * from the request as received, refuse stale dates and reused nonces, and check the STS token
 * that belongs to the AccessKey id. Error codes and statuses are the service's.
 */

/** How far `x-acs-date` may be from the emulator's clock, as the service allows. */
export const MAX_CLOCK_SKEW_MS = 15 * 60_000;

export interface ReceivedRequest {
  readonly method: string;
  /** The request target as received: path and raw query. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
}

const bad = (code: string, message: string, status = 400) => new ServiceError(status, code, message);

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** The received query as pairs; a bad percent-escape is the client's malformed signature input. */
function receivedQuery(raw: string): [string, string][] {
  try {
    return decodeQuery(raw);
  } catch {
    throw bad('IncompleteSignature', 'The query string is not correctly percent-encoded.');
  }
}

/** Most nonces the verifier remembers; past it the oldest are forgotten first (a bound on its memory). */
export const MAX_REMEMBERED_NONCES = 200_000;

export function createSignatureVerifier(opts: { accessKeys: () => readonly AccessKeyCredential[]; now?: () => number; maxNonces?: number }) {
  const now = opts.now ?? Date.now;
  const maxNonces = opts.maxNonces ?? MAX_REMEMBERED_NONCES;
  /**
   * Nonces spent, oldest first, each with the time after which it can be forgotten: a request
   * is accepted only within MAX_CLOCK_SKEW_MS of its x-acs-date, so a replay could be accepted
   * at most 2 x MAX_CLOCK_SKEW_MS after the first use arrived. Those times grow with the order
   * of arrival (a nonce used again is moved to the end), so forgetting walks from the front
   * and stops at the first nonce still needed: each nonce is visited once to be forgotten,
   * instead of the whole map on every request once it held 10,000 (which made the emulator
   * slower with every request in a long benchmark).
   */
  const nonces = new Map<string, number>();

  function rememberNonce(nonce: string, at: number) {
    for (const [n, until] of nonces) {
      if (until >= at) break;
      nonces.delete(n);
    }
    if ((nonces.get(nonce) ?? 0) >= at) throw bad('SignatureNonceUsed', 'Specified signature nonce was used already.');
    nonces.delete(nonce);
    if (nonces.size >= maxNonces) nonces.delete(nonces.keys().next().value!);
    nonces.set(nonce, at + 2 * MAX_CLOCK_SKEW_MS);
  }

  return {
    verify(req: ReceivedRequest): void {
      const auth = parseAuthorization(headerValue(req.headers, 'authorization'));
      if (!auth) throw bad('IncompleteSignature', 'The request signature does not conform to Aliyun standards.');
      const credential = opts.accessKeys().find((k) => k.accessKeyId === auth.accessKeyId);
      if (!credential) throw bad('InvalidAccessKeyId.NotFound', 'Specified access key is not found.', 404);

      const present = Object.keys(req.headers).filter((h) => h.startsWith('x-acs-'));
      const required = ['host', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256', 'x-acs-action', 'x-acs-version'];
      const missing = [...required, ...present].find((h) => !auth.signedHeaders.includes(h) || headerValue(req.headers, h) === undefined);
      if (missing) throw bad('IncompleteSignature', `The header ${missing} must be present and signed.`);

      const at = now();
      const date = headerValue(req.headers, 'x-acs-date')!;
      const dateMs = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(date) ? Date.parse(date) : NaN;
      if (Number.isNaN(dateMs) || Math.abs(at - dateMs) > MAX_CLOCK_SKEW_MS) throw bad('InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');

      const token = headerValue(req.headers, 'x-acs-security-token');
      if (credential.securityToken) {
        if (token !== credential.securityToken.reveal()) throw bad('InvalidSecurityToken.Mismatch', 'Specified SecurityToken is invalid or does not belong to this AccessKey.');
        if (headerValue(req.headers, 'x-acs-accesskey-id') !== credential.accessKeyId) throw bad('InvalidSecurityToken.MismatchWithAccessKey', 'x-acs-accesskey-id does not match the Credential.');
      } else if (token !== undefined) {
        throw bad('InvalidSecurityToken.Mismatch', 'This AccessKey takes no SecurityToken.');
      }

      const payloadHash = headerValue(req.headers, 'x-acs-content-sha256')!;
      if (payloadHash !== sha256Hex(Buffer.from(req.rawBody, 'utf8'))) throw bad('SignatureDoesNotMatch', 'x-acs-content-sha256 does not match the request body.');

      const q = req.url.indexOf('?');
      const { canonical, signedHeaders } = canonicalRequest({
        method: req.method,
        path: q < 0 ? req.url : req.url.slice(0, q),
        query: receivedQuery(q < 0 ? '' : req.url.slice(q + 1)),
        headers: auth.signedHeaders.map((h) => [h, headerValue(req.headers, h) ?? ''] as const),
        payloadHash,
      });
      if (signedHeaders !== auth.signedHeaders.join(';') || !sameSignature(signCanonical(canonical, credential.accessKeySecret.reveal()), auth.signature)) {
        throw bad('SignatureDoesNotMatch', 'Specified signature does not match our calculation.');
      }
      // Only a request whose signature holds may spend its nonce.
      rememberNonce(headerValue(req.headers, 'x-acs-signature-nonce')!, at);
    },
  };
}
