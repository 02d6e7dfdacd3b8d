import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { MAX_EVENT_BYTES, type DeliveryInboxStore, type FailedDelivery, type Receipt } from '../../aws/delivery-inbox.js';
import { BackgroundWork } from '../../frontdoor/background-work.js';
import type { GitHubEvent } from './triage.js';

/** Knobs with production defaults; tests shorten the waits and move the clock. */
export interface InboxTuning {
  /** How long a replica holds a delivery it runs (renewed while it runs; default 60 s). */
  leaseMs?: number;
  /** How often unfinished deliveries are looked for (default 30 s; also once at start). */
  sweepMs?: number;
  /** Attempts before a delivery is reported as failed (default 8: about 10 minutes of retries). */
  maxAttempts?: number;
  /** Wait before attempt n+1 after n failed (default: full jitter on 5 s × 2ⁿ⁻¹, capped at 5 min). */
  retryDelayMs?: (attempts: number) => number;
  /** At shutdown, how long running deliveries may finish before they are handed back (default 5 s). */
  handBackMs?: number;
  now?: () => number;
}

export interface GitHubInboxOptions {
  store: DeliveryInboxStore;
  /** The handler entry: `handleEvent(deps, event)` in router.ts. */
  handle: (event: GitHubEvent, delivery: string) => Promise<void>;
  /** A delivery failed its last attempt: tell someone (it stays in the inbox for a redelivery). */
  onGaveUp: (failure: { delivery: string; event: GitHubEvent | undefined; attempts: number; error: string }) => Promise<void>;
  log: Logger;
  tuning?: InboxTuning;
}

export class EventTooLargeError extends Error {
  readonly code = 'EVENT_TOO_LARGE';
}

const defaultDelay = (attempts: number) => Math.random() * Math.min(300_000, 5000 * 2 ** (attempts - 1));

/**
 * GitHub deliveries, processed at least once. The door records a verified delivery durably
 * (`receive`, its one write) before answering 202; the delivery is then run from here, by whichever
 * replica claims it, retried with backoff, and marked done only after its handler succeeded. A
 * crash leaves it pending: the sweep (at start and every `sweepMs`) runs it once the lease expires.
 */
export class GitHubInbox {
  readonly holder = `inbox-${randomUUID().slice(0, 8)}`;
  private readonly work: BackgroundWork;
  private readonly inFlight = new Set<string>();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private sweeper: NodeJS.Timeout | undefined;
  private stopping = false;
  private readonly now: () => number;
  private readonly leaseMs: number;

  constructor(private readonly o: GitHubInboxOptions) {
    this.work = new BackgroundWork(o.log, 'GitHub');
    this.now = o.tuning?.now ?? Date.now;
    this.leaseMs = o.tuning?.leaseMs ?? 60_000;
  }

  /** The door's single durable write (also the de-duplication). */
  receive(delivery: string, event: GitHubEvent): Promise<Receipt> {
    const json = JSON.stringify(event);
    if (Buffer.byteLength(json) > MAX_EVENT_BYTES) {
      return Promise.reject(new EventTooLargeError(`the ${event.type} event is over ${MAX_EVENT_BYTES} bytes`));
    }
    return this.o.store.receive(delivery, json, this.now());
  }

  /** After the 202: run it here at once (another replica may hold it; the lease decides). */
  accepted(delivery: string): void {
    this.process(delivery);
  }

  /** Looks for unfinished deliveries now and every `sweepMs`. */
  start(): void {
    const every = this.o.tuning?.sweepMs ?? 30_000;
    const sweep = () => this.sweep().catch((err) => this.o.log.error({ err }, 'looking for unfinished GitHub deliveries failed'));
    void sweep();
    this.sweeper = setInterval(sweep, every);
    this.sweeper.unref();
  }

  /** Runs every pending delivery that is due and not held by a live replica. */
  async sweep(): Promise<void> {
    if (this.stopping) return;
    for (const delivery of await this.o.store.due(this.now())) this.process(delivery);
  }

  failures(): Promise<FailedDelivery[]> {
    return this.o.store.failures(this.now());
  }

  /** Something runs or waits for a retry here. */
  get busy(): boolean {
    return this.work.size > 0 || this.retryTimers.size > 0;
  }

  /** Tests: until running deliveries and their scheduled retries are done. */
  async idle(): Promise<void> {
    while (this.busy) {
      if (this.work.size > 0) await this.work.idle();
      else await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Shutdown, step 1: claim nothing more (no sweeps, no retries, no new runs). */
  stopTakingWork(): void {
    this.stopping = true;
    clearInterval(this.sweeper);
    for (const t of this.retryTimers) clearTimeout(t);
    this.retryTimers.clear();
  }

  /**
   * Shutdown, step 2: give running deliveries `handBackMs` to finish, then hand the rest back (due
   * at once) so another replica, or this bot's next start, runs them without waiting for the lease.
   */
  async stop(): Promise<void> {
    this.stopTakingWork();
    if (await this.work.idleWithin(this.o.tuning?.handBackMs ?? 5000)) return;
    const now = this.now();
    await Promise.all(
      [...this.inFlight].map((d) =>
        this.o.store.release(d, this.holder, now).catch((err) => this.o.log.warn({ err, delivery: d }, 'could not hand a GitHub delivery back')),
      ),
    );
  }

  private process(delivery: string): void {
    if (this.stopping || this.inFlight.has(delivery)) return;
    this.inFlight.add(delivery);
    this.work.run(`delivery ${delivery}`, () => this.attempt(delivery).finally(() => this.inFlight.delete(delivery)));
  }

  private async attempt(delivery: string): Promise<void> {
    const claimed = await this.o.store.claim(delivery, this.holder, this.leaseMs, this.now());
    if (!claimed) return; // done, failed, or another replica runs it
    const renew = setInterval(() => {
      this.o.store.renew(delivery, this.holder, this.leaseMs, this.now()).catch((err) => this.o.log.warn({ err, delivery }, 'renewing a delivery lease failed'));
    }, Math.max(1000, this.leaseMs / 3));
    renew.unref();
    let event: GitHubEvent | undefined;
    let failure: unknown;
    try {
      event = JSON.parse(claimed.event) as GitHubEvent;
      await this.o.handle(event, delivery);
    } catch (err) {
      failure = err ?? new Error('the handler failed without an error');
    } finally {
      clearInterval(renew);
    }
    if (failure === undefined) await this.o.store.succeeded(delivery, this.holder, this.now());
    else await this.failed(delivery, event, claimed.attempts, failure);
  }

  private async failed(delivery: string, event: GitHubEvent | undefined, attempts: number, err: unknown): Promise<void> {
    const error = err instanceof Error ? err.message : String(err);
    const max = this.o.tuning?.maxAttempts ?? 8;
    if (attempts < max) {
      const delay = (this.o.tuning?.retryDelayMs ?? defaultDelay)(attempts);
      this.o.log.warn({ err, delivery, attempts, retryInMs: Math.round(delay) }, 'handling a GitHub delivery failed; will retry');
      await this.o.store.retryLater(delivery, this.holder, error, this.now() + delay);
      this.retryAfter(delivery, delay);
      return;
    }
    this.o.log.error({ err, delivery, attempts, event: event?.type }, 'handling a GitHub delivery failed for good; redeliver it from GitHub once the cause is fixed');
    await this.o.store.gaveUp(delivery, this.holder, error);
    await this.o.onGaveUp({ delivery, event, attempts, error }).catch((e) => this.o.log.error({ err: e, delivery }, 'reporting a failed GitHub delivery failed'));
  }

  private retryAfter(delivery: string, delayMs: number): void {
    if (this.stopping) return;
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      this.process(delivery);
    }, delayMs);
    timer.unref();
    this.retryTimers.add(timer);
  }
}
