/** Poll delays: start short (a cached build takes ~2 min), grow, cap (a cold one takes ~15). */
export interface Backoff {
  initialMs: number;
  maxMs: number;
  factor: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 2_000, maxMs: 15_000, factor: 1.5 };

export function nextDelay(current: number, b: Backoff): number {
  return Math.min(b.maxMs, Math.round(current * b.factor));
}
