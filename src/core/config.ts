import { z } from 'zod';
import { parseGatewayTokens, type AuthSettings } from './auth.js';
import type { DocumentLimits } from './plugins/document-limits.js';
import { Secret } from './secret.js';
import type { AccessKeyCredential } from './upstream/credentials.js';
import { DEFAULT_MAX_PAUSE_MS, DEFAULT_QPS_LIMITS, parseQpsLimits, qpsFor, type QpsRule } from './upstream/governor.js';
import type { ActionRule } from './upstream/action-rules.js';
import { DEFAULT_MAX_ANSWER_MB } from './upstream/http.js';
import { cachingEnabled, parseCacheTtls } from './upstream/read-cache.js';
import { PRODUCT_NAMES, PRODUCTS, resolveOrigins, type ProductName } from './upstream/products.js';

/**
 * The one reader of the environment. Every variable the gateway and the emulator understand
 * is declared here (and documented in README.md); nothing else touches process.env.
 */

const SECRET_VARS = new Set(['REDIS_URL', 'ROUTER_SECRET', 'METRICS_TOKEN', 'GATEWAY_TOKENS', 'DASHSCOPE_API_KEY', 'EMULATOR_API_KEY', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'ALIBABA_CLOUD_SECURITY_TOKEN', 'EMULATOR_ACCESS_KEY_SECRET', 'OTEL_EXPORTER_OTLP_HEADERS']);

const int = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `must be an integer between ${min} and ${max}`)
    .transform(Number)
    .pipe(z.number().min(min, `must be an integer between ${min} and ${max}`).max(max, `must be an integer between ${min} and ${max}`));

const origin = z
  .string()
  .trim()
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'http:' || u.protocol === 'https:') && (u.pathname === '/' || u.pathname === '') && !u.search;
    } catch {
      return false;
    }
  }, 'must be an http(s) origin such as https://aiworkspace.cn-hangzhou.aliyuncs.com (no path or query)')
  .transform((v) => new URL(v).origin);

const bool = z
  .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1');

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

/** A value a parser turns into structure; its Error message becomes the rule. */
const parsed = <T>(parse: (text: string) => T) =>
  z
    .string()
    .trim()
    .transform((v, ctx) => {
      try {
        return parse(v);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    });

/** A credential value: no whitespace, at least 8 characters. */
const token = z.string().trim().min(8, 'must be at least 8 characters').regex(/^\S+$/, 'must not contain whitespace');
const accessKeyId = z.string().trim().regex(/^[A-Za-z0-9.]{8,128}$/, 'must be an AccessKey id: 8 to 128 letters, digits or dots');

const EnvSchema = z.object({
  NODE_ENV: optional(z.enum(['development', 'production', 'test'], { error: 'must be development, production or test' })),
  PORT: optional(int(0, 65535)),
  HOST: optional(z.string().trim().min(1)),
  LOG_LEVEL: optional(
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'must be one of fatal, error, warn, info, debug, trace, silent',
    }),
  ),
  PAI_ENDPOINT: optional(origin),
  PAI_REGION: optional(
    z
      .string()
      .trim()
      .regex(/^[a-z]{2,}(-[a-z0-9]+)+$/, 'must be an Alibaba Cloud region id such as cn-hangzhou or ap-southeast-1'),
  ),
  PAI_AIWORKSPACE_ENDPOINT: optional(origin),
  PAI_PAISTUDIO_ENDPOINT: optional(origin),
  PAI_DLC_ENDPOINT: optional(origin),
  PAI_LLMTRACE_ENDPOINT: optional(origin),
  PAI_EAS_ENDPOINT: optional(origin),
  DASHSCOPE_API_KEY: optional(token),
  ALIBABA_CLOUD_ACCESS_KEY_ID: optional(accessKeyId),
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: optional(token),
  ALIBABA_CLOUD_SECURITY_TOKEN: optional(token),
  PAI_CREDENTIALS_FILE: optional(z.string().trim().min(1)),
  UPSTREAM_TIMEOUT_MS: optional(int(100, 120_000)),
  UPSTREAM_MAX_ANSWER_MB: optional(int(1, 512)),
  UPSTREAM_CONCURRENCY: optional(int(1, 100)),
  READINESS_CACHE_SECONDS: optional(int(1, 3600)),
  OPERATION_DEADLINE_MS: optional(int(500, 300_000)),
  UPSTREAM_MAX_PAUSE_MS: optional(int(1000, 600_000)),
  SHUTDOWN_GRACE_MS: optional(int(0, 600_000)),
  GATEWAY_TOKENS: optional(parsed(parseGatewayTokens)),
  GATEWAY_TOKENS_FILE: optional(z.string().trim().min(1)),
  GATEWAY_JWKS_URL: optional(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL of a JWKS' })),
  GATEWAY_JWT_ISSUER: optional(z.string().trim().min(1)),
  GATEWAY_JWT_AUDIENCE: optional(z.string().trim().min(1)),
  GATEWAY_JWT_CLOCK_SKEW_SECONDS: optional(int(0, 300)),
  ALLOW_ANONYMOUS: optional(bool),
  MAX_OPERATION_COST: optional(int(1, 100_000)),
  CALLER_BUDGET: optional(int(1, 1_000_000)),
  CALLER_BUDGET_RESTORE_RATE: optional(int(1, 1_000_000)),
  MAX_QUERY_DEPTH: optional(int(2, 100)),
  MAX_ALIASES: optional(int(0, 1000)),
  MAX_DIRECTIVES: optional(int(0, 1000)),
  MAX_TOKENS: optional(int(100, 1_000_000)),
  CORS_ORIGINS: optional(
    z
      .string()
      .trim()
      .transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean))
      .pipe(z.array(z.string().regex(/^https?:\/\/[^/\s]+$/, 'must be a comma-separated list of origins such as https://app.example.com'))),
  ),
  INTROSPECTION: optional(bool),
  GRAPHIQL: optional(bool),
  PERSISTED_DOCUMENTS_FILE: optional(z.string().trim().min(1)),
  ROUTER_SECRET: optional(token),
  METRICS_TOKEN: optional(token),
  MAX_BODY_BYTES: optional(int(1024, 64 * 1024 * 1024)),
  HEADERS_TIMEOUT_MS: optional(int(100, 120_000)),
  REQUEST_TIMEOUT_MS: optional(int(100, 600_000)),
  PERSISTED_DOCUMENTS_ONLY: optional(bool),
  PAI_QPS_LIMITS: optional(parsed(parseQpsLimits)),
  PAI_CACHE_TTLS: optional(parsed(parseCacheTtls)),
  PAI_CACHE_MAX_ENTRIES: optional(int(1, 1_000_000)),
  PAI_CACHE_MAX_MB: optional(int(1, 4096)),
  GATEWAY_REPLICAS: optional(int(1, 1000)),
  REDIS_URL: optional(z.string().trim().regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL')),
  SUBSCRIPTION_POLL_MS: optional(int(250, 3_600_000)),
  MAX_SUBSCRIPTIONS_PER_CALLER: optional(int(1, 10_000)),
  MAX_WEBSOCKET_CONNECTIONS: optional(int(1, 1_000_000)),
  EMULATOR_HOST: optional(z.string().trim().min(1)),
  EMULATOR_PORT: optional(int(0, 65535)),
  EMULATOR_API_KEY: optional(token),
  EMULATOR_ACCESS_KEY_ID: optional(accessKeyId),
  EMULATOR_ACCESS_KEY_SECRET: optional(token),
  EMULATOR_DEMO_DATA: optional(bool),
  OTEL_EXPORTER_OTLP_ENDPOINT: optional(z.url({ protocol: /^https?$/, error: 'must be the http(s) base URL of an OTLP/HTTP collector, such as http://otel-collector:4318' })),
  OTEL_EXPORTER_OTLP_HEADERS: optional(parsed(parseOtlpHeaders)),
  OTEL_SERVICE_NAME: optional(z.string().trim().min(1).max(200)),
});

/**
 * Parses OTEL_EXPORTER_OTLP_HEADERS as the OpenTelemetry specification writes it: comma-separated
 * `key=value` pairs, values percent-encoded (W3C Baggage octets). Names are HTTP header names.
 */
export function parseOtlpHeaders(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const entry of text.split(',')) {
    if (!entry.trim()) continue;
    const at = entry.indexOf('=');
    const name = at > 0 ? entry.slice(0, at).trim() : '';
    if (!/^[!#$%&'*+.^`|~\w-]+$/.test(name)) throw new Error('must be comma-separated name=value pairs with HTTP header names, such as api-key=abc,x-tenant=1');
    let value: string;
    try {
      value = decodeURIComponent(entry.slice(at + 1).trim());
    } catch {
      throw new Error(`has a value for ${name} that is not valid percent-encoding`);
    }
    headers[name.toLowerCase()] = value;
  }
  return headers;
}

/** Every environment variable pai-graph reads (README.md documents each). */
export const ENV_VARIABLES: readonly string[] = Object.keys(EnvSchema.shape);

/** How the gateway authenticates to PAI; `kind` is safe to log, the rest is not. */
export type Credentials =
  | { readonly kind: 'bearer'; readonly apiKey: Secret }
  | { readonly kind: 'accessKey'; readonly credential: AccessKeyCredential }
  /** An AccessKey pair or STS credential in a JSON file that is re-read when it changes. */
  | { readonly kind: 'accessKeyFile'; readonly path: string };

/** Where the upstream is and how to authenticate to it. */
export interface UpstreamTarget {
  /** Origin (scheme://host[:port]) per product. */
  readonly origins: Readonly<Record<ProductName, string>>;
  readonly credentials: Credentials;
}

export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly port: number;
  readonly host: string;
  readonly logLevel: string;
  /** How long SIGTERM waits for in-flight operations before exiting anyway. */
  readonly shutdownGraceMs: number;
  /**
   * Set when PAI_ENDPOINT, PAI_REGION or a PAI_*_ENDPOINT is given. Without it the gateway
   * runs in demo mode: main.ts starts the embedded emulator and targets it.
   */
  readonly target: UpstreamTarget | undefined;
  readonly upstream: {
    readonly timeoutMs: number;
    /** Longest upstream answer read, in bytes (UPSTREAM_MAX_ANSWER_MB). */
    readonly maxAnswerBytes: number;
    /** Upstream calls one GraphQL operation may have in flight at once. */
    readonly concurrency: number;
    /** How long /readyz reuses its upstream check. */
    readonly readinessCacheMs: number;
    /** How long one GraphQL operation may spend on upstream calls, waits and retries included. */
    readonly deadlineMs: number;
    /** QPS limit rules per action (PAI_QPS_LIMITS). */
    readonly qpsLimits: readonly QpsRule[];
    /** The longest an upstream answer (Retry-After, x-acs-retry-after) may hold an action. */
    readonly maxPauseMs: number;
    /** The opt-in read cache (PAI_CACHE_TTLS); undefined when off. */
    readonly cache?: { readonly ttls: readonly ActionRule[]; readonly maxEntries: number; readonly maxBytes: number } | undefined;
  };
  /** Shared state of all replicas (QPS log, pauses, read cache); undefined: each process keeps its own. */
  readonly redis: { readonly url: Secret } | undefined;
  /** How many replicas share the PAI account (GATEWAY_REPLICAS): each one's share while Redis is down. */
  readonly replicas: number;
  /** Who may call the gateway. `tokensFile` is read by main.ts. */
  readonly auth: AuthSettings & { readonly tokensFile: string | undefined };
  readonly limits: DocumentLimits & {
    readonly maxTokens: number;
    readonly maxCost: number;
    readonly budget: number;
    /** Upstream calls per second each caller's budget refills by. */
    readonly budgetRestoreRate: number;
  };
  readonly http: {
    /** Origins allowed by CORS; empty: no cross-origin access. */
    readonly corsOrigins: readonly string[];
    readonly introspection: boolean;
    /** Serve the self-hosted GraphiQL IDE at /graphiql (GRAPHIQL; default: outside production). */
    readonly graphiql: boolean;
    /** A persisted-document manifest (read by main.ts), and whether only its documents may run. */
    readonly persistedDocuments: { readonly file: string; readonly only: boolean } | undefined;
    /** When set, `_service` and `_entities` need it in `x-router-secret` (only the router may use them). */
    readonly routerSecret: Secret | undefined;
    /** When set, GET /metrics needs `Authorization: Bearer <it>`. */
    readonly metricsToken: Secret | undefined;
  };
  /** What one HTTP request may cost the gateway before GraphQL sees it. */
  readonly transport: {
    /** Largest request body, whatever its content type or transfer encoding. */
    readonly maxBodyBytes: number;
    /** Time a client has to send its request line and headers. */
    readonly headersTimeoutMs: number;
    /** Time a client has to send its whole request, body included. */
    readonly requestTimeoutMs: number;
  };
  /** GraphQL subscriptions over WebSocket (graphql-transport-ws on /graphql). */
  readonly subscriptions: {
    /** How often one poll loop reads its resource upstream (SUBSCRIPTION_POLL_MS). */
    readonly pollMs: number;
    /** Subscriptions one caller may have open at once on one replica. */
    readonly maxPerCaller: number;
    /** WebSocket connections one replica keeps open at once. */
    readonly maxConnections: number;
  };
  /**
   * OpenTelemetry traces over OTLP/HTTP, when OTEL_EXPORTER_OTLP_ENDPOINT is set; undefined:
   * no SDK is loaded and no span is made.
   */
  readonly telemetry: TelemetrySettings | undefined;
  readonly emulator: {
    readonly host: string;
    readonly port: number | undefined;
    readonly apiKey: Secret | undefined;
    /** With it, the emulator verifies V3 signatures made with this pair. */
    readonly accessKey: AccessKeyCredential | undefined;
    readonly demoData: boolean;
  };
}

export interface TelemetrySettings {
  /** Where spans are sent: the endpoint's `/v1/traces`. */
  readonly tracesUrl: string;
  /** Headers for the collector (often an API key): OTEL_EXPORTER_OTLP_HEADERS as a JSON object, kept secret. */
  readonly headers: Secret | undefined;
  readonly serviceName: string;
}

/** SUBSCRIPTION_POLL_MS's default: one upstream read per watched resource every 5 s. */
export const DEFAULT_SUBSCRIPTION_POLL_MS = 5000;

/** PAI_CACHE_MAX_ENTRIES's default. */
export const DEFAULT_CACHE_MAX_ENTRIES = 10_000;

/**
 * PAI_CACHE_MAX_MB's default: 16 MB of entries as counted by read-cache.ts's entrySize (their
 * JSON, two bytes a character), a few times that in parsed objects: well inside the 256 MB
 * old generation the image gives V8.
 */
export const DEFAULT_CACHE_MAX_MB = 16;

/**
 * UPSTREAM_CONCURRENCY's default, from the QPS limits rather than a constant: one operation may
 * have a quarter of the account's read rate in flight (25 at PAI's 100 QPS, so a page of 20
 * models fetches its versions in one wave), leaving the rest to other operations; at least 4,
 * at most 100 (the largest page).
 */
export function defaultConcurrency(rules: readonly QpsRule[]): number {
  const readQps = Math.max(qpsFor(rules, 'ListModelVersions') ?? 0, qpsFor(rules, 'GetModel') ?? 0);
  return Math.min(100, Math.max(4, Math.floor(readQps / 4)));
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function describeIssue(issue: z.core.$ZodIssue, env: Record<string, string | undefined>): string {
  const name = String(issue.path[0] ?? 'environment');
  const raw = env[name];
  const got = SECRET_VARS.has(name) || raw === undefined ? '' : ` (got ${JSON.stringify(raw.length > 80 ? `${raw.slice(0, 80)}...` : raw)})`;
  return `${name} ${issue.message}${got}`;
}

/**
 * Parses and validates the environment. Throws a ConfigError whose message is one line
 * naming the variable and the rule; secret values are never echoed.
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`Invalid configuration: ${parsed.error.issues.map((i) => describeIssue(i, env)).join('; ')}`);
  }
  const e = parsed.data;
  const overrides: Partial<Record<ProductName, string>> = {};
  for (const name of PRODUCT_NAMES) {
    const v = e[`PAI_${PRODUCTS[name].envKey}_ENDPOINT` as keyof typeof e];
    if (typeof v === 'string') overrides[name] = v;
  }
  const hasUpstream = Boolean(e.PAI_ENDPOINT || e.PAI_REGION || Object.keys(overrides).length);
  const credentials = readCredentials(e);
  if (hasUpstream && !credentials) {
    throw new ConfigError(
      'Invalid configuration: credentials are required when PAI_ENDPOINT, PAI_REGION or a PAI_*_ENDPOINT is set: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, PAI_CREDENTIALS_FILE, or DASHSCOPE_API_KEY',
    );
  }
  let target: UpstreamTarget | undefined;
  if (hasUpstream && credentials) {
    try {
      target = { origins: resolveOrigins({ origin: e.PAI_ENDPOINT, region: e.PAI_REGION, overrides }), credentials };
    } catch (err) {
      throw new ConfigError(`Invalid configuration: ${(err as Error).message}`);
    }
  }
  const callersConfigured = Boolean(e.GATEWAY_TOKENS?.length || e.GATEWAY_TOKENS_FILE || e.GATEWAY_JWKS_URL);
  if (target && !callersConfigured && !e.ALLOW_ANONYMOUS) {
    throw new ConfigError(
      'Invalid configuration: callers must authenticate when the gateway calls PAI: set GATEWAY_TOKENS, GATEWAY_TOKENS_FILE or GATEWAY_JWKS_URL, or ALLOW_ANONYMOUS=true to let anyone spend the account',
    );
  }
  if (e.PERSISTED_DOCUMENTS_ONLY && !e.PERSISTED_DOCUMENTS_FILE) {
    throw new ConfigError('Invalid configuration: PERSISTED_DOCUMENTS_ONLY=true needs PERSISTED_DOCUMENTS_FILE (the manifest of documents to allow)');
  }
  const headersTimeoutMs = e.HEADERS_TIMEOUT_MS ?? 10_000;
  const requestTimeoutMs = e.REQUEST_TIMEOUT_MS ?? 30_000;
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError(`Invalid configuration: HEADERS_TIMEOUT_MS (${headersTimeoutMs}) must not exceed REQUEST_TIMEOUT_MS (${requestTimeoutMs}): the headers are part of the request`);
  }
  if (Boolean(e.EMULATOR_ACCESS_KEY_ID) !== Boolean(e.EMULATOR_ACCESS_KEY_SECRET)) {
    throw new ConfigError('Invalid configuration: EMULATOR_ACCESS_KEY_ID and EMULATOR_ACCESS_KEY_SECRET must be set together');
  }
  const nodeEnv = e.NODE_ENV ?? 'development';
  return {
    env: nodeEnv,
    port: e.PORT ?? 4000,
    host: e.HOST ?? '0.0.0.0',
    logLevel: e.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS ?? 10_000,
    target,
    upstream: {
      timeoutMs: e.UPSTREAM_TIMEOUT_MS ?? 10_000,
      maxAnswerBytes: (e.UPSTREAM_MAX_ANSWER_MB ?? DEFAULT_MAX_ANSWER_MB) * 1024 * 1024,
      concurrency: e.UPSTREAM_CONCURRENCY ?? defaultConcurrency(e.PAI_QPS_LIMITS ?? parseQpsLimits(DEFAULT_QPS_LIMITS)),
      readinessCacheMs: (e.READINESS_CACHE_SECONDS ?? 60) * 1000,
      deadlineMs: e.OPERATION_DEADLINE_MS ?? 15_000,
      qpsLimits: e.PAI_QPS_LIMITS ?? parseQpsLimits(DEFAULT_QPS_LIMITS),
      maxPauseMs: e.UPSTREAM_MAX_PAUSE_MS ?? DEFAULT_MAX_PAUSE_MS,
      cache: cachingEnabled(e.PAI_CACHE_TTLS)
        ? { ttls: e.PAI_CACHE_TTLS!, maxEntries: e.PAI_CACHE_MAX_ENTRIES ?? DEFAULT_CACHE_MAX_ENTRIES, maxBytes: (e.PAI_CACHE_MAX_MB ?? DEFAULT_CACHE_MAX_MB) * 1024 * 1024 }
        : undefined,
    },
    redis: e.REDIS_URL ? { url: new Secret(e.REDIS_URL) } : undefined,
    replicas: e.GATEWAY_REPLICAS ?? 1,
    auth: {
      tokens: e.GATEWAY_TOKENS ?? [],
      tokensFile: e.GATEWAY_TOKENS_FILE,
      jwt: e.GATEWAY_JWKS_URL
        ? { jwksUrl: e.GATEWAY_JWKS_URL, issuer: e.GATEWAY_JWT_ISSUER, audience: e.GATEWAY_JWT_AUDIENCE, clockSkewSeconds: e.GATEWAY_JWT_CLOCK_SKEW_SECONDS ?? 30 }
        : undefined,
      // Demo mode (no upstream) is open to anyone: it spends nothing.
      allowAnonymous: e.ALLOW_ANONYMOUS ?? !target,
    },
    limits: {
      maxDepth: e.MAX_QUERY_DEPTH ?? 12,
      maxAliases: e.MAX_ALIASES ?? 30,
      maxDirectives: e.MAX_DIRECTIVES ?? 20,
      maxTokens: e.MAX_TOKENS ?? 5000,
      maxCost: e.MAX_OPERATION_COST ?? 100,
      budget: e.CALLER_BUDGET ?? 1000,
      budgetRestoreRate: e.CALLER_BUDGET_RESTORE_RATE ?? 50,
    },
    http: {
      corsOrigins: e.CORS_ORIGINS ?? [],
      introspection: e.INTROSPECTION ?? nodeEnv !== 'production',
      graphiql: e.GRAPHIQL ?? nodeEnv !== 'production',
      routerSecret: e.ROUTER_SECRET ? new Secret(e.ROUTER_SECRET) : undefined,
      persistedDocuments: e.PERSISTED_DOCUMENTS_FILE ? { file: e.PERSISTED_DOCUMENTS_FILE, only: e.PERSISTED_DOCUMENTS_ONLY ?? false } : undefined,
      metricsToken: e.METRICS_TOKEN ? new Secret(e.METRICS_TOKEN) : undefined,
    },
    transport: { maxBodyBytes: e.MAX_BODY_BYTES ?? 1024 * 1024, headersTimeoutMs, requestTimeoutMs },
    telemetry: e.OTEL_EXPORTER_OTLP_ENDPOINT
      ? {
          // The specification's rule for the base endpoint: the signal's path is appended.
          tracesUrl: `${e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`,
          headers: e.OTEL_EXPORTER_OTLP_HEADERS ? new Secret(JSON.stringify(e.OTEL_EXPORTER_OTLP_HEADERS)) : undefined,
          serviceName: e.OTEL_SERVICE_NAME ?? 'pai-graph',
        }
      : undefined,
    subscriptions: { pollMs: e.SUBSCRIPTION_POLL_MS ?? DEFAULT_SUBSCRIPTION_POLL_MS, maxPerCaller: e.MAX_SUBSCRIPTIONS_PER_CALLER ?? 20, maxConnections: e.MAX_WEBSOCKET_CONNECTIONS ?? 1000 },
    emulator: {
      host: e.EMULATOR_HOST ?? '127.0.0.1',
      port: e.EMULATOR_PORT,
      apiKey: e.EMULATOR_API_KEY ? new Secret(e.EMULATOR_API_KEY) : undefined,
      accessKey: e.EMULATOR_ACCESS_KEY_ID && e.EMULATOR_ACCESS_KEY_SECRET ? { accessKeyId: e.EMULATOR_ACCESS_KEY_ID, accessKeySecret: new Secret(e.EMULATOR_ACCESS_KEY_SECRET) } : undefined,
      demoData: e.EMULATOR_DEMO_DATA ?? true,
    },
  };
}

/**
 * The one credential mode the environment selects: an AccessKey pair (with an STS token),
 * a credentials file, or the seeds' Bearer key. Two modes at once is an error, not a guess.
 */
function readCredentials(e: z.output<typeof EnvSchema>): Credentials | undefined {
  const modes = [
    e.ALIBABA_CLOUD_ACCESS_KEY_ID || e.ALIBABA_CLOUD_ACCESS_KEY_SECRET ? 'ALIBABA_CLOUD_ACCESS_KEY_ID/ALIBABA_CLOUD_ACCESS_KEY_SECRET' : undefined,
    e.PAI_CREDENTIALS_FILE ? 'PAI_CREDENTIALS_FILE' : undefined,
    e.DASHSCOPE_API_KEY ? 'DASHSCOPE_API_KEY' : undefined,
  ].filter(Boolean);
  if (modes.length > 1) throw new ConfigError(`Invalid configuration: set one credential mode, not ${modes.join(' and ')}`);
  if (e.ALIBABA_CLOUD_SECURITY_TOKEN && !e.ALIBABA_CLOUD_ACCESS_KEY_ID) {
    throw new ConfigError('Invalid configuration: ALIBABA_CLOUD_SECURITY_TOKEN needs ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (the STS pair it belongs to)');
  }
  if (e.ALIBABA_CLOUD_ACCESS_KEY_ID || e.ALIBABA_CLOUD_ACCESS_KEY_SECRET) {
    if (!e.ALIBABA_CLOUD_ACCESS_KEY_ID || !e.ALIBABA_CLOUD_ACCESS_KEY_SECRET) {
      throw new ConfigError('Invalid configuration: ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET must be set together');
    }
    return {
      kind: 'accessKey',
      credential: {
        accessKeyId: e.ALIBABA_CLOUD_ACCESS_KEY_ID,
        accessKeySecret: new Secret(e.ALIBABA_CLOUD_ACCESS_KEY_SECRET),
        securityToken: e.ALIBABA_CLOUD_SECURITY_TOKEN ? new Secret(e.ALIBABA_CLOUD_SECURITY_TOKEN) : undefined,
      },
    };
  }
  if (e.PAI_CREDENTIALS_FILE) return { kind: 'accessKeyFile', path: e.PAI_CREDENTIALS_FILE };
  if (e.DASHSCOPE_API_KEY) return { kind: 'bearer', apiKey: new Secret(e.DASHSCOPE_API_KEY) };
  return undefined;
}

/** What the startup log says about the credential mode; never a secret. */
export function describeCredentials(c: Credentials): string {
  switch (c.kind) {
    case 'bearer':
      return 'Bearer API key (DASHSCOPE_API_KEY)';
    case 'accessKey':
      return `AccessKey V3 signatures (ACS3-HMAC-SHA256) with ${c.credential.securityToken ? 'STS credentials' : 'an AccessKey pair'}`;
    case 'accessKeyFile':
      return `AccessKey V3 signatures (ACS3-HMAC-SHA256) with credentials from ${c.path}, re-read when it changes`;
  }
}
