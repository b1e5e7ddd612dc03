import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import core from '@alicloud/openapi-core';
import llm from '@alicloud/paillmtrace20240311';
import dara from '@darabonba/typescript';
import { createLogger } from '../../src/core/logger.js';
import { staticCredentials, type AccessKeyCredential } from '../../src/core/upstream/credentials.js';
import { createUpstreamClient, type UpstreamSession } from '../../src/core/upstream/client.js';
import { PRODUCT_NAMES, PRODUCTS, type ProductName } from '../../src/core/upstream/products.js';
import { createAccessKeySigner } from '../../src/core/upstream/signer.js';

/**
 * The oracle: Alibaba Cloud's official runtime (@alicloud/openapi-core, and the PaiLLMTrace
 * SDK built on it) sending real signed requests to a local capture server, next to
 * pai-graph's upstream client sending the same operation to the same server.
 */

/* The packages are CommonJS; under ESM their exports sit on the default import. */
const OpenApiClient = ((core as unknown as { default?: unknown }).default ?? core) as new (config: unknown) => OracleClient;
export const { $OpenApiUtil, OpenApiUtil } = core as unknown as { $OpenApiUtil: Record<string, new (map: unknown) => unknown>; OpenApiUtil: OpenApiUtilStatic };
export const LlmTraceClient = ((llm as unknown as { default?: unknown }).default ?? llm) as new (config: unknown) => Record<string, (...args: unknown[]) => Promise<unknown>>;
/** The PaiLLMTrace SDK's request models. */
export const LlmModels = llm as unknown as Record<string, new (map: Record<string, unknown>) => unknown>;
/** Path-parameter encoding of the official SDKs (`$dara.URL.percentEncode`). */
const $dara = ((dara as unknown as { default?: unknown }).default ?? dara) as { URL: { percentEncode(v: string): string } };
export const sdkPathParam = (v: string): string => $dara.URL.percentEncode(v);

interface OpenApiUtilStatic {
  query(q: Record<string, unknown>): Record<string, string>;
  parseToMap(v: unknown): Record<string, unknown>;
  arrayToStringWithSpecifiedStyle(v: unknown, prefix: string, style: string): string;
}

interface OracleClient {
  callApi(params: unknown, request: unknown, runtime: unknown): Promise<unknown>;
}

export interface Captured {
  method: string;
  /** Path and raw query, exactly as received. */
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface CaptureServer {
  readonly origin: string;
  readonly endpoint: string;
  /** Requests received since the last `take()`. */
  take(): Captured[];
  close(): Promise<void>;
}

export async function startCaptureServer(): Promise<CaptureServer> {
  let received: Captured[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')])),
        body: Buffer.concat(chunks).toString('utf8'),
      });
      // An answer both sides accept as "done"; what is compared is the request.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"RequestId":"ORACLE-0000"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    endpoint: `127.0.0.1:${port}`,
    take: () => {
      const out = received;
      received = [];
      return out;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface Oracle {
  /** The generic runtime call the product SDKs make (ROA style). */
  callApi(op: { product: ProductName; action: string; method: string; pathname: string; query?: Record<string, unknown>; body?: unknown; reqBodyType?: 'json' | 'formData' }): Promise<void>;
  /** The PaiLLMTrace SDK itself. */
  llm: Record<string, (...args: unknown[]) => Promise<unknown>>;
}

export function createOracle(capture: CaptureServer, credential: AccessKeyCredential): Oracle {
  const config = new $OpenApiUtil.Config!({
    accessKeyId: credential.accessKeyId,
    accessKeySecret: credential.accessKeySecret.reveal(),
    securityToken: credential.securityToken?.reveal(),
    endpoint: capture.endpoint,
    protocol: 'HTTP',
  });
  const client = new OpenApiClient(config);
  return {
    async callApi({ product, action, method, pathname, query, body, reqBodyType = 'json' }) {
      const params = new $OpenApiUtil.Params!({ action, version: PRODUCTS[product].version, protocol: 'HTTP', pathname, method, authType: 'AK', style: 'ROA', reqBodyType, bodyType: 'json' });
      const request = new $OpenApiUtil.OpenApiRequest!({
        headers: {},
        ...(query ? { query: OpenApiUtil.query(query) } : {}),
        // A string body (EAS's service config) is handed over as it is, as the EAS SDK does (`body: request.body`).
        ...(body !== undefined ? { body: typeof body === 'string' ? body : OpenApiUtil.parseToMap(body) } : {}),
      });
      await client.callApi(params, request, {});
    },
    llm: new LlmTraceClient(config),
  };
}

/** pai-graph's upstream client, signing with `credential` at the oracle's date and nonce. */
export function ourSession(capture: CaptureServer, credential: AccessKeyCredential, pinned: { date: string; nonce: string }): UpstreamSession {
  const upstream = createUpstreamClient({
    origins: Object.fromEntries(PRODUCT_NAMES.map((p) => [p, capture.origin])) as Record<ProductName, string>,
    signer: createAccessKeySigner({ credentials: staticCredentials(credential), now: () => new Date(pinned.date), nonce: () => pinned.nonce }),
    timeoutMs: 5000,
    logger: createLogger({ level: 'silent' }),
  });
  return upstream.session({ concurrency: 1 });
}

/** Everything about a request that the service sees and the signature covers. */
export function wireView(c: Captured) {
  const q = c.url.indexOf('?');
  const auth = /SignedHeaders=([^,]+),/.exec(c.headers.authorization ?? '');
  const signed = auth ? auth[1]!.split(';') : [];
  return {
    method: c.method,
    path: q < 0 ? c.url : c.url.slice(0, q),
    // Order is free on the wire; names, values and their encoding are not.
    query: q < 0 ? [] : c.url.slice(q + 1).split('&').sort(),
    contentType: c.headers['content-type'],
    body: c.body,
    signedHeaders: signed,
    signedValues: Object.fromEntries(signed.map((h) => [h, c.headers[h]])),
    authorization: c.headers.authorization,
  };
}
