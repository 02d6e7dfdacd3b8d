import type { EnvironmentStore } from '../../environments/store-port.js';
import { MAX_SKEW_SECONDS } from './signature.js';

export interface ReplayGuardOptions {
  store: Pick<EnvironmentStore, 'markOnce'>;
  /** How long the durable check may take before the in-memory answer stands (Slack's 3 s deadline). */
  budgetMs?: number;
  onStoreProblem?: (err: unknown) => void;
  nowMs?: () => number;
}

/** Long enough to outlive the ±5-minute window in which a signature is accepted at all. */
export const REMEMBER_SECONDS = 2 * MAX_SKEW_SECONDS;

/**
 * Refuses a correctly signed request the second time it arrives (a replay inside the 5-minute
 * window). Two layers:
 *  - in memory, synchronous: this process never handles the same signed request twice;
 *  - in the store (`markOnce`, TTL 10 min): neither does any other replica behind the load balancer.
 * The store answer is awaited for at most `budgetMs`. If the store is slow or down, the in-memory
 * answer stands — refusing every Slack request while DynamoDB hiccups would break the 3-second
 * deadline for nothing, and the command itself will then report the store problem to the user.
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();
  private readonly budgetMs: number;
  private readonly nowMs: () => number;

  constructor(private readonly o: ReplayGuardOptions) {
    // DynamoDB answers in ~10 ms when healthy; 250 ms keeps the ack far inside Slack's 3 s when it is not.
    this.budgetMs = o.budgetMs ?? 250;
    this.nowMs = o.nowMs ?? Date.now;
  }

  /**
   * From what was verified, not from the raw header: the timestamp and the parsed HMAC. Any other
   * spelling of the same signed request then maps to the same key and is refused as a replay.
   */
  static keyOf(hash: string, timestamp: number | string): string {
    return `${timestamp}:${hash}`;
  }

  /** True the first time a (verified) signature is seen. */
  async firstTime(key: string): Promise<boolean> {
    this.forgetExpired();
    if (this.seen.has(key)) return false;
    this.seen.set(key, this.nowMs() + REMEMBER_SECONDS * 1000);
    const durable = await this.durable(key);
    return durable !== false;
  }

  private async durable(key: string): Promise<boolean | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), this.budgetMs);
    });
    const answer = this.o.store.markOnce('slack-request', key, REMEMBER_SECONDS).catch((err: unknown) => err instanceof Error ? err : new Error(String(err)));
    try {
      const result = await Promise.race([answer, late]);
      if (typeof result === 'boolean') return result;
      this.o.onStoreProblem?.(result === 'late' ? new Error(`the store did not answer within ${this.budgetMs} ms`) : result);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Entries expire in insertion order (one fixed lifetime), so the scan stops at the first live one. */
  private forgetExpired(): void {
    const now = this.nowMs();
    for (const [key, until] of this.seen) {
      if (until > now) break;
      this.seen.delete(key);
    }
  }
}
