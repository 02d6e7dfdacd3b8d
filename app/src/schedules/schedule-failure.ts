import type { EnvironmentRecord, ScheduleFailure } from '../environments/record.js';
import { SCHEDULE_KINDS, type ScheduleKind } from './schedule-plan.js';

/**
 * A schedule invocation that failed, as EventBridge Scheduler reports it on the schedules' dead-letter
 * queue: after the retry policy is exhausted (or at once for errors retrying cannot fix, such as a
 * missing permission), Scheduler sends a message whose attributes say what failed and why —
 * ERROR_CODE, ERROR_MESSAGE, SCHEDULE_ARN, TARGET_ARN, EXECUTION_ID, SCHEDULED_TIME, RETRY_ATTEMPTS,
 * EXHAUSTED_RETRY_CONDITION (user guide, "Configuring a dead-letter queue for a schedule").
 * Pure: no AWS, no clock.
 */

/** The message attributes the parser reads (ReceiveMessage's MessageAttributeNames). */
export const DEAD_LETTER_ATTRIBUTES = [
  'ERROR_CODE',
  'ERROR_MESSAGE',
  'SCHEDULE_ARN',
  'TARGET_ARN',
  'EXECUTION_ID',
  'SCHEDULED_TIME',
  'RETRY_ATTEMPTS',
  'EXHAUSTED_RETRY_CONDITION',
] as const;

export interface FailedInvocation {
  env: string;
  schedule: string;
  kind: ScheduleKind;
  action: ScheduleFailure['action'];
  /** What went wrong, for people: the target's error code and message. */
  reason: string;
  /** Identifies the invocation; the same failure delivered twice is reported once. */
  executionId: string;
  /** When the schedule was due (ISO), or undefined when Scheduler did not say. */
  scheduledAt?: string;
}

export class DeadLetterMessageError extends Error {
  readonly code = 'SCHEDULE_DEAD_LETTER_UNREADABLE';
}

type Attributes = Record<string, { StringValue?: string } | undefined>;

/**
 * Reads one dead-letter message. Returns undefined for a schedule that is not one of envbot's in
 * `group` (nothing to report); throws DeadLetterMessageError for a message that is not a Scheduler
 * dead-letter event at all.
 */
export function parseDeadLetter(body: string, attributes: Attributes | undefined, group: string, fallbackId: string): FailedInvocation | undefined {
  const attr = (name: (typeof DEAD_LETTER_ATTRIBUTES)[number]) => attributes?.[name]?.StringValue;
  const scheduleArn = attr('SCHEDULE_ARN');
  if (!scheduleArn) throw new DeadLetterMessageError('not a Scheduler dead-letter event: no SCHEDULE_ARN attribute');
  // arn:<partition>:scheduler:<region>:<account>:schedule/<group>/<name>
  const m = /:schedule\/([^/]+)\/(.+)$/.exec(scheduleArn);
  if (!m) throw new DeadLetterMessageError(`not a schedule ARN: ${scheduleArn}`);
  if (m[1] !== group) return undefined;
  const named = envScheduleOf(m[2]!);
  if (!named) return undefined;
  const code = attr('ERROR_CODE');
  const message = attr('ERROR_MESSAGE');
  const retries = attr('RETRY_ATTEMPTS');
  const reason = [code, message].filter(Boolean).join(': ') || 'Scheduler gave no reason';
  const scheduled = attr('SCHEDULED_TIME');
  return {
    ...named,
    action: actionOf(body, named.kind),
    reason: retries && Number(retries) > 0 ? `${reason} (after ${retries} retries)` : reason,
    executionId: attr('EXECUTION_ID') ?? fallbackId,
    ...(scheduled && !Number.isNaN(Date.parse(scheduled)) && { scheduledAt: new Date(scheduled).toISOString() }),
  };
}

/** `envbot-<env>-<kind>`: kinds never contain a dash, so the last dash splits them (schedule-plan.ts). */
function envScheduleOf(schedule: string): { env: string; schedule: string; kind: ScheduleKind } | undefined {
  const m = /^envbot-(.+)-([a-z]+)$/.exec(schedule);
  const kind = m?.[2] as ScheduleKind | undefined;
  if (!m || !kind || !SCHEDULE_KINDS.includes(kind)) return undefined;
  return { env: m[1]!, schedule, kind };
}

/** The request says what the schedule was doing; the kind is the fallback. */
function actionOf(body: string, kind: ScheduleKind): ScheduleFailure['action'] {
  try {
    const count = (JSON.parse(body) as { DesiredCount?: unknown }).DesiredCount;
    if (typeof count === 'number') return count === 0 ? 'stop' : 'start';
  } catch {
    // The body is Scheduler's to shape; the schedule name is enough.
  }
  return kind === 'start' ? 'start' : 'stop';
}

/**
 * The failure still worth showing: a failed stop while the environment is meant to run (it is still
 * up, and billed), a failed start while it is meant to be stopped. Once someone stops or starts it,
 * or the next schedule succeeds, the failure no longer describes the environment.
 */
export function activeScheduleFailure(record: Pick<EnvironmentRecord, 'desired' | 'scheduleFailure'>): ScheduleFailure | undefined {
  const f = record.scheduleFailure;
  if (!f) return undefined;
  return (f.action === 'stop' && record.desired === 'running') || (f.action === 'start' && record.desired === 'stopped') ? f : undefined;
}

/** "auto-stop failed" / "auto-start failed": the label every front end shows. */
export function scheduleFailureLabel(f: ScheduleFailure): string {
  return `auto-${f.action} failed`;
}
