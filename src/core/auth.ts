import { hash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';

/**
 * Who may call the gateway. Callers present `Authorization: Bearer <token>`: a static token
 * from GATEWAY_TOKENS (or a hash of one from GATEWAY_TOKENS_FILE) or a JWT verified against a
 * JWKS. Scopes are `read` (queries) and `write` (mutations). Tokens are kept only as SHA-256
 * hashes and compared in constant time.
 */

export type Scope = 'read' | 'write';

export interface Caller {
  /** A name safe to log and to key budgets by (never the token). */
  readonly name: string;
  readonly scopes: ReadonlySet<Scope>;
  readonly anonymous: boolean;
  /**
   * When the credential stops being valid (ms since the epoch): a JWT's exp plus the clock
   * skew tolerated. Long-lived connections (WebSocket) are closed then; HTTP requests are each
   * authenticated anyway. Absent for gateway tokens, which do not expire.
   */
  readonly expiresAt?: number;
}

export interface StaticToken {
  readonly name: string;
  /** SHA-256 of the token, hex. */
  readonly sha256: string;
  readonly scopes: readonly Scope[];
}

export interface JwtSettings {
  readonly jwksUrl: string;
  readonly issuer?: string | undefined;
  readonly audience?: string | undefined;
  /** Clock difference tolerated between the issuer and the gateway when checking exp, nbf and iat. */
  readonly clockSkewSeconds: number;
}

export interface AuthSettings {
  readonly tokens: readonly StaticToken[];
  readonly jwt?: JwtSettings | undefined;
  /** Callers without a token get read and write access (demo mode, or ALLOW_ANONYMOUS=true). */
  readonly allowAnonymous: boolean;
}

// One-shot hashes (crypto.hash): no Hash object per request.
export const sha256 = (text: string): string => hash('sha256', text, 'hex');

const digest = (text: string): Buffer => hash('sha256', text, 'buffer');


/** A check of a shared secret (e.g. the router's); with no secret configured, everyone passes. */
export function createSharedSecretCheck(secret: string | undefined): (presented: string | string[] | undefined) => boolean {
  if (secret === undefined) return () => true;
  const known = digest(secret);
  return (presented) => typeof presented === 'string' && timingSafeEqual(digest(presented), known);
}

/** The token of an `Authorization: Bearer <token>` header, or undefined for any other form. */
export function readBearerToken(header: string | undefined): string | undefined {
  return header === undefined ? undefined : /^Bearer ([^\s]+)$/i.exec(header.trim())?.[1];
}

const SCOPES = new Set<Scope>(['read', 'write']);

function parseScopes(text: string, where: string): Scope[] {
  const scopes = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (!scopes.length || scopes.some((s) => !SCOPES.has(s as Scope))) throw new Error(`${where}: scopes must be read, write or read,write`);
  return scopes as Scope[];
}

/** `GATEWAY_TOKENS`: entries separated by `;`, each `name:token:scopes`, e.g. `web:abc123:read;ci:def456:read,write`. */
export function parseGatewayTokens(text: string): StaticToken[] {
  return text
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry, i) => {
      const parts = entry.split(':');
      const where = `entry ${i + 1}`;
      if (parts.length !== 3 || !/^[\w.-]{1,64}$/.test(parts[0]!)) throw new Error(`${where} must be name:token:scopes with a name of letters, digits, ".", "_" or "-"`);
      if (parts[1]!.length < 8) throw new Error(`${where} (${parts[0]}): the token must be at least 8 characters`);
      return { name: parts[0]!, sha256: sha256(parts[1]!), scopes: parseScopes(parts[2]!, `${where} (${parts[0]})`) };
    });
}

/** `GATEWAY_TOKENS_FILE`: one `name:sha256hex:scopes` per line; `#` starts a comment. */
export function readTokensFile(path: string): StaticToken[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, { cause: err });
  }
  return text
    .split('\n')
    .map((line, i) => ({ line: line.replace(/#.*/, '').trim(), n: i + 1 }))
    .filter(({ line }) => line)
    .map(({ line, n }) => {
      const [name, hash, scopes, ...rest] = line.split(':');
      if (!name || !hash || !scopes || rest.length || !/^[0-9a-f]{64}$/.test(hash)) throw new Error(`${path} line ${n} must be name:sha256-hex:scopes`);
      return { name, sha256: hash, scopes: parseScopes(scopes, `${path} line ${n}`) };
    });
}

export class AuthError extends Error {
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
  }
}

async function verifyJwt(token: string, jwks: ReturnType<typeof createRemoteJWKSet>, jwt: JwtSettings): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(token, jwks, {
      ...(jwt.issuer ? { issuer: jwt.issuer } : {}),
      ...(jwt.audience ? { audience: jwt.audience } : {}),
      // A token without an expiry would stay a valid credential forever once leaked.
      requiredClaims: ['exp'],
      clockTolerance: jwt.clockSkewSeconds,
    });
    return payload;
  } catch (err) {
    // jose checks claims only after the signature, so naming the failed claim tells a forger nothing.
    if (err instanceof joseErrors.JWTExpired) throw new AuthError(401, 'The bearer token has expired.');
    if (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === 'exp') throw new AuthError(401, 'The bearer token must carry an expiry (exp claim).');
    throw new AuthError(401, 'The bearer token is not valid.');
  }
}

/** Resolves the caller of a request from its Authorization header. */
export function createAuthenticator(settings: AuthSettings) {
  const tokens = settings.tokens.map((t) => ({ ...t, hash: Buffer.from(t.sha256, 'hex') }));
  const jwks = settings.jwt ? createRemoteJWKSet(new URL(settings.jwt.jwksUrl)) : undefined;
  const anonymous: Caller = { name: 'anonymous', scopes: new Set(['read', 'write']), anonymous: true };

  return async function authenticate(header: string | undefined): Promise<Caller> {
    if (!header) {
      if (settings.allowAnonymous) return anonymous;
      throw new AuthError(401, 'Authentication required: send Authorization: Bearer <gateway token>.');
    }
    const token = readBearerToken(header);
    if (token === undefined) throw new AuthError(401, 'The Authorization header must be "Bearer <gateway token>".');
    // Compared as SHA-256 digests in constant time: equal lengths, and no token kept in memory.
    const presented = digest(token);
    for (const t of tokens) {
      if (timingSafeEqual(presented, t.hash)) return { name: t.name, scopes: new Set(t.scopes), anonymous: false };
    }
    if (jwks && settings.jwt && token.split('.').length === 3) {
      const payload = await verifyJwt(token, jwks, settings.jwt);
      const scopes = new Set(
        (typeof payload.scope === 'string' ? payload.scope : '')
          .split(/\s+/)
          .map((s) => s.replace(/^pai-graph:/, ''))
          .filter((s): s is Scope => SCOPES.has(s as Scope)),
      );
      // verifyJwt requires exp.
      return { name: `jwt:${payload.sub ?? 'unknown'}`, scopes, anonymous: false, expiresAt: (payload.exp! + settings.jwt.clockSkewSeconds) * 1000 };
    }
    throw new AuthError(401, 'The bearer token is not valid.');
  };
}

export type Authenticator = ReturnType<typeof createAuthenticator>;
