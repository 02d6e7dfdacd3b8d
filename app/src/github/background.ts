/**
 * Work started after the HTTP answer (GitHub wants one within 10 s). Each job is tracked so tests
 * and graceful shutdown can wait for it; a failing job is logged by its owner, never rethrown here.
 */
export class BackgroundWork {
  private readonly pending = new Set<Promise<void>>();

  run(job: () => Promise<void>): void {
    const p = Promise.resolve()
      .then(job)
      .catch(() => undefined)
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  get size(): number {
    return this.pending.size;
  }

  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}
