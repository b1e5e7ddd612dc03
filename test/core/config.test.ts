import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { ConfigError, describeCredentials, ENV_VARIABLES, loadConfig } from '../../src/core/config.js';
import { ALL_OPERATIONS } from '../helpers/operations.js';
import { resolveOrigins } from '../../src/core/upstream/products.js';

const KEY = 'sk-config-test-0123456789abcdef';

function errorOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected loadConfig to throw');
}

/** Gateway callers: an upstream needs them (or ALLOW_ANONYMOUS). */
const CALLERS = 'web:web-token-0123456789:read;ci:ci-token-0123456789:read,write';

describe('loadConfig', () => {
  it('runs in demo mode with defaults when no upstream is configured', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ env: 'development', port: 4000, host: '0.0.0.0', target: undefined, upstream: { timeoutMs: 10000, maxAnswerBytes: 32 * 1024 * 1024, concurrency: 25, cache: undefined }, redis: undefined });
    expect(config.emulator).toMatchObject({ host: '127.0.0.1', port: undefined, demoData: true });
  });

  it('UPSTREAM_MAX_ANSWER_MB sets the longest answer read, in bytes', () => {
    expect(loadConfig({ UPSTREAM_MAX_ANSWER_MB: '4' }).upstream.maxAnswerBytes).toBe(4 * 1024 * 1024);
  });

  it('targets one origin for every product with PAI_ENDPOINT and a bearer key', () => {
    const config = loadConfig({ GATEWAY_TOKENS: CALLERS, PAI_ENDPOINT: 'http://127.0.0.1:4010/', DASHSCOPE_API_KEY: KEY, PORT: '8080' });
    expect(config.port).toBe(8080);
    expect(config.target!.origins).toEqual({ AIWorkSpace: 'http://127.0.0.1:4010', PaiStudio: 'http://127.0.0.1:4010', 'pai-dlc': 'http://127.0.0.1:4010', PaiLLMTrace: 'http://127.0.0.1:4010', eas: 'http://127.0.0.1:4010' });
    expect(config.target!.credentials.kind).toBe('bearer');
    const credentials = config.target!.credentials;
    expect(credentials.kind === 'bearer' && credentials.apiKey.reveal()).toBe(KEY);
  });

  it('resolves the real per-product hosts from PAI_REGION, including the exceptions', () => {
    expect(loadConfig({ GATEWAY_TOKENS: CALLERS, PAI_REGION: 'cn-hangzhou', DASHSCOPE_API_KEY: KEY }).target!.origins).toEqual({
      AIWorkSpace: 'https://aiworkspace.cn-hangzhou.aliyuncs.com',
      PaiStudio: 'https://pai.cn-hangzhou.data.aliyun.com',
      'pai-dlc': 'https://pai-dlc.cn-hangzhou.aliyuncs.com',
      PaiLLMTrace: 'https://paillmtrace.aliyuncs.com',
      eas: 'https://pai-eas.cn-hangzhou.aliyuncs.com',
    });
    expect(resolveOrigins({ region: 'ap-southeast-1' })).toMatchObject({ PaiStudio: 'https://pai.ap-southeast-1.aliyuncs.com', AIWorkSpace: 'https://aiworkspace.ap-southeast-1.aliyuncs.com' });
    expect(resolveOrigins({ region: 'ap-southeast-5' }).AIWorkSpace).toBe('https://aiworkspace-vpc.ap-southeast-5.aliyuncs.com');
    expect(resolveOrigins({ region: 'cn-qingdao' }).AIWorkSpace).toBe('https://aiworkspace.aliyuncs.com');
    expect(resolveOrigins({ region: 'cn-chengdu' })['pai-dlc']).toBe('https://pai-dlc.aliyuncs.com');
  });

  it('lets a per-product endpoint override PAI_ENDPOINT and PAI_REGION', () => {
    const config = loadConfig({ GATEWAY_TOKENS: CALLERS, PAI_REGION: 'cn-shanghai', PAI_DLC_ENDPOINT: 'http://localhost:9000', DASHSCOPE_API_KEY: KEY });
    expect(config.target!.origins['pai-dlc']).toBe('http://localhost:9000');
    expect(config.target!.origins.AIWorkSpace).toBe('https://aiworkspace.cn-shanghai.aliyuncs.com');
    const eas = loadConfig({ GATEWAY_TOKENS: CALLERS, PAI_REGION: 'cn-shanghai', PAI_EAS_ENDPOINT: 'https://pai-eas-manage-vpc.cn-shanghai.aliyuncs.com', DASHSCOPE_API_KEY: KEY });
    expect(eas.target!.origins.eas).toBe('https://pai-eas-manage-vpc.cn-shanghai.aliyuncs.com');
    expect(eas.target!.origins['pai-dlc']).toBe('https://pai-dlc.cn-shanghai.aliyuncs.com');
  });

  it.each([
    [{ PORT: 'abc' }, 'Invalid configuration: PORT must be an integer between 0 and 65535 (got "abc")'],
    [{ PORT: '70000' }, 'Invalid configuration: PORT must be an integer between 0 and 65535 (got "70000")'],
    [{ PAI_ENDPOINT: 'ftp://x', DASHSCOPE_API_KEY: KEY }, 'PAI_ENDPOINT must be an http(s) origin'],
    [{ PAI_ENDPOINT: 'https://pai.example.com/api', DASHSCOPE_API_KEY: KEY }, 'PAI_ENDPOINT must be an http(s) origin'],
    [{ PAI_REGION: 'Hangzhou', DASHSCOPE_API_KEY: KEY }, 'PAI_REGION must be an Alibaba Cloud region id'],
    [{ PAI_REGION: 'cn-hangzhou' }, 'credentials are required when PAI_ENDPOINT, PAI_REGION or a PAI_*_ENDPOINT is set: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, PAI_CREDENTIALS_FILE, or DASHSCOPE_API_KEY'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV must be development, production or test'],
    [{ UPSTREAM_TIMEOUT_MS: '5' }, 'UPSTREAM_TIMEOUT_MS must be an integer between 100 and 120000'],
    [{ UPSTREAM_MAX_ANSWER_MB: '0' }, 'UPSTREAM_MAX_ANSWER_MB must be an integer between 1 and 512 (got "0")'],
    [{ UPSTREAM_MAX_ANSWER_MB: '1e3' }, 'UPSTREAM_MAX_ANSWER_MB must be an integer between 1 and 512 (got "1e3")'],
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL must be one of'],
    [{ MAX_BODY_BYTES: '100' }, 'MAX_BODY_BYTES must be an integer between 1024 and 67108864 (got "100")'],
    [{ HEADERS_TIMEOUT_MS: '0' }, 'HEADERS_TIMEOUT_MS must be an integer between 100 and 120000 (got "0")'],
    [{ REQUEST_TIMEOUT_MS: '1h' }, 'REQUEST_TIMEOUT_MS must be an integer between 100 and 600000 (got "1h")'],
    [{ HEADERS_TIMEOUT_MS: '20000', REQUEST_TIMEOUT_MS: '5000' }, 'HEADERS_TIMEOUT_MS (20000) must not exceed REQUEST_TIMEOUT_MS (5000): the headers are part of the request'],
    [{ GATEWAY_JWT_CLOCK_SKEW_SECONDS: '301' }, 'GATEWAY_JWT_CLOCK_SKEW_SECONDS must be an integer between 0 and 300 (got "301")'],
  ])('stops on %j with one line naming the variable and the rule', (env, expected) => {
    const message = errorOf(env);
    expect(message).toContain(expected);
    expect(message).not.toContain('\n');
  });

  it('reads the transport limits, with their defaults', () => {
    expect(loadConfig({}).transport).toEqual({ maxBodyBytes: 1048576, headersTimeoutMs: 10000, requestTimeoutMs: 30000 });
    expect(loadConfig({ MAX_BODY_BYTES: '65536', HEADERS_TIMEOUT_MS: '2000', REQUEST_TIMEOUT_MS: '2000' }).transport).toEqual({ maxBodyBytes: 65536, headersTimeoutMs: 2000, requestTimeoutMs: 2000 });
  });

  it('serves GraphiQL outside production unless GRAPHIQL says otherwise', () => {
    expect(loadConfig({}).http.graphiql).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).http.graphiql).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production' }).http.graphiql).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', GRAPHIQL: 'true' }).http.graphiql).toBe(true);
    expect(loadConfig({ GRAPHIQL: 'false' }).http.graphiql).toBe(false);
    expect(errorOf({ GRAPHIQL: 'yes' })).toBe('Invalid configuration: GRAPHIQL must be true or false (got "yes")');
  });

  it('reads the JWT clock skew (30 s by default)', () => {
    const jwks = { GATEWAY_JWKS_URL: 'https://idp.example.com/.well-known/jwks.json' };
    expect(loadConfig(jwks).auth.jwt).toMatchObject({ clockSkewSeconds: 30 });
    expect(loadConfig({ ...jwks, GATEWAY_JWT_CLOCK_SKEW_SECONDS: '0' }).auth.jwt).toMatchObject({ clockSkewSeconds: 0 });
  });

  it('treats METRICS_TOKEN as a secret: never echoed, never in the config’s printed forms', async () => {
    const token = 'metrics-config-token-0f1e2d3c';
    expect(loadConfig({ METRICS_TOKEN: token }).http.metricsToken!.reveal()).toBe(token);
    expect(loadConfig({}).http.metricsToken).toBeUndefined();
    const { inspect } = await import('node:util');
    expect(JSON.stringify(loadConfig({ METRICS_TOKEN: token }))).not.toContain(token);
    expect(inspect(loadConfig({ METRICS_TOKEN: token }), { depth: 10 })).not.toContain(token);
    const message = errorOf({ METRICS_TOKEN: 'has space-0f1e2d3c' });
    expect(message).toBe('Invalid configuration: METRICS_TOKEN must not contain whitespace');
  });

  it('never echoes a secret value, even when it is invalid', () => {
    const secret = 'sk-has space-9876543210';
    const message = errorOf({ DASHSCOPE_API_KEY: secret, PAI_REGION: 'cn-hangzhou' });
    expect(message).toBe('Invalid configuration: DASHSCOPE_API_KEY must not contain whitespace');
    expect(message).not.toContain('9876543210');
  });

  it('keeps the API key out of JSON, string and inspect forms of the config', async () => {
    const config = loadConfig({ GATEWAY_TOKENS: CALLERS, PAI_REGION: 'cn-hangzhou', DASHSCOPE_API_KEY: KEY });
    const { inspect } = await import('node:util');
    expect(JSON.stringify(config)).not.toContain(KEY);
    expect(inspect(config, { depth: 10 })).not.toContain(KEY);
    const credentials = config.target!.credentials;
    expect(credentials.kind === 'bearer' && String(credentials.apiKey)).toBe('[redacted]');
  });

  describe('AccessKey credentials', () => {
    const AK_ID = 'TESTAKID0123456789';
    const AK_SECRET = 'test-ak-secret-5d41402abc4b2a76b9719d91';
    const STS = 'test-sts-token-CAIS0123456789abcdef';

    it('selects V3 signing with an AccessKey pair, and STS with a security token', () => {
      const pair = loadConfig({ GATEWAY_TOKENS: CALLERS, PAI_REGION: 'cn-hangzhou', ALIBABA_CLOUD_ACCESS_KEY_ID: AK_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: AK_SECRET }).target!.credentials;
      expect(pair.kind).toBe('accessKey');
      expect(describeCredentials(pair)).toBe('AccessKey V3 signatures (ACS3-HMAC-SHA256) with an AccessKey pair');
      const sts = loadConfig({ GATEWAY_TOKENS: CALLERS, PAI_REGION: 'cn-hangzhou', ALIBABA_CLOUD_ACCESS_KEY_ID: AK_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: AK_SECRET, ALIBABA_CLOUD_SECURITY_TOKEN: STS });
      expect(sts.target!.credentials.kind === 'accessKey' && sts.target!.credentials.credential.securityToken!.reveal()).toBe(STS);
      expect(describeCredentials(sts.target!.credentials)).toBe('AccessKey V3 signatures (ACS3-HMAC-SHA256) with STS credentials');
      const text = JSON.stringify(sts);
      expect(text).not.toContain(AK_SECRET);
      expect(text).not.toContain(STS);
    });

    it('reads a credentials file path', () => {
      const c = loadConfig({ GATEWAY_TOKENS: CALLERS, PAI_ENDPOINT: 'http://127.0.0.1:4010', PAI_CREDENTIALS_FILE: '/run/secrets/pai.json' }).target!.credentials;
      expect(c).toEqual({ kind: 'accessKeyFile', path: '/run/secrets/pai.json' });
    });

    it.each([
      [{ ALIBABA_CLOUD_ACCESS_KEY_ID: AK_ID }, 'ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET must be set together'],
      [{ ALIBABA_CLOUD_ACCESS_KEY_SECRET: AK_SECRET }, 'ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET must be set together'],
      [{ ALIBABA_CLOUD_SECURITY_TOKEN: STS, DASHSCOPE_API_KEY: KEY }, 'ALIBABA_CLOUD_SECURITY_TOKEN needs ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (the STS pair it belongs to)'],
      [{ ALIBABA_CLOUD_ACCESS_KEY_ID: AK_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: AK_SECRET, DASHSCOPE_API_KEY: KEY }, 'set one credential mode, not ALIBABA_CLOUD_ACCESS_KEY_ID/ALIBABA_CLOUD_ACCESS_KEY_SECRET and DASHSCOPE_API_KEY'],
      [{ ALIBABA_CLOUD_ACCESS_KEY_ID: 'has space', ALIBABA_CLOUD_ACCESS_KEY_SECRET: AK_SECRET }, 'ALIBABA_CLOUD_ACCESS_KEY_ID must be an AccessKey id: 8 to 128 letters, digits or dots (got "has space")'],
      [{ ALIBABA_CLOUD_ACCESS_KEY_ID: AK_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'short' }, 'ALIBABA_CLOUD_ACCESS_KEY_SECRET must be at least 8 characters'],
    ])('refuses %j with one line that never shows a secret', (env, message) => {
      let error: Error | undefined;
      try {
        loadConfig({ PAI_REGION: 'cn-hangzhou', ...env });
      } catch (err) {
        error = err as Error;
      }
      expect(error!.message).toBe(`Invalid configuration: ${message}`);
      expect(error!.message).not.toContain(AK_SECRET);
      expect(error!.message).not.toContain(STS);
    });
  });
});

describe('gateway callers', () => {
  it('reads GATEWAY_TOKENS as hashed tokens with scopes, never keeping the token', () => {
    const config = loadConfig({ PAI_REGION: 'cn-hangzhou', DASHSCOPE_API_KEY: KEY, GATEWAY_TOKENS: CALLERS });
    expect(config.auth.tokens.map((t) => [t.name, t.scopes])).toEqual([
      ['web', ['read']],
      ['ci', ['read', 'write']],
    ]);
    expect(config.auth.allowAnonymous).toBe(false);
    expect(JSON.stringify(config)).not.toContain('web-token-0123456789');
  });

  it('refuses an upstream without callers unless ALLOW_ANONYMOUS=true; demo mode is open', () => {
    expect(() => loadConfig({ PAI_REGION: 'cn-hangzhou', DASHSCOPE_API_KEY: KEY })).toThrow(
      'Invalid configuration: callers must authenticate when the gateway calls PAI: set GATEWAY_TOKENS, GATEWAY_TOKENS_FILE or GATEWAY_JWKS_URL, or ALLOW_ANONYMOUS=true to let anyone spend the account',
    );
    expect(loadConfig({ PAI_REGION: 'cn-hangzhou', DASHSCOPE_API_KEY: KEY, ALLOW_ANONYMOUS: 'true' }).auth.allowAnonymous).toBe(true);
    expect(loadConfig({}).auth.allowAnonymous).toBe(true);
  });

  it.each([
    ['web:short:read', 'entry 1 (web): the token must be at least 8 characters'],
    ['web:a-long-enough-token:admin', 'entry 1 (web): scopes must be read, write or read,write'],
    ['no-colons-here', 'entry 1 must be name:token:scopes'],
  ])('refuses GATEWAY_TOKENS %j without echoing it', (value, rule) => {
    let message = '';
    try {
      loadConfig({ GATEWAY_TOKENS: value });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain(`GATEWAY_TOKENS ${rule}`);
    expect(message).not.toContain('a-long-enough-token');
  });
});

describe('GATEWAY_TOKENS_FILE', () => {
  it('reads name:sha256:scopes lines with comments, and names the line of a bad one', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { readTokensFile, sha256, createAuthenticator } = await import('../../src/core/auth.js');
    const dir = mkdtempSync(join(tmpdir(), 'pai-graph-tokens-'));
    try {
      const good = join(dir, 'tokens');
      writeFileSync(good, `# web frontend\nweb:${sha256('web-file-token-123')}:read\n\nci:${sha256('ci-file-token-456')}:read,write # deploys\n`);
      const tokens = readTokensFile(good);
      expect(tokens.map((t) => [t.name, t.scopes])).toEqual([
        ['web', ['read']],
        ['ci', ['read', 'write']],
      ]);
      const caller = await createAuthenticator({ tokens, allowAnonymous: false })('Bearer ci-file-token-456');
      expect([caller.name, [...caller.scopes]]).toEqual(['ci', ['read', 'write']]);
      const bad = join(dir, 'bad');
      writeFileSync(bad, 'web:not-a-hash:read\n');
      expect(() => readTokensFile(bad)).toThrow(`${bad} line 1 must be name:sha256-hex:scopes`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the README', () => {
  it('documents every environment variable the config reads', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const envSection = readme.slice(readme.indexOf('## Environment variables'), readme.indexOf('## Health'));
    expect(ENV_VARIABLES.length).toBeGreaterThan(15);
    expect(ENV_VARIABLES.filter((name) => !envSection.includes(`\`${name}\``))).toEqual([]);
  });
});

describe('the README oracle table', () => {
  it('lists every operation the gateway calls (the oracle test covers the same set), each equal', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const rows = [...readme.matchAll(/^\| (AIWorkSpace|PaiStudio|PaiLLMTrace|pai-dlc|eas) \| (\w+) \| [^|]+ \| (equal[^|]*) \|$/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(rows.sort()).toEqual(ALL_OPERATIONS);
  });
});
