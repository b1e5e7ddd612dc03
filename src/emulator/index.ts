import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Secret } from '../core/secret.js';
import type { AccessKeyCredential } from '../core/upstream/credentials.js';
import { aiWorkSpaceRoutes } from './aiworkspace.js';
import { easRoutes } from './eas.js';
import { paiDlcRoutes } from './pai-dlc.js';
import { paiLlmTraceRoutes } from './paillmtrace.js';
import { paiStudioRoutes } from './paistudio.js';
import { createControlApi, CONTROL_PREFIX } from './control.js';
import { loadDemoData } from './demo/index.js';
import { createFaults, defaultCode, defaultMessage, type FaultRule } from './faults.js';
import { errorBody, matchPath, newRequestId, ServiceError, type EmuRequest, type Method, type Route } from './http.js';
import { createSignatureVerifier } from './signature.js';
import { createStore, systemClock, type Clock } from './store.js';

/**
 * The embedded PAI emulator: serves the upstream operations at their real paths, with the
 * service's validation, state and error bodies; records every call; injects faults on demand.
 * `npm start` runs it in demo mode, tests and benchmarks drive it through `calls` and `faults`
 * (in process) or the control API under /__emulator (over HTTP).
 */

export interface EmulatorOptions {
  /** When set, a call may authenticate with `Authorization: Bearer <apiKey>`. */
  readonly apiKey?: Secret | undefined;
  /**
   * When set, a call may authenticate with a V3 signature (ACS3-HMAC-SHA256) made with one of
   * these AccessKeys (with their STS tokens); the signature, date, nonce and token are checked
   * like the service does. The list is read on every call, so tests can rotate credentials.
   */
  readonly accessKeys?: AccessKeyCredential[] | undefined;
  /** The clock signatures are checked against (default: the real one, not `clock`). */
  readonly signatureClock?: () => number;
  /** Load the demo data set (30+ models with versions and labels). Default true. */
  readonly demoData?: boolean;
  readonly clock?: Clock;
  /** Calls kept for `calls` (default MAX_RECORDED_CALLS); up to half as many again before the oldest are dropped. */
  readonly maxRecordedCalls?: number;
}

/** One call as the emulator received it. */
export interface RecordedCall {
  readonly seq: number;
  /** When the call arrived (epoch ms, real clock). */
  readonly at: number;
  readonly action: string;
  readonly version: string | undefined;
  readonly method: string;
  readonly path: string;
  /** The raw query string, without `?`. */
  readonly query: string;
  /** Lower-cased header names; the authorization value is kept for in-process assertions. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  status: number | undefined;
  /** The RequestId the emulator answered with (body `RequestId` and header `x-acs-request-id`). */
  readonly requestId: string;
}

export interface Emulator {
  readonly url: string;
  readonly routes: readonly Route[];
  /** The most recent calls, fewer than 1.5 x maxRecordedCalls, oldest first. */
  readonly calls: RecordedCall[];
  /** Calls received since the last clear or reset, including those `calls` no longer holds. */
  callCount(): number;
  /** Calls of one action (or all, without an argument), in order. */
  callsOf(action?: string): RecordedCall[];
  readonly faults: ReturnType<typeof createFaults>;
  readonly store: ReturnType<typeof createStore>;
  /** Back to the initial state: data reloaded, calls and faults cleared. */
  reset(): void;
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

const MAX_BODY = 8 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) reject(new ServiceError(413, 'RequestEntityTooLarge', 'The request body is too large.'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (raw === '') return undefined;
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(raw));
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new ServiceError(400, 'InvalidParameter.Body', 'The request body is not valid JSON.');
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}


/**
 * Calls the emulator keeps for `calls` and GET /__emulator/calls, the most recent ones: a
 * long-running emulator (`npm start` in demo mode, a benchmark) must not keep every request
 * it ever answered. `callCount` still counts all of them since the last clear.
 */
export const MAX_RECORDED_CALLS = 10_000;

export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const store = createStore(options.clock ?? systemClock);
  const faults = createFaults();
  const routes: Route[] = [...aiWorkSpaceRoutes(store), ...paiStudioRoutes(store), ...paiLlmTraceRoutes(store), ...paiDlcRoutes(store), ...easRoutes(store)];
  const calls: RecordedCall[] = [];
  const maxRecorded = options.maxRecordedCalls ?? MAX_RECORDED_CALLS;
  /** Calls received since the last clear, those no longer kept included. */
  let received = 0;
  const clearCalls = () => {
    calls.length = 0;
    received = 0;
  };
  const callCount = () => received;
  const sockets = new Set<Socket>();
  const hanging = new Set<ServerResponse>();
  /** Injected latencies still running; close() ends them so no timer outlives the emulator. */
  const delays = new Map<NodeJS.Timeout, () => void>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        delays.delete(timer);
        resolve();
      }, ms);
      delays.set(timer, resolve);
    });
  const demoData = options.demoData ?? true;
  const verifier = options.accessKeys ? createSignatureVerifier({ accessKeys: () => options.accessKeys ?? [], ...(options.signatureClock ? { now: options.signatureClock } : {}) }) : undefined;
  let server: Server | undefined;
  let url = '';

  const load = () => {
    store.reset();
    if (demoData) loadDemoData(store);
  };
  load();

  function findRoute(method: string, path: string, action: string | undefined): { route: Route; params: Record<string, string> } {
    if (action) {
      const route = routes.find((r) => r.action === action);
      const params = route && route.method === method ? matchPath(route.path, path) : undefined;
      if (route && params) return { route, params };
    } else {
      for (const route of routes) {
        const params = route.method === method ? matchPath(route.path, path) : undefined;
        if (params) return { route, params };
      }
    }
    throw new ServiceError(404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.');
  }

  /** Bearer keys and V3 signatures, whichever the emulator was given; none given: open. */
  function checkAuth(req: IncomingMessage, rawBody: string) {
    if (!options.apiKey && !verifier) return;
    const auth = req.headers.authorization;
    if (!auth) throw new ServiceError(401, 'MissingAuthorization', 'The Authorization header is required.');
    if (auth.startsWith('ACS3-')) {
      if (!verifier) throw new ServiceError(403, 'UnsupportedSignatureType', 'This signature type is not supported.');
      verifier.verify({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, rawBody });
      return;
    }
    if (!options.apiKey) throw new ServiceError(403, 'UnsupportedSignatureType', 'This signature type is not supported.');
    if (auth !== `Bearer ${options.apiKey.reveal()}`) throw new ServiceError(401, 'InvalidApiKey', 'The API key is invalid.');
  }

  async function applyFault(fault: FaultRule, res: ServerResponse, req: IncomingMessage): Promise<'answered' | 'continue'> {
    if (fault.latencyMs) await sleep(fault.latencyMs);
    if (fault.hang) {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return 'answered';
    }
    if (fault.reset) {
      req.socket.destroy();
      return 'answered';
    }
    if (fault.malformed) {
      send(res, 200, '{"RequestId": "malformed', {});
      return 'answered';
    }
    if (fault.body !== undefined) {
      send(res, 200, fault.body);
      return 'answered';
    }
    if (fault.status) {
      const code = fault.code ?? defaultCode(fault.status);
      const headers: Record<string, string> = {};
      if (fault.retryAfterMs) headers['x-acs-retry-after'] = String(fault.retryAfterMs);
      if (fault.retryAfter) headers['retry-after'] = fault.retryAfter;
      throw new ServiceError(fault.status, code, fault.message ?? defaultMessage(code), headers);
    }
    return 'continue';
  }

  const control = createControlApi({
    calls: () => calls,
    callCount,
    clearCalls,
    faults,
    reset: () => emulator.reset(),
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const requestId = newRequestId();
    const host = req.headers.host ?? 'localhost';
    const target = new URL(req.url ?? '/', 'http://emulator');
    const method = (req.method ?? 'GET').toUpperCase();
    if (target.pathname.startsWith(CONTROL_PREFIX)) {
      const raw = await readBody(req).catch(() => '');
      const answer = control(method, target.pathname, raw);
      send(res, answer.status, answer.body);
      return;
    }
    const headerAction = typeof req.headers['x-acs-action'] === 'string' ? req.headers['x-acs-action'] : undefined;
    const record: RecordedCall = {
      seq: received + 1,
      at: Date.now(),
      action: headerAction ?? '(none)',
      version: typeof req.headers['x-acs-version'] === 'string' ? req.headers['x-acs-version'] : undefined,
      method,
      path: target.pathname,
      query: target.search.replace(/^\?/, ''),
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')])),
      body: '',
      status: undefined,
      requestId,
    };
    received += 1;
    calls.push(record);
    // Trimmed in batches, so that dropping the oldest costs nothing per call.
    if (calls.length >= maxRecorded * 1.5) calls.splice(0, calls.length - maxRecorded);
    let product = 'PAI';
    try {
      const rawBody = await readBody(req);
      (record as { body: string }).body = rawBody;
      const { route, params } = findRoute(method, target.pathname, headerAction);
      product = route.product;
      (record as { action: string }).action = route.action;
      checkAuth(req, rawBody);
      const fault = faults.take(route.action);
      if (fault && (await applyFault(fault, res, req)) === 'answered') {
        record.status = res.headersSent ? res.statusCode : undefined;
        return;
      }
      const request: EmuRequest = {
        action: route.action,
        method: method as Method,
        path: target.pathname,
        params,
        query: Object.fromEntries(target.searchParams),
        body: parseBody(rawBody, req.headers['content-type']),
        rawBody,
        headers: req.headers,
        requestId,
      };
      const answer = await route.handler(request);
      record.status = answer.status ?? 200;
      send(res, record.status, answer.body, { 'x-acs-request-id': requestId });
    } catch (err) {
      const e = err instanceof ServiceError ? err : new ServiceError(500, 'InternalError', 'The request processing has failed due to some unknown error.');
      record.status = e.status;
      if (!res.headersSent) send(res, e.status, errorBody(e, product, requestId, host), { 'x-acs-request-id': requestId, ...e.headers });
    }
  }

  const emulator: Emulator = {
    get url() {
      return url;
    },
    routes,
    calls,
    callCount,
    callsOf: (action) => (action ? calls.filter((c) => c.action === action) : [...calls]),
    faults,
    store,
    reset() {
      load();
      clearCalls();
      faults.clear();
    },
    async listen(port = 0, host = '127.0.0.1') {
      server = createHttpServer((req, res) => {
        handle(req, res).catch(() => {
          if (!res.headersSent) send(res, 500, { Code: 'InternalError', Message: 'Unexpected emulator failure.' });
        });
      });
      server.keepAliveTimeout = 5000;
      server.on('connection', (s) => {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
      });
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(port, host, () => resolve());
      });
      const addr = server.address() as AddressInfo;
      url = `http://${host.includes(':') ? `[${host}]` : host}:${addr.port}`;
      return url;
    },
    async close() {
      for (const res of hanging) res.destroy();
      for (const [timer, resolve] of delays) {
        clearTimeout(timer);
        resolve();
      }
      delays.clear();
      for (const s of sockets) s.destroy();
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
      server = undefined;
    },
  };
  return emulator;
}

export type { FaultRule } from './faults.js';
