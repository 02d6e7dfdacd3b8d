/**
 * Token buckets keyed by a string (an environment name, a client address): `capacity` requests at
 * once, refilled at `perMinute`. Bounded memory: the oldest keys are dropped past `maxKeys`, which
 * at worst forgives a client, never blocks one wrongly. The clock is injected for tests.
 */
export interface RateLimitOptions {
  capacity: number;
  perMinute: number;
  maxKeys?: number;
  now?: () => number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly now: () => number;

  constructor(private readonly o: RateLimitOptions) {
    this.now = o.now ?? Date.now;
  }

  /** Takes one token; false when the key is over its rate. */
  take(key: string): boolean {
    const now = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.o.capacity, at: now };
    b.tokens = Math.min(this.o.capacity, b.tokens + ((now - b.at) / 60_000) * this.o.perMinute);
    b.at = now;
    this.buckets.delete(key);
    this.buckets.set(key, b);
    if (this.buckets.size > (this.o.maxKeys ?? 10_000)) this.buckets.delete(this.buckets.keys().next().value!);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  /** Seconds until the key has a token again (for Retry-After). */
  retryAfterSeconds(key: string): number {
    const b = this.buckets.get(key);
    if (!b || b.tokens >= 1) return 0;
    return Math.ceil(((1 - b.tokens) / this.o.perMinute) * 60);
  }
}
