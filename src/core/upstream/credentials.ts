import { readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { Secret } from '../secret.js';

/** An AccessKey pair, with the security token when it is an STS credential. */
export interface AccessKeyCredential {
  readonly accessKeyId: string;
  readonly accessKeySecret: Secret;
  readonly securityToken?: Secret | undefined;
  /**
   * Sent (and signed) as `x-acs-credentials-provider`, as the official runtime does when its
   * credential reports where it came from (`static_ak`, `static_sts`).
   */
  readonly providerName?: string | undefined;
}

/**
 * Where the signer gets the credential for each request. A provider may change its answer at
 * any time (STS rotation), so the signer asks on every request and never caches.
 */
export type CredentialProvider = () => AccessKeyCredential | Promise<AccessKeyCredential>;

/** Fixed credentials, named like the official runtime's static providers. */
export function staticCredentials(credential: AccessKeyCredential): CredentialProvider {
  const named = { ...credential, providerName: credential.providerName ?? (credential.securityToken ? 'static_sts' : 'static_ak') };
  return () => named;
}

/** Shows an AccessKey id without giving it away: `LTAI****3xk`. */
export const maskAccessKeyId = (id: string): string => (id.length <= 8 ? '****' : `${id.slice(0, 4)}****${id.slice(-3)}`);

/**
 * The file formats accepted by `PAI_CREDENTIALS_FILE`: the `Credentials` object STS
 * AssumeRole returns (alone or wrapped in its response), or the same fields camel-cased.
 */
const CredentialFile = z
  .union([
    z.object({ Credentials: z.object({ AccessKeyId: z.string(), AccessKeySecret: z.string(), SecurityToken: z.string().optional() }) }).transform((f) => f.Credentials),
    z.object({ AccessKeyId: z.string(), AccessKeySecret: z.string(), SecurityToken: z.string().optional() }),
    z.object({ accessKeyId: z.string(), accessKeySecret: z.string(), securityToken: z.string().optional() }).transform((f) => ({ AccessKeyId: f.accessKeyId, AccessKeySecret: f.accessKeySecret, SecurityToken: f.securityToken })),
  ])
  .refine((f) => f.AccessKeyId.trim() !== '' && f.AccessKeySecret.trim() !== '', 'AccessKeyId and AccessKeySecret must not be empty');

export class CredentialFileError extends Error {
  override name = 'CredentialFileError';
}

function readCredentialFile(path: string): AccessKeyCredential {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? 'not valid JSON';
    throw new CredentialFileError(`cannot read ${path}: ${reason}`);
  }
  const parsed = CredentialFile.safeParse(json);
  if (!parsed.success) throw new CredentialFileError(`${path} must hold AccessKeyId, AccessKeySecret and optionally SecurityToken (as STS AssumeRole returns them)`);
  const f = parsed.data;
  return { accessKeyId: f.AccessKeyId.trim(), accessKeySecret: new Secret(f.AccessKeySecret.trim()), securityToken: f.SecurityToken ? new Secret(f.SecurityToken.trim()) : undefined };
}

/**
 * Credentials from a JSON file that something else rotates (a sidecar refreshing STS tokens, a
 * mounted Kubernetes secret). The file is read at start, which fails loudly when it is bad,
 * then re-read whenever its modification time changes (checked at most once per
 * `checkIntervalMs`). A rotation that leaves the file unreadable keeps the last good
 * credential and reports the problem through `onError`, without its contents.
 */
export function fileCredentials(path: string, opts: { checkIntervalMs?: number; onError?: (message: string) => void; now?: () => number } = {}): CredentialProvider {
  const interval = opts.checkIntervalMs ?? 1000;
  const now = opts.now ?? Date.now;
  let current = readCredentialFile(path);
  let mtime = statSync(path).mtimeMs;
  let checkedAt = now();
  return () => {
    if (now() - checkedAt < interval) return current;
    checkedAt = now();
    try {
      const m = statSync(path).mtimeMs;
      if (m !== mtime) {
        current = readCredentialFile(path);
        mtime = m;
      }
    } catch (err) {
      opts.onError?.(err instanceof CredentialFileError ? err.message : `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    return current;
  };
}
