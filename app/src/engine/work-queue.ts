import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { EnvironmentStore } from '../environments/store-port.js';

export interface WorkQueueOptions {
  store: EnvironmentStore;
  work: (name: string) => Promise<unknown>;
  log: Logger;
  /** Lease length; renewed while work runs so a long wait for health keeps it. */
  leaseMs?: number;
  /** When another replica holds the lease, look again after this long. */
  retryMs?: number;
}

/**
 * Runs reconcile work in the background, one run per environment at a time: in-process by a
 * per-name loop, across replicas by a lease in the store. A kick during a run makes the loop go
 * round once more, so no change of desired state is lost.
 */
export class WorkQueue {
  readonly holder = `bot-${randomUUID().slice(0, 8)}`;
  private readonly running = new Map<string, Promise<void>>();
  private readonly dirty = new Set<string>();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private stopping = false;

  constructor(private readonly o: WorkQueueOptions) {}

  kick(name: string): void {
    if (this.stopping) return;
    if (this.running.has(name)) {
      this.dirty.add(name);
      return;
    }
    const run = this.loop(name).finally(() => this.running.delete(name));
    this.running.set(name, run);
  }

  /** Resolves when no work is running (tests and graceful shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }

  /** Graceful shutdown: take no new work, finish what runs (leases are released as each ends). */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const t of this.retryTimers) clearTimeout(t);
    await this.idle();
  }

  private async loop(name: string): Promise<void> {
    const leaseMs = this.o.leaseMs ?? 120_000;
    let acquired = false;
    try {
      acquired = await this.o.store.acquireLease(name, this.holder, leaseMs);
    } catch (err) {
      // Fail closed: without the lock store we do not touch AWS.
      this.o.log.error({ err, env: name }, 'lease store unreachable; not reconciling');
    }
    if (!acquired) {
      this.retryLater(name);
      return;
    }
    const renew = setInterval(() => {
      this.o.store.acquireLease(name, this.holder, leaseMs).catch((err) => this.o.log.warn({ err, env: name }, 'lease renewal failed'));
    }, Math.max(1000, leaseMs / 3));
    renew.unref();
    try {
      do {
        this.dirty.delete(name);
        try {
          await this.o.work(name);
        } catch (err) {
          this.o.log.error({ err, env: name }, 'work failed');
        }
      } while (this.dirty.has(name) && !this.stopping);
    } finally {
      clearInterval(renew);
      await this.o.store.releaseLease(name, this.holder).catch(() => undefined);
    }
  }

  private retryLater(name: string): void {
    if (this.stopping) return;
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      this.kick(name);
    }, this.o.retryMs ?? 5000);
    timer.unref();
    this.retryTimers.add(timer);
  }
}
