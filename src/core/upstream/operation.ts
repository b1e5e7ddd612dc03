import type { z } from 'zod';
import type { ProductName } from './products.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * How a request body travels: `json` (application/json; charset=utf-8, the default for
 * products with bodies), `form` (application/x-www-form-urlencoded, PaiStudio writes), `raw`
 * (a JSON text the caller serialised once, sent byte for byte as application/json: EAS takes
 * its service config as a string) or `none`.
 */
export type BodyType = 'json' | 'form' | 'raw' | 'none';

/** One upstream API operation as the official SDK defines it (ROA style). */
export interface OperationSpec<Res> {
  readonly product: ProductName;
  readonly action: string;
  readonly method: HttpMethod;
  /** Path template with `{Param}` placeholders, e.g. `/api/v1/models/{ModelId}`. */
  readonly path: string;
  readonly bodyType: BodyType;
  /** zod schema of a successful response body. */
  readonly response: z.ZodType<Res>;
  /** Reads with no side effects; only these may ever be retried blindly. */
  readonly idempotent: boolean;
  /**
   * The product may answer 2xx with an error in the body's `Code`/`Message` (PaiLLMTrace's
   * success schema carries them "only when the response is in error").
   */
  readonly errorInBody: boolean;
  /**
   * Fields holding free-form JSON (maps in the SDK, e.g. `Metrics`, `ExtraInfo`): their keys
   * keep the caller's order, while typed fields are serialised alphabetically like the SDK.
   */
  readonly opaque: ReadonlySet<string>;
  /**
   * Resource paths, besides its own, that a write changes: the read cache drops them too.
   * Needed where PAI keeps a write's outcome under another path (EvaluateTrace writes under
   * `/eval/trace/{TraceId}`, its results are read from `/eval/results`).
   */
  readonly invalidates: readonly string[];
}

export function defineOperation<Res>(
  spec: Omit<OperationSpec<Res>, 'bodyType' | 'idempotent' | 'errorInBody' | 'opaque' | 'invalidates'> & { bodyType?: BodyType; errorInBody?: boolean; opaque?: readonly string[]; invalidates?: readonly string[] },
): OperationSpec<Res> {
  return {
    ...spec,
    opaque: new Set(spec.opaque ?? []),
    invalidates: spec.invalidates ?? [],
    bodyType: spec.bodyType ?? (spec.method === 'POST' || spec.method === 'PUT' ? 'json' : 'none'),
    idempotent: spec.method === 'GET',
    errorInBody: spec.errorInBody ?? false,
  };
}

export type QueryValue = string | number | boolean | readonly unknown[] | Record<string, unknown> | undefined | null;

/** What one call sends: path parameters, query parameters and body fields, by upstream name. */
export interface CallInput {
  readonly path?: Readonly<Record<string, string>>;
  /** Query parameters by upstream name; undefined and null values are left out. */
  readonly query?: object;
  /** Body fields by upstream name; for a `raw` operation, the body text itself. */
  readonly body?: Readonly<Record<string, unknown>> | string;
  /** Values (e.g. a model API key this call carries) to blank out of any error this call raises. */
  readonly secrets?: readonly string[];
}

export type ResponseOf<Op> = Op extends OperationSpec<infer R> ? R : never;
