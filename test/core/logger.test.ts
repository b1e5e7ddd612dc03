import { describe, expect, it } from '@jest/globals';
import { createLogger, lazyChildLogger } from '../../src/core/logger.js';

const capture = () => {
  const lines: string[] = [];
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(line) } });
  return { logger, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
};

describe('the per-request child logger', () => {
  it('logs with the request id bound, redacted like the parent, and only when something is logged', () => {
    const { logger, lines, parsed } = capture();
    const child = lazyChildLogger(logger, { reqId: 'req-7' }, {});
    expect(child.level).toBe('info');
    expect(child.isLevelEnabled('debug')).toBe(false);
    child.debug('not written');
    expect(lines).toHaveLength(0);
    child.info({ headers: { authorization: 'Bearer secret-token-123' } }, 'refused');
    child.warn('careful');
    expect(parsed()).toEqual([
      expect.objectContaining({ level: 30, reqId: 'req-7', service: 'pai-graph', msg: 'refused', headers: { authorization: '[redacted]' } }),
      expect.objectContaining({ level: 40, reqId: 'req-7', msg: 'careful' }),
    ]);
    child.child({ step: 'parse' }).error('nested');
    expect(parsed()[2]).toEqual(expect.objectContaining({ level: 50, reqId: 'req-7', step: 'parse', msg: 'nested' }));
  });
});
