import { randomUUID } from 'node:crypto';
import type { CommandContext } from '../context.js';

/** The lease key: environment names are DNS labels, so no record can be called this. */
const CREATION_LOCK = 'quota:create';
/** Long enough for a count and a create; a crashed holder frees it by expiry. */
const LOCK_TTL_MS = 15_000;
/**
 * How long an `up` waits its turn (about 30 s): each holder needs two store calls, so even a burst
 * of simultaneous `up`s gets through; jitter keeps the waiters from retrying in step.
 */
const ATTEMPTS = 40;
const retryDelayMs = (attempt: number) => Math.min(1000, 20 * 2 ** attempt) * (0.5 + Math.random());

export type Locked<T> = { kind: 'done'; value: T } | { kind: 'busy' };

/**
 * Runs `work` (count the live environments, then create one) while holding the one creation lease
 * across replicas. Counting and creating as two steps let simultaneous `up`s each see room under a
 * quota and all create; one at a time, each count sees every earlier create.
 */
export async function withCreationLock<T>(ctx: CommandContext, work: () => Promise<T>): Promise<Locked<T>> {
  const holder = randomUUID();
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, retryDelayMs(attempt - 1)));
    if (!(await ctx.store.acquireLease(CREATION_LOCK, holder, LOCK_TTL_MS))) continue;
    try {
      return { kind: 'done', value: await work() };
    } finally {
      await ctx.store.releaseLease(CREATION_LOCK, holder).catch((err) => ctx.log.warn({ err }, 'releasing the creation lock failed; it expires by itself'));
    }
  }
  return { kind: 'busy' };
}
