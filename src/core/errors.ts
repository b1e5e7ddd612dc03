import { GraphQLError, type GraphQLErrorOptions } from 'graphql';
import type { ProductName } from './upstream/products.js';

/** The one error vocabulary clients see in `errors[].extensions.code`. */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  RATE_LIMITED: 'RATE_LIMITED',
  OPERATION_TOO_COSTLY: 'OPERATION_TOO_COSTLY',
  PERSISTED_DOCUMENT_REQUIRED: 'PERSISTED_DOCUMENT_REQUIRED',
  UPSTREAM_ERROR: 'UPSTREAM_ERROR',
  UPSTREAM_TIMEOUT: 'UPSTREAM_TIMEOUT',
  UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  UPSTREAM_CONTRACT: 'UPSTREAM_CONTRACT',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** HTTP status an operation answers with when this error is the whole answer (no data). */
const HTTP_STATUS: Record<ErrorCode, number> = {
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  OPERATION_TOO_COSTLY: 400,
  PERSISTED_DOCUMENT_REQUIRED: 400,
  UPSTREAM_ERROR: 502,
  UPSTREAM_TIMEOUT: 504,
  UPSTREAM_UNAVAILABLE: 503,
  UPSTREAM_CONTRACT: 502,
  INTERNAL_SERVER_ERROR: 500,
};

/** Which upstream call an error came from; never holds bodies or credentials. */
export interface UpstreamInfo {
  product: ProductName;
  action: string;
  status?: number | undefined;
  code?: string | undefined;
  requestId?: string | undefined;
}

/** Base class of every error pai-graph shows to clients as it is (everything else is masked). */
export class GatewayError extends GraphQLError {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}, options: Omit<GraphQLErrorOptions, 'extensions'> = {}) {
    super(message, { ...options, extensions: { code, ...extensions } });
    this.code = code;
    this.name = 'GatewayError';
  }

  get httpStatus(): number {
    return HTTP_STATUS[this.code];
  }
}

/**
 * A value as an error message may show it: short strings quoted, long ones by their length
 * only (messages must not echo whole documents), scalars as they are, anything else not at all.
 */
export function describeReceived(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > 40 ? `${value.length} characters` : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return undefined;
}

/**
 * Input that breaks a rule. `field` is the argument path as the client wrote it
 * (e.g. `input.labels[0].key`), `rule` a short statement of what was expected.
 */
export class BadUserInputError extends GatewayError {
  constructor(field: string, rule: string, received?: string) {
    super(ErrorCode.BAD_USER_INPUT, `${field}: ${rule}${received === undefined ? '' : ` (got ${received})`}`, { field, rule });
  }
}

/** An error raised by (or while talking to) an upstream PAI product. */
export class UpstreamError extends GatewayError {
  readonly upstream: UpstreamInfo;
  readonly retryAfterMs: number | undefined;

  constructor(code: ErrorCode, message: string, upstream: UpstreamInfo, opts: { retryAfterMs?: number | undefined; cause?: unknown } = {}) {
    const extensions: Record<string, unknown> = { upstream: { ...upstream } };
    if (opts.retryAfterMs !== undefined) extensions.retryAfter = Math.ceil(opts.retryAfterMs / 1000);
    super(code, message, extensions, opts.cause instanceof Error ? { originalError: opts.cause } : {});
    this.upstream = upstream;
    this.retryAfterMs = opts.retryAfterMs;
  }
}

/**
 * An upstream call refused because its operation is over (answered, or its client went away).
 * Nobody reads its message: it only tells the error formatter not to log it as unexpected.
 */
export class OperationEndedError extends Error {
  override name = 'OperationEndedError';
  constructor() {
    super('The operation ended before this upstream call could run.');
  }
}

export const isGatewayError = (e: unknown): e is GatewayError => e instanceof GatewayError;
