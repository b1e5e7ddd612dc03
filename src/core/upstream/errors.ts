import { ErrorCode, UpstreamError, type UpstreamInfo } from '../errors.js';

/** Fields of an Alibaba Cloud error body, read as leniently as the official runtime reads them. */
export interface UpstreamErrorBody {
  code?: string | undefined;
  message?: string | undefined;
  requestId?: string | undefined;
}

export function readErrorBody(text: string): UpstreamErrorBody {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return {};
  }
  return errorBodyOf(body);
}

/** The error fields of an answer already parsed (a 2xx answer that may carry its error in the body). */
export function errorBodyOf(body: unknown): UpstreamErrorBody {
  if (!body || typeof body !== 'object') return {};
  const fields = body as Record<string, unknown>;
  const pick = (...keys: string[]) => {
    for (const k of keys) if (typeof fields[k] === 'string' && fields[k] !== '') return fields[k];
    return undefined;
  };
  return { code: pick('Code', 'code'), message: pick('Message', 'message'), requestId: pick('RequestId', 'requestId') };
}

/**
 * Milliseconds the upstream asked us to wait: `x-acs-retry-after` is milliseconds (as
 * Alibaba's runtime reads it); `Retry-After` is seconds or an HTTP date.
 */
export function readRetryAfterMs(headers: { get(name: string): string | null | undefined }, now = Date.now()): number | undefined {
  const acs = headers.get('x-acs-retry-after');
  if (acs && /^\d+$/.test(acs.trim()) && Number(acs) > 0) return Number(acs);
  const std = headers.get('retry-after')?.trim();
  if (!std) return undefined;
  if (/^\d+$/.test(std)) return Number(std) * 1000;
  // Only a date with a month or weekday name: V8's lenient Date.parse reads "1.5" as a day in 2001.
  const date = /[a-z]/i.test(std) ? Date.parse(std) : NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const CREDENTIAL_CODES = /^(SignatureDoesNotMatch|IncompleteSignature|SignatureNonceUsed|InvalidTimeStamp|InvalidAccessKeyId|InvalidApiKey|InvalidSecurityToken|UnsupportedSignatureType|Unauthorized|MissingAuthorization)/i;

/** Keeps an upstream message to one short line; it is shown to clients only for 4xx answers. */
const clip = (s: string | undefined) => (s ? s.replace(/\s+/g, ' ').slice(0, 300) : undefined);

/**
 * The one mapping from an upstream HTTP answer to our error vocabulary.
 * Upstream bodies are never copied into errors; only Code, a clipped Message and RequestId.
 */
export function mapUpstreamError(
  info: { product: UpstreamInfo['product']; action: string; status: number; classifyAs?: number },
  body: UpstreamErrorBody,
  retryAfterMs: number | undefined,
): UpstreamError {
  const { product, action } = info;
  const upstream: UpstreamInfo = { product, action, status: info.status, code: body.code, requestId: body.requestId };
  // An error reported inside a 2xx body is classified as the 4xx it stands for.
  const status = info.classifyAs ?? info.status;
  const code = body.code ?? '';
  const detail = clip(body.message);
  const said = detail ? `: ${detail}` : '';

  if (status === 429 || /^Throttling/i.test(code) || (retryAfterMs !== undefined && status < 500)) {
    const wait = retryAfterMs === undefined ? '' : `; retry after ${Math.ceil(retryAfterMs / 1000)} s`;
    return new UpstreamError(ErrorCode.RATE_LIMITED, `${product} is throttling ${action}${wait}`, upstream, { retryAfterMs: retryAfterMs ?? 1000 });
  }
  if (status === 401 || CREDENTIAL_CODES.test(code)) {
    return new UpstreamError(ErrorCode.UPSTREAM_ERROR, `${product} rejected the gateway's credentials for ${action} (${code || status}); an operator must fix the gateway configuration`, upstream);
  }
  if (status === 403) {
    return new UpstreamError(ErrorCode.FORBIDDEN, `${product} does not allow the gateway's identity to call ${action} (${code || status})`, upstream);
  }
  if (status === 404 || /NotFound|NotExist/i.test(code)) {
    return new UpstreamError(ErrorCode.NOT_FOUND, `${product} found no such resource for ${action}${said}`, upstream);
  }
  if (status >= 400 && status < 500) {
    return new UpstreamError(ErrorCode.BAD_USER_INPUT, `${product} rejected ${action}${said}`, upstream);
  }
  // A 5xx that names a time keeps it: the client holds the action until then.
  if (status === 503) {
    return new UpstreamError(ErrorCode.UPSTREAM_UNAVAILABLE, `${product} is unavailable (HTTP 503) for ${action}`, upstream, { retryAfterMs });
  }
  if (status === 504) {
    return new UpstreamError(ErrorCode.UPSTREAM_TIMEOUT, `${product} timed out serving ${action} (HTTP 504)`, upstream, { retryAfterMs });
  }
  return new UpstreamError(ErrorCode.UPSTREAM_ERROR, `${product} failed to serve ${action} (HTTP ${status})`, upstream, { retryAfterMs });
}
