import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * The emulator's view of HTTP: a request as PAI's gateway sees it, route definitions by
 * action, and Alibaba-style error bodies.
 */

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface EmuRequest {
  readonly action: string;
  readonly method: Method;
  readonly path: string;
  /** Path parameters, percent-decoded. */
  readonly params: Readonly<Record<string, string>>;
  /** Query parameters, percent-decoded (a repeated name keeps its last value). */
  readonly query: Readonly<Record<string, string>>;
  /** Parsed body: JSON for application/json, fields for form bodies, undefined when empty. */
  readonly body: unknown;
  readonly rawBody: string;
  readonly headers: IncomingHttpHeaders;
  readonly requestId: string;
}

export interface EmuResponse {
  readonly status?: number;
  readonly body: unknown;
}

export interface Route {
  readonly product: string;
  readonly version: string;
  readonly action: string;
  readonly method: Method;
  /** Path template with `{Param}` segments. */
  readonly path: string;
  readonly handler: (req: EmuRequest) => EmuResponse | Promise<EmuResponse>;
}

/** An error the service answers with: HTTP status plus the body's Code and Message. */
export class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

export const badRequest = (code: string, message: string) => new ServiceError(400, code, message);
export const notFound = (code: string, message: string) => new ServiceError(404, code, message);

export const newRequestId = () => randomUUID().toUpperCase();

/** The error body shape of Alibaba Cloud's OpenAPI gateway. */
export function errorBody(err: ServiceError, product: string, requestId: string, host: string) {
  return {
    RequestId: requestId,
    HostId: host,
    Code: err.code,
    Message: err.message,
    Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(err.code)}&product=${encodeURIComponent(product)}&requestId=${requestId}`,
    // EAS error bodies carry these two besides (upstream-contract 12.7).
    ...(product === 'eas' ? { HttpCode: err.status, Success: false } : {}),
  };
}

/** Matches a concrete path against a `{Param}` template; returns decoded params or undefined. */
export function matchPath(template: string, path: string): Record<string, string> | undefined {
  const t = template.split('/');
  const p = path.split('/');
  if (t.length !== p.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < t.length; i += 1) {
    const seg = t[i]!;
    const got = p[i]!;
    if (seg.startsWith('{') && seg.endsWith('}')) {
      if (!got) return undefined;
      try {
        params[seg.slice(1, -1)] = decodeURIComponent(got);
      } catch {
        return undefined;
      }
    } else if (seg !== got) {
      return undefined;
    }
  }
  return params;
}
