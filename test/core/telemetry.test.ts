import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '../../src/core/config.js';
import { Secret } from '../../src/core/secret.js';
import { createTelemetry, type Telemetry } from '../../src/core/telemetry.js';
import { startHarness, TEST_ACCESS_KEY, type Harness } from '../helpers/harness.js';

/**
 * OpenTelemetry traces: a real gateway exports to an in-process OTLP/HTTP receiver (a plain
 * node:http server collecting POST /v1/traces JSON bodies), and the tests read the spans it got.
 */

interface OtlpValue {
  stringValue?: string;
  intValue?: number | string;
  doubleValue?: number;
  boolValue?: boolean;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: OtlpValue }[];
  status?: { code?: number; message?: string };
}
interface ExportedSpan extends Omit<OtlpSpan, 'attributes'> {
  attributes: Record<string, string | number | boolean | undefined>;
  resource: Record<string, string | number | boolean | undefined>;
}

/** OTLP span kinds and status codes (opentelemetry-proto). */
const KIND = { INTERNAL: 1, SERVER: 2, CLIENT: 3 };
const STATUS_ERROR = 2;

const plain = (v: OtlpValue) => v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : (v.doubleValue ?? v.boolValue));
const attributesOf = (list: { key: string; value: OtlpValue }[] = []) => Object.fromEntries(list.map((a) => [a.key, plain(a.value)]));

const COLLECTOR_KEY = 'collector-key-3b1f9a7c5e';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN_ID = '00f067aa0ba902b7';

let receiver: Server;
const bodies: string[] = [];
const requestHeaders: IncomingHttpHeaders[] = [];
let telemetry: Telemetry;
let h: Harness;

function spans(): ExportedSpan[] {
  return bodies.flatMap((body) =>
    (JSON.parse(body) as { resourceSpans: { resource: { attributes: { key: string; value: OtlpValue }[] }; scopeSpans: { spans: OtlpSpan[] }[] }[] }).resourceSpans.flatMap((rs) =>
      rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => ({ ...s, attributes: attributesOf(s.attributes), resource: attributesOf(rs.resource.attributes) }))),
    ),
  );
}

beforeAll(async () => {
  receiver = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      if (req.method === 'POST' && req.url === '/v1/traces') {
        bodies.push((req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8'));
        requestHeaders.push(req.headers);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const address = receiver.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const config = loadConfig({
    NODE_ENV: 'production',
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}/`,
    OTEL_EXPORTER_OTLP_HEADERS: `x-collector-key=${COLLECTOR_KEY}`,
    OTEL_SERVICE_NAME: 'pai-graph-under-test',
  });
  telemetry = (await createTelemetry(config.telemetry))!;
  h = await startHarness({ env: 'production', telemetry });
});
afterAll(async () => {
  await h.close();
  await telemetry.shutdown();
  await new Promise((resolve) => receiver.close(resolve));
});
beforeEach(async () => {
  // Spans of earlier requests (e.g. the model id lookup) leave first.
  await telemetry.forceFlush();
  bodies.length = 0;
  requestHeaders.length = 0;
  h.resetCalls();
  h.resetUpstream();
  h.emulator.faults.clear();
});

const MODEL_WITH_VERSIONS = `query ModelWithVersions($id: ID!) { model(id: $id) { id name versions(first: 3) { totalCount nodes { id name } } } }`;

async function firstModelId(): Promise<string> {
  const r = await h.gql(`{ models(first: 1) { nodes { id } } }`);
  return r.body.data!.models.nodes[0].id as string;
}

describe('OpenTelemetry traces over OTLP/HTTP', () => {
  it('export one span for the operation and one per upstream call, children of it, with the RequestIds PAI sent', async () => {
    const id = await firstModelId();
    await telemetry.forceFlush();
    bodies.length = 0;
    h.resetCalls();

    const r = await h.gql(MODEL_WITH_VERSIONS, { id }, { traceparent: `00-${TRACE_ID}-${CALLER_SPAN_ID}-01` });
    expect(r.body.errors).toBeUndefined();
    expect(h.actions().sort()).toEqual(['GetModel', 'ListModelVersions']);
    // Tracing does not turn on extensions.upstream in production.
    expect(r.body.extensions!.upstream).toBeUndefined();
    await telemetry.forceFlush();

    const all = spans();
    const operations = all.filter((s) => s.attributes['graphql.operation.type'] !== undefined);
    expect(operations).toHaveLength(1);
    const operation = operations[0]!;
    expect(operation.name).toBe('query ModelWithVersions');
    expect(operation.kind).toBe(KIND.INTERNAL);
    expect(operation.traceId).toBe(TRACE_ID);
    expect(operation.attributes).toMatchObject({
      'graphql.operation.type': 'query',
      'graphql.operation.name': 'ModelWithVersions',
      'pai.caller': 'anonymous',
      'pai.upstream.calls': 2,
      'pai.upstream.shared': 0,
      'pai.upstream.cached': 0,
    });
    expect(operation.status?.code ?? 0).not.toBe(STATUS_ERROR);
    expect(operation.resource['service.name']).toBe('pai-graph-under-test');

    // Fastify's own instrumentation: the HTTP request span continues the caller's trace and parents the operation.
    const request = all.find((s) => s.spanId === operation.parentSpanId);
    expect(request).toMatchObject({ kind: KIND.SERVER, traceId: TRACE_ID, parentSpanId: CALLER_SPAN_ID });
    expect(request!.attributes).toMatchObject({ 'http.route': '/graphql', 'http.request.method': 'POST', 'http.response.status_code': 200 });

    const upstream = all.filter((s) => s.kind === KIND.CLIENT);
    expect(upstream).toHaveLength(2);
    expect(upstream.every((s) => s.parentSpanId === operation.spanId && s.traceId === TRACE_ID)).toBe(true);
    expect(upstream.map((s) => s.name).sort()).toEqual(['AIWorkSpace GetModel', 'AIWorkSpace ListModelVersions']);
    expect(upstream.map((s) => s.attributes['pai.request_id']).sort()).toEqual(h.emulator.calls.map((c) => c.requestId).sort());
    for (const span of upstream) {
      expect(span.attributes).toMatchObject({ 'pai.product': 'AIWorkSpace', 'http.request.method': 'GET', 'http.response.status_code': 200, 'pai.via': 'upstream', 'pai.attempts': 1, 'pai.retries': 0 });
      expect(span.attributes['pai.governor_wait_ms']).toEqual(expect.any(Number));
      expect(span.status?.code ?? 0).not.toBe(STATUS_ERROR);
    }
  });

  it('mark a failed upstream call and its operation as errors, keeping the RequestId of the error answer', async () => {
    h.emulator.faults.add({ action: 'GetModel', status: 500, times: 3 });
    const r = await h.gql(`query Broken { model(id: "m-anything") { id } }`);
    expect(r.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_ERROR');
    // A read failing with 500 is retried: three attempts, one call.
    expect(h.actions()).toEqual(['GetModel', 'GetModel', 'GetModel']);
    await telemetry.forceFlush();

    const all = spans();
    const operation = all.find((s) => s.name === 'query Broken')!;
    expect(operation.status?.code).toBe(STATUS_ERROR);
    expect(operation.attributes['error.type']).toBe('UPSTREAM_ERROR');
    const upstream = all.filter((s) => s.kind === KIND.CLIENT);
    expect(upstream).toHaveLength(1);
    expect(upstream[0]!.parentSpanId).toBe(operation.spanId);
    expect(upstream[0]!.status?.code).toBe(STATUS_ERROR);
    expect(upstream[0]!.attributes).toMatchObject({ 'pai.action': 'GetModel', 'http.response.status_code': 500, 'error.type': 'UPSTREAM_ERROR', 'pai.attempts': 3, 'pai.retries': 2 });
    expect(upstream[0]!.attributes['pai.request_id']).toBe(h.emulator.calls.at(-1)!.requestId);
  });

  it('send the collector its headers and export no secret: not the AccessKey secret, not the collector key', async () => {
    const id = await firstModelId();
    await h.gql(MODEL_WITH_VERSIONS, { id });
    await telemetry.forceFlush();
    expect(bodies.length).toBeGreaterThan(0);
    expect(requestHeaders.every((headers) => headers['x-collector-key'] === COLLECTOR_KEY)).toBe(true);
    const exported = bodies.join('\n');
    expect(exported).not.toContain(TEST_ACCESS_KEY.accessKeySecret.reveal());
    expect(exported).not.toContain(COLLECTOR_KEY);
    expect(exported).not.toMatch(/authorization|x-acs-signature/i);
  });

  it('leave probes out: /healthz makes no span, while /graphql does', async () => {
    const res = await fetch(h.url.replace('/graphql', '/healthz'));
    expect(res.status).toBe(200);
    await h.gql(`{ models(first: 1) { nodes { id } } }`);
    await telemetry.forceFlush();
    const paths = spans().filter((s) => s.kind === KIND.SERVER).map((s) => s.attributes['url.path']);
    expect(paths).toEqual(['/graphql']);
  });
});

describe('without OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  it('configures no telemetry, and createTelemetry loads no SDK and returns undefined', async () => {
    const config = loadConfig({ NODE_ENV: 'production', OTEL_SERVICE_NAME: 'ignored-without-endpoint' });
    expect(config.telemetry).toBeUndefined();
    await expect(createTelemetry(config.telemetry)).resolves.toBeUndefined();
  });

  it('no gateway module imports OpenTelemetry statically: only createTelemetry loads it, dynamically', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith('.ts')) files.push(path);
      }
    };
    walk('src');
    const staticImports = files.filter((file) => /^import\s+(?!type\b)[^;]*from\s+'(@opentelemetry\/[^']+|@fastify\/otel)'/m.test(readFileSync(file, 'utf8')));
    expect(staticImports).toEqual([]);
    expect(readFileSync('src/core/telemetry.ts', 'utf8')).toMatch(/import\('@opentelemetry\/sdk-trace-base'\)/);
  });
});

describe('telemetry configuration', () => {
  it('appends /v1/traces to the base endpoint, reads percent-encoded headers and keeps them secret', () => {
    const config = loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318', OTEL_EXPORTER_OTLP_HEADERS: 'api-key=a%2Cb%3Dc, X-Tenant=t1' });
    expect(config.telemetry!.tracesUrl).toBe('http://otel-collector:4318/v1/traces');
    expect(config.telemetry!.serviceName).toBe('pai-graph');
    expect(config.telemetry!.headers).toBeInstanceOf(Secret);
    expect(JSON.parse(config.telemetry!.headers!.reveal())).toEqual({ 'api-key': 'a,b=c', 'x-tenant': 't1' });
    expect(JSON.stringify(config.telemetry)).not.toContain('a,b=c');
  });

  it('refuses a bad endpoint or bad headers with a message naming the variable, never echoing the headers', () => {
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'otel-collector:4318' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT must be the http\(s\) base URL of an OTLP\/HTTP collector/);
    let error: unknown;
    try {
      loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_HEADERS: 'no-equals-secretvalue' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^Invalid configuration: OTEL_EXPORTER_OTLP_HEADERS must be comma-separated name=value pairs/);
    expect((error as Error).message).not.toContain('secretvalue');
  });
});
