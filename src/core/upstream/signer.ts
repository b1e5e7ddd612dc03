import type { Credentials } from '../config.js';
import { acsDate, authorizationHeader, canonicalRequest, decodeQuery, EMPTY_SHA256, newNonce, sha256Hex, signCanonical } from './acs3.js';
import { fileCredentials, staticCredentials, type CredentialProvider } from './credentials.js';
import type { HttpMethod } from './operation.js';

/**
 * The headers of a request being signed: a WHATWG `Headers`, or the upstream client's lighter
 * `HeaderList` (./http.ts). Names are lower-case.
 */
export interface RequestHeaders extends Iterable<[string, string]> {
  set(name: string, value: string): void;
  get(name: string): string | null;
}

/** The request exactly as it will be sent; a signer adds headers and changes nothing else. */
export interface OutgoingRequest {
  readonly method: HttpMethod;
  readonly url: URL;
  readonly headers: RequestHeaders;
  /** The body bytes as sent (undefined when there is none). */
  readonly body: string | undefined;
  readonly action: string;
  readonly version: string;
}

/** The one place credentials are applied to outgoing requests. */
export interface Signer {
  readonly kind: string;
  sign(request: OutgoingRequest): void | Promise<void>;
  /**
   * Who the requests are signed as, in a form that gives nothing away (an AccessKey id, a
   * hash of an API key): shared reads and cached answers are kept apart by it.
   */
  identity(): string | Promise<string>;
}

/** The seeds' mode: `Authorization: Bearer <DASHSCOPE_API_KEY>` on every request. */
export function createBearerSigner(credentials: Extract<Credentials, { kind: 'bearer' }>): Signer {
  const identity = `bearer:${sha256Hex(Buffer.from(credentials.apiKey.reveal(), 'utf8')).slice(0, 32)}`;
  return {
    kind: 'bearer',
    identity: () => identity,
    sign(request) {
      request.headers.set('authorization', `Bearer ${credentials.apiKey.reveal()}`);
    },
  };
}

export interface AccessKeySignerOptions {
  /** Asked on every request, so rotated STS credentials take effect at once. */
  readonly credentials: CredentialProvider;
  /** The time written to `x-acs-date`; tests pin it. */
  readonly now?: () => Date;
  /** The `x-acs-signature-nonce` source; tests pin it. */
  readonly nonce?: () => string;
}

/**
 * AccessKey signatures, version 3 (ACS3-HMAC-SHA256), over the exact request about to be
 * sent: the path and query as they appear on the wire, the body bytes, and the host,
 * content-type and x-acs-* headers. STS credentials add `x-acs-accesskey-id` and
 * `x-acs-security-token`, both signed, as the official runtime does.
 */
export function createAccessKeySigner(options: AccessKeySignerOptions): Signer {
  const now = options.now ?? (() => new Date());
  const nonce = options.nonce ?? newNonce;
  return {
    kind: 'accessKey',
    async identity() {
      return `ak:${(await options.credentials()).accessKeyId}`;
    },
    async sign(request) {
      const credential = await options.credentials();
      const { headers, url } = request;
      const payloadHash = request.body === undefined ? EMPTY_SHA256 : sha256Hex(Buffer.from(request.body, 'utf8'));
      headers.set('x-acs-date', acsDate(now()));
      headers.set('x-acs-signature-nonce', nonce());
      headers.set('x-acs-content-sha256', payloadHash);
      if (credential.providerName) headers.set('x-acs-credentials-provider', credential.providerName);
      if (credential.securityToken) {
        headers.set('x-acs-accesskey-id', credential.accessKeyId);
        headers.set('x-acs-security-token', credential.securityToken.reveal());
      }
      const { canonical, signedHeaders } = canonicalRequest({
        method: request.method,
        path: url.pathname,
        query: decodeQuery(url.search.slice(1)),
        headers: [['host', url.host], ...headers],
        payloadHash,
      });
      headers.set('authorization', authorizationHeader(credential.accessKeyId, signedHeaders, signCanonical(canonical, credential.accessKeySecret.reveal())));
    },
  };
}

export function createSigner(credentials: Credentials, opts: { onCredentialError?: (message: string) => void } = {}): Signer {
  switch (credentials.kind) {
    case 'bearer':
      return createBearerSigner(credentials);
    case 'accessKey':
      return createAccessKeySigner({ credentials: staticCredentials(credentials.credential) });
    case 'accessKeyFile':
      return createAccessKeySigner({ credentials: fileCredentials(credentials.path, { onError: opts.onCredentialError }) });
  }
}
