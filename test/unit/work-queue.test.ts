import { describe, expect, it } from 'vitest';
import { backoffDelay, WorkQueue } from '../../app/src/engine/work-queue.js';
import type { EnvironmentStore } from '../../app/src/environments/store-port.js';
import { RetryableError } from '../../app/src/reconcile/errors.js';
import type { ReconcileResult } from '../../app/src/reconcile/result.js';
import { silentLog } from '../support/engine-fixture.js';

/** Only the lease methods the queue uses; releaseLease can be held open to widen the race. */
function leaseStore(opts: { holdRelease?: Promise<void>; failAcquire?: number } = {}) {
  let failures = opts.failAcquire ?? 0;
  return {
    acquireLease: async () => {
      if (failures-- > 0) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      return true;
    },
    releaseLease: async () => {
      await opts.holdRelease;
    },
  } as unknown as EnvironmentStore;
}

const DONE: ReconcileResult = { kind: 'done', outcome: 'converged' };
const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
const RETRY: ReconcileResult = { kind: 'retry', error: new RetryableError(throttled()) };
const fast = { baseMs: 1, capMs: 4, maxRetries: 8 };

describe('WorkQueue', () => {
  it('runs again when kicked while the previous run is releasing its lease', async () => {
    let release!: () => void;
    const holdRelease = new Promise<void>((r) => (release = r));
    const runs: number[] = [];
    const queue = new WorkQueue({ store: leaseStore({ holdRelease }), work: async () => (runs.push(runs.length), DONE), log: silentLog });
    queue.kick('a');
    await new Promise((r) => setTimeout(r, 10)); // first run done, now releasing
    queue.kick('a');
    release();
    await queue.idle();
    expect(runs).toEqual([0, 1]);
  });

  it('retries work that answered "retry", and idle() waits for it', async () => {
    const outcomes = [RETRY, RETRY, DONE];
    const queue = new WorkQueue({ store: leaseStore(), work: async () => outcomes.shift()!, backoff: fast, log: silentLog });
    queue.kick('b');
    await queue.idle();
    expect(outcomes).toEqual([]);
  });

  it('fails closed when the lease store is unreachable, and tries again', async () => {
    const runs: string[] = [];
    const queue = new WorkQueue({ store: leaseStore({ failAcquire: 2 }), work: async (n) => (runs.push(n), DONE), backoff: fast, log: silentLog });
    queue.kick('c');
    await queue.idle();
    expect(runs).toEqual(['c']);
  });

  it('backs off exponentially with full jitter, capped', () => {
    const b = { baseMs: 1000, capMs: 5000, maxRetries: 8 };
    expect([0, 1, 2, 3, 4].map((n) => backoffDelay(b, n, () => 0.5))).toEqual([500, 1000, 2000, 2500, 2500]);
    expect(backoffDelay(b, 2, () => 0)).toBe(0); // full jitter: anywhere from 0
  });

  it('counts only failures in a row', async () => {
    const outcomes = [RETRY, RETRY, DONE];
    const queue = new WorkQueue({ store: leaseStore(), work: async () => outcomes.shift()!, backoff: fast, log: silentLog });
    queue.kick('d');
    await queue.idle();
    expect(outcomes).toEqual([]);
    expect(queue.failuresOf('d')).toBe(0);
  });

  it('gives up after the last retry and hands the reason over', async () => {
    const given: { name: string; reason: string }[] = [];
    let runs = 0;
    const queue = new WorkQueue({
      store: leaseStore(),
      work: async () => (runs++, RETRY),
      giveUp: async (name, error) => void given.push({ name, reason: error.reason }),
      backoff: { ...fast, maxRetries: 3 },
      log: silentLog,
    });
    queue.kick('e');
    await queue.idle();
    expect(runs).toBe(4); // the first run and three retries
    expect(given).toEqual([{ name: 'e', reason: 'Rate exceeded' }]);
  });

  it('runs a requeued environment again after the time it asked for, without counting a failure', async () => {
    const outcomes: ReconcileResult[] = [{ kind: 'requeue', afterMs: 1, why: 'draining' }, DONE];
    const queue = new WorkQueue({ store: leaseStore(), work: async () => outcomes.shift()!, log: silentLog });
    queue.kick('f');
    await queue.idle();
    expect(outcomes).toEqual([]);
    expect(queue.failuresOf('f')).toBe(0);
  });
});
