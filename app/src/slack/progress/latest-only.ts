/**
 * Per key (one environment's message), at most one call in flight; while one runs, newer items
 * replace the waiting one, so a burst of progress becomes one `chat.update` with the latest state.
 * An item older than the last one sent (lower `order`, e.g. a stale record version) is dropped.
 */
export interface LatestOnlyOptions<T> {
  send: (key: string, item: T) => Promise<void>;
  order: (item: T) => number;
  onError: (key: string, err: unknown) => void;
  /** Pause between two sends for the same key, to let more changes coalesce. */
  minIntervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

interface Slot<T> {
  pending?: T;
  lastOrder: number;
  running?: Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class LatestOnly<T> {
  private readonly slots = new Map<string, Slot<T>>();

  constructor(private readonly o: LatestOnlyOptions<T>) {}

  push(key: string, item: T): void {
    const slot = this.slots.get(key) ?? { lastOrder: -Infinity };
    this.slots.set(key, slot);
    const order = this.o.order(item);
    if (order < slot.lastOrder || (slot.pending !== undefined && order < this.o.order(slot.pending))) return;
    slot.pending = item;
    if (!slot.running) slot.running = this.drain(key, slot);
  }

  async idle(): Promise<void> {
    for (;;) {
      const running = [...this.slots.values()].flatMap((s) => (s.running ? [s.running] : []));
      if (running.length === 0) return;
      await Promise.allSettled(running);
    }
  }

  private async drain(key: string, slot: Slot<T>): Promise<void> {
    try {
      while (slot.pending !== undefined) {
        const item = slot.pending;
        slot.pending = undefined;
        slot.lastOrder = this.o.order(item);
        try {
          await this.o.send(key, item);
        } catch (err) {
          this.o.onError(key, err);
        }
        if (slot.pending !== undefined && this.o.minIntervalMs) await (this.o.sleep ?? defaultSleep)(this.o.minIntervalMs);
      }
    } finally {
      slot.running = undefined;
    }
  }
}
