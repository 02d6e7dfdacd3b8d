import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { EnvironmentStore } from '../environments/store-port.js';
import type { RetryableError } from '../reconcile/errors.js';
import type { ReconcileResult } from '../reconcile/result.js';

/** Exponential backoff with full jitter: a random wait below min(cap, base·2^failures). */
export interface Backoff {
  baseMs: number;
  capMs: number;
  /** Retryable failures in a row before the work is given up (`giveUp`). */
  maxRetries: number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 1000, capMs: 30_000, maxRetries: 8 };

export function backoffDelay(b: Backoff, failures: number, random: () => number): number {
  return random() * Math.min(b.capMs, b.baseMs * 2 ** failures);
}

export interface WorkQueueOptions {
  store: EnvironmentStore;
  work: (name: string) => Promise<ReconcileResult>;
  /** A retryable error happened more than `maxRetries` times in a row: record the failure. */
  giveUp?: (name: string, error: RetryableError) => Promise<void>;
  backoff?: Backoff;
  /** In [0, 1); injectable so tests can check the backoff. */
  random?: () => number;
  log: Logger;
  /** Lease length; renewed while work runs so a long wait for health keeps it. */
  leaseMs?: number;
  /** When another replica holds the lease, look again after this long. */
  retryMs?: number;
}

/**
 * Runs reconcile work in the background, one run per environment at a time: in-process by a
 * per-name loop, across replicas by a lease in the store. A kick during a run makes the loop go
 * round once more, so no change of desired state is lost. Owns retries: a run answers what
 * happened (`ReconcileResult`), the queue decides when to run it again.
 */
export class WorkQueue {
  readonly holder = `bot-${randomUUID().slice(0, 8)}`;
  private readonly running = new Map<string, Promise<void>>();
  private readonly dirty = new Set<string>();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private stopping = false;
  /** Environments waiting for a retry (not "idle" yet: their work is unfinished). */
  private readonly pendingRetries = new Set<string>();
  /** Retryable failures in a row, per environment. */
  private readonly failures = new Map<string, number>();

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

  /** Failures in a row this environment has had (what its backoff grows with). */
  failuresOf(name: string): number {
    return this.failures.get(name) ?? 0;
  }

  /** Resolves when no work is running or waiting for a retry. */
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
      this.retryLater(name, this.backoffMs(name));
      return;
    }
    if (!acquired) {
      // Another replica holds it; look again later in case it dies without finishing.
      this.retryLater(name, this.o.retryMs ?? 5000, false);
      return;
    }
    const renew = setInterval(() => {
      this.o.store.acquireLease(name, this.holder, leaseMs).catch((err) => this.o.log.warn({ err, env: name }, 'lease renewal failed'));
    }, Math.max(1000, leaseMs / 3));
    renew.unref();
    try {
      do {
        this.dirty.delete(name);
        await this.runOnce(name);
      } while (this.dirty.has(name) && !this.stopping);
    } finally {
      clearInterval(renew);
      await this.o.store.releaseLease(name, this.holder).catch(() => undefined);
    }
  }

  private async runOnce(name: string): Promise<void> {
    try {
      const result = await this.o.work(name);
      if (result.kind === 'done') this.failures.delete(name);
      if (result.kind === 'requeue') this.retryLater(name, result.afterMs ?? this.backoffMs(name));
      if (result.kind === 'retry') await this.retryOrGiveUp(name, result.error);
    } catch (err) {
      this.o.log.error({ err, env: name }, 'work failed');
    }
  }

  private async retryOrGiveUp(name: string, error: RetryableError): Promise<void> {
    const failures = this.failuresOf(name) + 1;
    const max = (this.o.backoff ?? DEFAULT_BACKOFF).maxRetries;
    if (failures > max) {
      this.failures.delete(name);
      await this.o.giveUp?.(name, error);
      return;
    }
    this.failures.set(name, failures);
    this.o.log.warn({ err: error.cause, env: name, retries: failures }, 'transient error; will retry');
    this.retryLater(name, this.backoffMs(name));
  }

  private backoffMs(name: string): number {
    return backoffDelay(this.o.backoff ?? DEFAULT_BACKOFF, this.failuresOf(name), this.o.random ?? Math.random);
  }

  /** `pending`: the work is owed (idle() waits for it), as opposed to looking again at another replica's lease. */
  private retryLater(name: string, delayMs: number, pending = true): void {
    if (this.stopping) return;
    if (pending) this.pendingRetries.add(name);
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      this.pendingRetries.delete(name);
      this.kick(name);
    }, delayMs);
    timer.unref();
    this.retryTimers.add(timer);
  }
}
