import type { WakePorts } from './ports.js';

/**
 * Starts a sleeping environment at most once, however many requests arrive at the same time and
 * on however many bot tasks: in this process one attempt per name is in flight at a time (the
 * rest share its answer), and across processes the store's conditional write picks one winner.
 */
export type WakeOutcome = 'unknown' | 'awake' | 'not-wakeable' | 'started' | 'already-waking';

export class WakeOnce {
  private readonly inFlight = new Map<string, Promise<WakeOutcome>>();

  constructor(private readonly ports: WakePorts) {}

  wake(name: string): Promise<WakeOutcome> {
    let pending = this.inFlight.get(name);
    if (!pending) {
      pending = this.attempt(name).finally(() => this.inFlight.delete(name));
      this.inFlight.set(name, pending);
    }
    return pending;
  }

  private async attempt(name: string): Promise<WakeOutcome> {
    const env = await this.ports.lookup(name);
    if (!env) return 'unknown';
    if (env.state === 'running') return 'awake';
    if (env.state === 'waking') return 'already-waking';
    if (!env.wakeable) return 'not-wakeable';
    if (!(await this.ports.claimWake(name, env.version))) return 'already-waking';
    await this.ports.start(name);
    return 'started';
  }
}
