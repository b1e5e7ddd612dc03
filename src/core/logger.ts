import { pino, type Bindings, type ChildLoggerOptions, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Every path where a credential could sit in a log object. Credentials are also wrapped in
 * `Secret`, which prints as "[redacted]"; this list catches raw headers and bodies.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'headers.authorization',
  '*.headers.authorization',
  'apiKey',
  '*.apiKey',
  'ApiKey',
  '*.ApiKey',
  '*.*.ApiKey',
  'DASHSCOPE_API_KEY',
  'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
  'ALIBABA_CLOUD_SECURITY_TOKEN',
  'req.headers["x-acs-security-token"]',
  'headers["x-acs-security-token"]',
  '*.headers["x-acs-security-token"]',
  'accessKeySecret',
  '*.accessKeySecret',
  'securityToken',
  '*.securityToken',
  'config.target.credentials',
];

export function createLogger(opts: { level: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: opts.level,
      base: { service: 'pai-graph' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    opts.destination,
  );
}

type AnyLogFn = (...args: unknown[]) => void;

/**
 * A request's child logger, made when the request first logs: Fastify makes one per request
 * (with the request id bound), and pino's child() (bindings serialised, redaction set up)
 * showed in profiles of requests that never log at all.
 */
class LazyChildLogger {
  private made: Logger | undefined = undefined;

  constructor(
    private readonly parent: Logger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  private get log(): Logger {
    return (this.made ??= this.parent.child(this.bindings, this.options));
  }

  get level(): string {
    return (this.made ?? this.parent).level;
  }

  set level(level: string) {
    this.log.level = level;
  }

  isLevelEnabled(level: string): boolean {
    return (this.made ?? this.parent).isLevelEnabled(level);
  }

  // tsc needs these casts to spread into pino's overloads; typescript-eslint reads pino's types
  // differently and calls them unnecessary.
  /* eslint-disable @typescript-eslint/no-unnecessary-type-assertion */
  fatal(...args: unknown[]): void {
    (this.log.fatal as AnyLogFn)(...args);
  }

  error(...args: unknown[]): void {
    (this.log.error as AnyLogFn)(...args);
  }

  warn(...args: unknown[]): void {
    (this.log.warn as AnyLogFn)(...args);
  }

  info(...args: unknown[]): void {
    (this.log.info as AnyLogFn)(...args);
  }

  debug(...args: unknown[]): void {
    (this.log.debug as AnyLogFn)(...args);
  }

  trace(...args: unknown[]): void {
    (this.log.trace as AnyLogFn)(...args);
  }

  /* eslint-enable @typescript-eslint/no-unnecessary-type-assertion */

  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): Logger {
    return this.log.child(bindings, options);
  }
}

/** Fastify's childLoggerFactory: the request's logger, made on first use. */
export function lazyChildLogger(parent: Logger, bindings: Bindings, options: ChildLoggerOptions): Logger {
  return new LazyChildLogger(parent, bindings, options) as unknown as Logger;
}
