/**
 * One at a time per key (an environment name), in this process. Keeps the status comment from
 * being created twice when a command and a notice for the same environment arrive together.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, job: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(job);
    const tail = current.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await current;
    } finally {
      // Forget the key once nothing else queued behind us (keeps the map small).
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
