import type { RecordedCall } from './index.js';
import type { Faults } from './faults.js';

/**
 * The emulator's control API, for tests, benchmarks and people driving a separately started
 * emulator (`npm run emulator`):
 *
 *   GET    /__emulator/calls    the calls received since the last clear (authorization values
 *                                redacted), the most recent 10,000 to 15,000 of them, and `count`, all of them
 *   GET    /__emulator/calls/count   only the count (cheap after a benchmark's thousands)
 *   DELETE /__emulator/calls    forget them
 *   GET    /__emulator/faults   active fault rules
 *   POST   /__emulator/faults   add a rule (or an array of rules), see faults.ts
 *   DELETE /__emulator/faults   remove all rules
 *   POST   /__emulator/reset    reload the data, clear calls and faults
 */
export const CONTROL_PREFIX = '/__emulator';

export interface ControlDeps {
  calls(): readonly RecordedCall[];
  callCount(): number;
  clearCalls(): void;
  faults: Faults;
  reset(): void;
}

/** Credentials in recorded calls: the Authorization header, eval-task model API keys and EAS service tokens. */
const redactKeys = (text: string) =>
  text.replace(/("(?:ApiKey|token|dockerAuth)"\s*:\s*")((?:[^"\\]|\\.)*)(")/g, '$1[redacted]$3').replace(/(%22(?:ApiKey|token|dockerAuth)%22%3A%22)(.*?)(%22)/g, '$1%5Bredacted%5D$3');

const redact = (c: RecordedCall) => ({
  ...c,
  query: redactKeys(c.query),
  body: redactKeys(c.body),
  headers: Object.fromEntries(Object.entries(c.headers).map(([k, v]) => [k, k === 'authorization' || k === 'x-acs-security-token' ? '[redacted]' : v])),
});

export function createControlApi(deps: ControlDeps) {
  return (method: string, path: string, rawBody: string): { status: number; body: unknown } => {
    const route = `${method} ${path.slice(CONTROL_PREFIX.length)}`;
    try {
      switch (route) {
        case 'GET /calls':
          return { status: 200, body: { calls: deps.calls().map(redact), count: deps.callCount() } };
        case 'GET /calls/count':
          return { status: 200, body: { count: deps.callCount() } };
        case 'DELETE /calls':
          deps.clearCalls();
          return { status: 200, body: { ok: true } };
        case 'GET /faults':
          return { status: 200, body: { faults: deps.faults.list() } };
        case 'POST /faults': {
          const input = JSON.parse(rawBody || '{}') as unknown;
          const added = (Array.isArray(input) ? input : [input]).map((r) => deps.faults.add(r));
          return { status: 201, body: { added } };
        }
        case 'DELETE /faults':
          deps.faults.clear();
          return { status: 200, body: { ok: true } };
        case 'POST /reset':
          deps.reset();
          return { status: 200, body: { ok: true } };
        case 'GET /health':
          return { status: 200, body: { ok: true } };
        default:
          return { status: 404, body: { error: `no control route ${route}` } };
      }
    } catch (err) {
      return { status: 400, body: { error: (err as Error).message } };
    }
  };
}
