import type { EnvironmentRecord } from './record.js';

/**
 * Something worth telling the people who care about an environment. Front ends (Slack thread,
 * PR status comment, dashboard) each render it in their own way; the core only emits it.
 */
export type EnvNotice =
  | { kind: 'progress'; stage: 'queued' | 'building' | 'deploying' | 'waiting-health'; detail?: string }
  | { kind: 'ready'; url: string }
  | { kind: 'failed'; reason: string; hint?: string }
  | { kind: 'stopped'; by: 'user' | 'schedule' | 'reaper' }
  | { kind: 'started'; by: 'user' | 'schedule' }
  | { kind: 'destroyed'; by: 'user' | 'pr-closed' | 'branch-deleted' | 'reaper' }
  | { kind: 'spot-interruption' }
  | { kind: 'capacity-fallback'; to: 'FARGATE' | 'FARGATE_SPOT' }
  | { kind: 'auto-stop-warning'; stopAt: string }
  | { kind: 'schedule-failed'; action: 'stop' | 'start'; reason: string; at: string }
  | { kind: 'reaper-warning'; destroyAt: string }
  | { kind: 'build'; phase: string; elapsedSeconds: number; cacheHit?: boolean; logUrl?: string; logTail?: string[]; failed?: boolean }
  | { kind: 'extended'; until: string }
  | { kind: 'config-changed'; keys: string[] };

export interface Notifier {
  notify(record: EnvironmentRecord, notice: EnvNotice): Promise<void>;
}

/** Fans one notice out to every front end; one failing front end never blocks the others. */
export class FanoutNotifier implements Notifier {
  private readonly sinks: Notifier[] = [];
  constructor(private readonly onError: (err: unknown) => void = () => {}) {}

  add(sink: Notifier): void {
    this.sinks.push(sink);
  }

  async notify(record: EnvironmentRecord, notice: EnvNotice): Promise<void> {
    const results = await Promise.allSettled(this.sinks.map((s) => s.notify(record, notice)));
    for (const r of results) if (r.status === 'rejected') this.onError(r.reason);
  }
}
