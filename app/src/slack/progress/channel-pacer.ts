/**
 * New messages (thread replies) go out in order, one channel at a time, at most one per
 * `intervalMs` per channel — Slack allows chat.postMessage about once a second per channel.
 * Updates of an existing message do not go through here (chat.update is not limited that way).
 */
export interface ChannelPacerOptions {
  intervalMs: number;
  onError: (channel: string, err: unknown) => void;
  nowMs?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class ChannelPacer {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly lastPost = new Map<string, number>();

  constructor(private readonly o: ChannelPacerOptions) {}

  enqueue(channel: string, post: () => Promise<void>): void {
    const previous = this.tails.get(channel) ?? Promise.resolve();
    const next = previous.then(() => this.run(channel, post));
    this.tails.set(channel, next);
    void next.finally(() => {
      if (this.tails.get(channel) === next) this.tails.delete(channel);
    });
  }

  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.allSettled([...this.tails.values()]);
  }

  private async run(channel: string, post: () => Promise<void>): Promise<void> {
    const now = this.o.nowMs ?? Date.now;
    const wait = (this.lastPost.get(channel) ?? -Infinity) + this.o.intervalMs - now();
    if (wait > 0) await (this.o.sleep ?? defaultSleep)(wait);
    try {
      await post();
    } catch (err) {
      this.o.onError(channel, err);
    } finally {
      this.lastPost.set(channel, now());
    }
  }
}
