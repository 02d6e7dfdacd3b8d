import type { EnvNotice } from '../environments/notifier-port.js';
import type { EnvironmentRecord, EnvStatus } from '../environments/record.js';
import type { StepDeps } from './steps/step.js';

type StatusDeps = Pick<StepDeps, 'store' | 'notifier' | 'log'>;

/** Writes the status only when it changes; answers the new record, or undefined when nothing changed. */
export function setStatus(d: StatusDeps, name: string, status: EnvStatus, reason?: string, known?: EnvironmentRecord): Promise<EnvironmentRecord | undefined> {
  return d.store.mutate(name, (r) => (r.status === status && r.statusReason === reason ? undefined : { ...r, status, statusReason: reason }), known);
}

/** A notice that cannot be delivered never fails the work it reports on. */
export async function notify(d: StatusDeps, record: EnvironmentRecord, notice: EnvNotice): Promise<void> {
  try {
    await d.notifier.notify(record, notice);
  } catch (err) {
    d.log.warn({ err, env: record.name }, 'notifying failed');
  }
}
