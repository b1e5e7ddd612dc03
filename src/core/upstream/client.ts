import ky, { TimeoutError } from 'ky';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { ErrorCode, UpstreamError } from '../errors.js';
import { buildForm, buildPath, buildQuery, sdkOrder } from './encoding.js';
import { mapUpstreamError, readErrorBody, readRetryAfterMs } from './errors.js';
import type { CallInput, OperationSpec } from './operation.js';
import { PRODUCTS, type ProductName } from './products.js';
import type { Signer } from './signer.js';

export interface UpstreamClientOptions {
  readonly origins: Readonly<Record<ProductName, string>>;
  readonly signer: Signer;
  readonly timeoutMs: number;
  readonly logger: Logger;
  /** Injected in tests; defaults to the global fetch. */
  readonly fetch?: typeof fetch;
}

/** Upstream access for one GraphQL operation: counts its calls and caps their concurrency. */
export interface UpstreamSession {
  call<Res>(op: OperationSpec<Res>, input?: CallInput): Promise<Res>;
  /** Upstream calls this operation has started so far. */
  readonly callCount: number;
}

export interface UpstreamClient {
  call<Res>(op: OperationSpec<Res>, input?: CallInput, opts?: { signal?: AbortSignal | undefined; requestId?: string | undefined }): Promise<Res>;
  session(opts: { concurrency: number; signal?: AbortSignal | undefined; requestId?: string | undefined }): UpstreamSession;
}

/** Not signed, so it may say who we are. */
const USER_AGENT = 'pai-graph/0.1.0';

const CONTENT_TYPE = { json: 'application/json; charset=utf-8', form: 'application/x-www-form-urlencoded' } as const;

function describePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${String(seg)}` : String(seg)), '') || '(root)';
}

/** UPSTREAM_CONTRACT: the upstream answered, but not in the shape its contract promises. */
function contractError(op: OperationSpec<unknown>, status: number, requestId: string | undefined, problem: string): UpstreamError {
  return new UpstreamError(ErrorCode.UPSTREAM_CONTRACT, `${op.product} ${op.action} answered outside its contract: ${problem}`, {
    product: op.product,
    action: op.action,
    status,
    requestId,
  });
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid body';
  return `field ${describePath(issue.path)} ${issue.message}`;
}

/**
 * The single upstream client. One place builds the URL from the operation's ROA path,
 * encodes the body, hands the exact request to the signer, enforces the timeout, parses the
 * answer with the operation's zod schema and maps failures to typed errors.
 */
export function createUpstreamClient(options: UpstreamClientOptions): UpstreamClient {
  const { origins, signer, timeoutMs, logger } = options;
  const http = ky.create({ retry: 0, throwHttpErrors: false, timeout: timeoutMs, ...(options.fetch ? { fetch: options.fetch } : {}) });

  async function call<Res>(op: OperationSpec<Res>, input: CallInput = {}, opts: { signal?: AbortSignal | undefined; requestId?: string | undefined } = {}): Promise<Res> {
    const product = PRODUCTS[op.product];
    const query = buildQuery(sdkOrder(input.query, op.opaque));
    const url = new URL(`${origins[op.product]}${buildPath(op.path, input.path)}${query ? `?${query}` : ''}`);
    const headers = new Headers({
      accept: 'application/json',
      'user-agent': USER_AGENT,
      'x-acs-action': op.action,
      'x-acs-version': product.version,
    });
    if (opts.requestId) headers.set('x-request-id', opts.requestId);
    let body: string | undefined;
    if (op.bodyType !== 'none' && input.body) {
      const fields = sdkOrder(input.body, op.opaque);
      body = op.bodyType === 'form' ? buildForm(fields) : JSON.stringify(fields);
      headers.set('content-type', CONTENT_TYPE[op.bodyType]);
    }
    await signer.sign({ method: op.method, url, headers, body, action: op.action, version: product.version });

    const started = performance.now();
    const where = { product: op.product, action: op.action, method: op.method, path: url.pathname };
    let response: Response;
    let text: string;
    try {
      response = await http(url, { method: op.method, headers, body, signal: opts.signal });
      text = await response.text();
    } catch (err) {
      const ms = Math.round(performance.now() - started);
      if (err instanceof TimeoutError) {
        logger.warn({ upstream: where, ms }, 'upstream call timed out');
        throw new UpstreamError(ErrorCode.UPSTREAM_TIMEOUT, `${op.product} did not answer ${op.action} within ${timeoutMs} ms`, { product: op.product, action: op.action });
      }
      if (opts.signal?.aborted) throw err;
      logger.warn({ upstream: where, ms, err: { name: (err as Error).name, message: (err as Error).message } }, 'upstream unreachable');
      throw new UpstreamError(ErrorCode.UPSTREAM_UNAVAILABLE, `${op.product} could not be reached for ${op.action}`, { product: op.product, action: op.action }, { cause: err });
    }
    const ms = Math.round(performance.now() - started);
    const headerRequestId = response.headers.get('x-acs-request-id') ?? undefined;

    const scrub = (message: string | undefined) => (message && input.secrets?.length ? input.secrets.reduce((m, secret) => (secret ? m.split(secret).join('[redacted]') : m), message) : message);

    if (!response.ok) {
      const errorBody = readErrorBody(text);
      errorBody.requestId ??= headerRequestId;
      errorBody.message = scrub(errorBody.message);
      const error = mapUpstreamError({ product: op.product, action: op.action, status: response.status }, errorBody, readRetryAfterMs(response.headers));
      logger.warn({ upstream: { ...where, status: response.status, code: errorBody.code, requestId: errorBody.requestId }, ms, mappedTo: error.code }, 'upstream call failed');
      throw error;
    }

    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      logger.error({ upstream: { ...where, status: response.status, requestId: headerRequestId }, ms }, 'upstream answered with a body that is not JSON');
      throw contractError(op, response.status, headerRequestId, 'the body is not JSON');
    }
    const requestId = (json as { RequestId?: unknown; requestId?: unknown } | null)?.RequestId ?? (json as { requestId?: unknown } | null)?.requestId;
    const requestIdText = typeof requestId === 'string' ? requestId : headerRequestId;
    if (op.errorInBody) {
      const errorBody = readErrorBody(text);
      if (errorBody.code && !/^(200|OK|Success)$/i.test(errorBody.code)) {
        errorBody.requestId ??= requestIdText;
        errorBody.message = scrub(errorBody.message);
        const error = mapUpstreamError({ product: op.product, action: op.action, status: response.status, classifyAs: 400 }, errorBody, undefined);
        logger.warn({ upstream: { ...where, status: response.status, code: errorBody.code, requestId: errorBody.requestId }, ms, mappedTo: error.code }, 'upstream call failed (error in a 2xx body)');
        throw error;
      }
    }
    const parsed = op.response.safeParse(json);
    if (!parsed.success) {
      const problem = firstIssue(parsed.error);
      logger.error({ upstream: { ...where, status: response.status, requestId: requestIdText }, ms, problem }, 'upstream answered outside its contract');
      throw contractError(op, response.status, requestIdText, problem);
    }
    logger.debug({ upstream: { ...where, status: response.status, requestId: requestIdText }, ms }, 'upstream call');
    return parsed.data;
  }

  return {
    call,
    session({ concurrency, signal, requestId }) {
      const limit = pLimit(concurrency);
      let callCount = 0;
      return {
        call: <Res>(op: OperationSpec<Res>, input?: CallInput) =>
          limit(() => {
            callCount += 1;
            return call(op, input, { signal, requestId });
          }),
        get callCount() {
          return callCount;
        },
      };
    },
  };
}
