import type { Logger } from 'pino';

/**
 * Work a Slack request started after it was acknowledged (Slack's 3-second deadline). Tracked so
 * tests and shutdown can wait for it (`idle`), and so one failure is logged, never thrown at Bolt.
 */
export class BackgroundWork {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly log: Logger) {}

  run(label: string, fn: () => Promise<unknown>): void {
    const job: Promise<void> = Promise.resolve()
      .then(fn)
      .then(
        () => undefined,
        (err: unknown) => this.log.error({ err, label }, 'Slack background work failed'),
      )
      .finally(() => this.running.delete(job));
    this.running.add(job);
  }

  get size(): number {
    return this.running.size;
  }

  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
