import { z } from 'zod';

/**
 * Fault injection: rules that make the emulator slow, throttle, fail, hang, reset the
 * connection or answer outside the contract, for tests and benchmarks.
 */
export const FaultRule = z
  .object({
    /** Action name to match; `*` matches any run of characters. Default: every action. */
    action: z.string().default('*'),
    /** How many matching calls the rule applies to; default: all. */
    times: z.number().int().positive().optional(),
    /** Delay before answering, in milliseconds. */
    latencyMs: z.number().int().min(0).max(600_000).optional(),
    /** Answer with this HTTP status and an Alibaba error body. */
    status: z.number().int().min(400).max(599).optional(),
    /** The error body's Code (default depends on status, e.g. 429 -> Throttling.User). */
    code: z.string().optional(),
    message: z.string().optional(),
    /** Adds `x-acs-retry-after` (milliseconds) to the answer. */
    retryAfterMs: z.number().int().positive().optional(),
    /** Adds `Retry-After` with this raw value (seconds or an HTTP date). */
    retryAfter: z.string().optional(),
    /** Never answers (until the client gives up or the emulator closes). */
    hang: z.boolean().optional(),
    /** Drops the connection without answering. */
    reset: z.boolean().optional(),
    /** Answers 200 with a body that is not JSON. */
    malformed: z.boolean().optional(),
    /** Answers 200 with this JSON body instead of the real one (contract violations). */
    body: z.unknown().optional(),
  })
  .strict();
export type FaultRule = z.infer<typeof FaultRule>;

const DEFAULT_CODES: Record<number, string> = {
  400: 'InvalidParameter',
  401: 'InvalidApiKey',
  403: 'Forbidden.RAM',
  404: 'InvalidResource.NotFound',
  429: 'Throttling.User',
  500: 'InternalError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

const DEFAULT_MESSAGES: Record<string, string> = {
  'Throttling.User': 'Request was denied due to user flow control.',
  InternalError: 'The request processing has failed due to some unknown error, exception or failure.',
  ServiceUnavailable: 'The request has failed due to a temporary failure of the server.',
};

export const defaultCode = (status: number) => DEFAULT_CODES[status] ?? (status >= 500 ? 'InternalError' : 'InvalidParameter');
export const defaultMessage = (code: string) => DEFAULT_MESSAGES[code] ?? `Injected fault ${code}.`;

interface ActiveRule {
  rule: FaultRule;
  pattern: RegExp;
  remaining: number;
}

const globToRegExp = (glob: string) => new RegExp(`^${glob.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);

export function createFaults() {
  let rules: ActiveRule[] = [];
  return {
    add(input: unknown): FaultRule {
      const rule = FaultRule.parse(input);
      rules.push({ rule, pattern: globToRegExp(rule.action), remaining: rule.times ?? Number.POSITIVE_INFINITY });
      return rule;
    },
    /** The rule that applies to this call, if any; consumes one of its `times`. */
    take(action: string): FaultRule | undefined {
      const active = rules.find((r) => r.remaining > 0 && r.pattern.test(action));
      if (!active) return undefined;
      active.remaining -= 1;
      return active.rule;
    },
    list: () => rules.filter((r) => r.remaining > 0).map((r) => ({ ...r.rule, remaining: Number.isFinite(r.remaining) ? r.remaining : null })),
    clear() {
      rules = [];
    },
  };
}

export type Faults = ReturnType<typeof createFaults>;
