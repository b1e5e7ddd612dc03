/** Deterministic randomness and a fixed epoch, so demo data is the same on every start. */

/** A small deterministic PRNG (mulberry32) so the demo data is the same on every start. */
export function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const BASE = Date.UTC(2025, 0, 6, 9, 0, 0);
export const HOUR = 3_600_000;

export function demoId(rand: () => number, prefix: string): string {
  const chars = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let i = 0; i < 18; i += 1) s += chars[Math.floor(rand() * chars.length)];
  return `${prefix}-${s}`;
}

