import type { Scheduler } from '../../src/core/subscriptions/feeds.js';

/**
 * Timers a test fires by hand: `tick()` is one poll interval passing for every loop that
 * scheduled its next poll. Nothing sleeps, so tests count polls per interval exactly.
 */
export function manualScheduler(): Scheduler & { tick(): number; readonly pending: number; readonly delays: readonly number[] } {
  const timers = new Map<number, () => void>();
  const delays: number[] = [];
  let next = 1;
  return {
    setTimeout(fn, ms) {
      const id = next++;
      timers.set(id, fn);
      delays.push(ms);
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    /** Runs the timers set so far (not those they set in turn); returns how many ran. */
    tick() {
      const due = [...timers.values()];
      timers.clear();
      for (const fn of due) fn();
      return due.length;
    },
    get pending() {
      return timers.size;
    },
    /** The delay of every timer set so far, in order. */
    delays,
  };
}
