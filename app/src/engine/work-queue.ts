import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { EnvironmentStore } from '../environments/store-port.js';

export interface WorkQueueOptions {
  store: EnvironmentStore;
  work: (name: string) => Promise<unknown>;
  /** For a run that answered 'retry': how long to wait before the next one. */
  retryDelayMs?: (name: string) => number;
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
  /** Environments waiting for a retry (not "idle" yet: their work is unfinished). */
  private readonly pendingRetries = new Set<string>();

  constructor(private readonly o: WorkQueueOptions) {}

  kick(name: string): void {
    if (this.stopping) return;
    if (this.running.has(name)) {
      this.dirty.add(name);
      return;
    }
    const run = this.loop(name).finally(() => {
      this.running.delete(name);
      // A kick that landed while the loop was releasing its lease must not be lost.
      if (this.dirty.delete(name)) this.kick(name);
    });
    this.running.set(name, run);
  }

  /** Resolves when no work is running or waiting for a transient-error retry. */
  async idle(): Promise<void> {
    while (this.running.size > 0 || this.pendingRetries.size > 0) {
      if (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
      else await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Graceful shutdown: take no new work, finish what runs (leases are released as each ends). */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const t of this.retryTimers) clearTimeout(t);
    this.pendingRetries.clear();
    await this.idle();
  }

  private async loop(name: string): Promise<void> {
    const leaseMs = this.o.leaseMs ?? 120_000;
    let acquired = false;
    try {
      acquired = await this.o.store.acquireLease(name, this.holder, leaseMs);
    } catch (err) {
      // Fail closed: without the lock store we do not touch AWS. Our own work is still owed.
      this.o.log.error({ err, env: name }, 'lease store unreachable; not reconciling yet');
      this.pendingRetries.add(name);
      this.retryLater(name, this.o.retryDelayMs?.(name));
      return;
    }
    if (!acquired) {
      // Another replica holds it; look again later in case it dies without finishing.
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
          const outcome = await this.o.work(name);
          if (outcome === 'retry') {
            this.pendingRetries.add(name);
            this.retryLater(name, this.o.retryDelayMs?.(name));
          }
        } catch (err) {
          this.o.log.error({ err, env: name }, 'work failed');
        }
      } while (this.dirty.has(name) && !this.stopping);
    } finally {
      clearInterval(renew);
      await this.o.store.releaseLease(name, this.holder).catch(() => undefined);
    }
  }

  private retryLater(name: string, delayMs = this.o.retryMs ?? 5000): void {
    if (this.stopping) return;
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      this.pendingRetries.delete(name);
      this.kick(name);
    }, delayMs);
    timer.unref();
    this.retryTimers.add(timer);
  }
}
