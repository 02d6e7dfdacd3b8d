import type { Notifier } from '../environments/notifier-port.js';
import type { EnvironmentRecord } from '../environments/record.js';
import type { EnvironmentStore } from '../environments/store-port.js';
import { activeScheduleFailure, type FailedInvocation } from './schedule-failure.js';

/**
 * Turns a failed schedule invocation into what people see: the record is marked "auto-stop failed"
 * (or "auto-start failed") with the reason, and the environment's channels (Slack thread, PR status
 * comment, dashboard) get one `schedule-failed` notice per invocation, even if Scheduler's message
 * is delivered twice (SQS is at least once).
 */

export interface ScheduleFailureHandlerDeps {
  store: Pick<EnvironmentStore, 'mutate' | 'markOnce'>;
  notifier: Notifier;
  /** The instant a failure is stamped with when Scheduler did not say when it was due. */
  now: () => Date;
  /** Dead-letter messages live at most 14 days; their ids are remembered as long. */
  dedupeTtlSeconds?: number;
}

export type ScheduleFailureOutcome = 'reported' | 'duplicate' | 'unknown-env';

export async function handleScheduleFailure(deps: ScheduleFailureHandlerDeps, failure: FailedInvocation): Promise<ScheduleFailureOutcome> {
  const at = failure.scheduledAt ?? deps.now().toISOString();
  const record = await deps.store.mutate(failure.env, (current) =>
    current.desired === 'deleted' ? undefined : { ...current, scheduleFailure: { action: failure.action, schedule: failure.schedule, reason: failure.reason, at } },
  );
  if (!record || record.desired === 'deleted') return 'unknown-env';
  if (!(await deps.store.markOnce('schedule-failure', failure.executionId, deps.dedupeTtlSeconds ?? 14 * 86400))) return 'duplicate';
  await deps.notifier.notify(record, { kind: 'schedule-failed', action: failure.action, reason: failure.reason, at });
  return 'reported';
}

/**
 * A task-event hook: once the environment's power state no longer matches the failure (someone
 * stopped or started it, or the next schedule worked), the stale failure is cleared from the record.
 */
export function clearStaleScheduleFailure(store: Pick<EnvironmentStore, 'mutate'>) {
  return async (_event: unknown, record: EnvironmentRecord | undefined): Promise<void> => {
    if (!record?.scheduleFailure || activeScheduleFailure(record)) return;
    await store.mutate(record.name, (r) => (r.scheduleFailure && !activeScheduleFailure(r) ? { ...r, scheduleFailure: undefined } : undefined));
  };
}
