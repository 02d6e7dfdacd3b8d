import type { Logger } from 'pino';

/**
 * "Answer now, work later", for every door: Slack wants an answer within 3 s, GitHub within 10 s,
 * so a request is acknowledged first and its work runs here. Each job is tracked so tests and
 * shutdown can wait for it (`idle`, `idleWithin`); a failing job is logged, never thrown at the
 * door that started it.
 */
export class BackgroundWork {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly log: Logger,
    /** Names the door in the failure log line ("Slack", "GitHub"). */
    private readonly door = 'background',
  ) {}

  run(label: string, fn: () => Promise<unknown>): void {
    const job: Promise<void> = Promise.resolve()
      .then(fn)
      .then(
        () => undefined,
        (err: unknown) => this.log.error({ err, label }, `${this.door} background work failed`),
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

  /** Shutdown: waits at most `ms`; true when everything finished in time. */
  async idleWithin(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    });
    try {
      return await Promise.race([this.idle().then(() => true), late]);
    } finally {
      clearTimeout(timer);
    }
  }
}
