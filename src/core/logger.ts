import { pino, type DestinationStream, type Logger } from 'pino';

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
