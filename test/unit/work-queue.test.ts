import { describe, expect, it } from 'vitest';
import { WorkQueue } from '../../app/src/engine/work-queue.js';
import type { EnvironmentStore } from '../../app/src/environments/store-port.js';
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

describe('WorkQueue', () => {
  it('runs again when kicked while the previous run is releasing its lease', async () => {
    let release!: () => void;
    const holdRelease = new Promise<void>((r) => (release = r));
    const runs: number[] = [];
    const queue = new WorkQueue({ store: leaseStore({ holdRelease }), work: async () => void runs.push(runs.length), log: silentLog });
    queue.kick('a');
    await new Promise((r) => setTimeout(r, 10)); // first run done, now releasing
    queue.kick('a');
    release();
    await queue.idle();
    expect(runs).toEqual([0, 1]);
  });

  it('retries work that answered "retry", and idle() waits for it', async () => {
    const outcomes = ['retry', 'retry', 'converged'];
    const queue = new WorkQueue({ store: leaseStore(), work: async () => outcomes.shift(), retryDelayMs: () => 5, log: silentLog });
    queue.kick('b');
    await queue.idle();
    expect(outcomes).toEqual([]);
  });

  it('fails closed when the lease store is unreachable, and tries again', async () => {
    const runs: string[] = [];
    const queue = new WorkQueue({ store: leaseStore({ failAcquire: 2 }), work: async (n) => void runs.push(n), retryDelayMs: () => 5, log: silentLog });
    queue.kick('c');
    await queue.idle();
    expect(runs).toEqual(['c']);
  });
});
