import { z } from 'zod';
import { Secret } from './secret.js';
import { PRODUCT_NAMES, PRODUCTS, resolveOrigins, type ProductName } from './upstream/products.js';

/**
 * The one reader of the environment. Every variable the gateway and the emulator understand
 * is declared here (and documented in README.md); nothing else touches process.env.
 */

const SECRET_VARS = new Set(['DASHSCOPE_API_KEY', 'EMULATOR_API_KEY']);

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
  DASHSCOPE_API_KEY: optional(z.string().trim().min(8, 'must be at least 8 characters').regex(/^\S+$/, 'must not contain whitespace')),
  UPSTREAM_TIMEOUT_MS: optional(int(100, 120_000)),
  UPSTREAM_CONCURRENCY: optional(int(1, 64)),
  EMULATOR_HOST: optional(z.string().trim().min(1)),
  EMULATOR_PORT: optional(int(0, 65535)),
  EMULATOR_API_KEY: optional(z.string().trim().min(8, 'must be at least 8 characters').regex(/^\S+$/, 'must not contain whitespace')),
  EMULATOR_DEMO_DATA: optional(bool),
});

export type Credentials = { readonly kind: 'bearer'; readonly apiKey: Secret };

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
  /**
   * Set when PAI_ENDPOINT, PAI_REGION or a PAI_*_ENDPOINT is given. Without it the gateway
   * runs in demo mode: main.ts starts the embedded emulator and targets it.
   */
  readonly target: UpstreamTarget | undefined;
  readonly upstream: {
    readonly timeoutMs: number;
    /** Upstream calls one GraphQL operation may have in flight at once. */
    readonly concurrency: number;
  };
  readonly emulator: {
    readonly host: string;
    readonly port: number | undefined;
    readonly apiKey: Secret | undefined;
    readonly demoData: boolean;
  };
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
  if (hasUpstream && !e.DASHSCOPE_API_KEY) {
    throw new ConfigError('Invalid configuration: DASHSCOPE_API_KEY is required when PAI_ENDPOINT, PAI_REGION or a PAI_*_ENDPOINT is set');
  }
  let target: UpstreamTarget | undefined;
  if (hasUpstream && e.DASHSCOPE_API_KEY) {
    try {
      target = {
        origins: resolveOrigins({ origin: e.PAI_ENDPOINT, region: e.PAI_REGION, overrides }),
        credentials: { kind: 'bearer', apiKey: new Secret(e.DASHSCOPE_API_KEY) },
      };
    } catch (err) {
      throw new ConfigError(`Invalid configuration: ${(err as Error).message}`);
    }
  }
  const nodeEnv = e.NODE_ENV ?? 'development';
  return {
    env: nodeEnv,
    port: e.PORT ?? 4000,
    host: e.HOST ?? '0.0.0.0',
    logLevel: e.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
    target,
    upstream: {
      timeoutMs: e.UPSTREAM_TIMEOUT_MS ?? 10_000,
      concurrency: e.UPSTREAM_CONCURRENCY ?? 8,
    },
    emulator: {
      host: e.EMULATOR_HOST ?? '127.0.0.1',
      port: e.EMULATOR_PORT,
      apiKey: e.EMULATOR_API_KEY ? new Secret(e.EMULATOR_API_KEY) : undefined,
      demoData: e.EMULATOR_DEMO_DATA ?? true,
    },
  };
}
