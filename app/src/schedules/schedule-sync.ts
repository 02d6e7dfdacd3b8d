import type { EnvironmentRecord } from '../environments/record.js';
import type { AutoStopProfile } from './schedule-plan.js';
import { ECS_UPDATE_SERVICE_TARGET, planSchedules, type PlannedSchedule } from './schedule-plan.js';
import type { SchedulePort, ScheduleSpec } from '../aws/scheduler.js';

/**
 * Makes an environment's schedules in AWS match its plan: creates, updates, deletes. Idempotent:
 * a second run changes nothing. Run it after `up`, after `extend`, after a profile change, and on
 * resync (which also repairs a schedule deleted by hand).
 */

export interface ScheduleSyncOptions {
  scheduler: SchedulePort;
  cluster: string;
  timezone: string;
  /** config.schedulerRoleArn: the role Scheduler assumes to call ecs:UpdateService. */
  roleArn: string | undefined;
  now: Date;
  /** false after an explicit user stop, so the morning start does not undo it. */
  withStart?: boolean;
  retryPolicy?: ScheduleSpec['target']['retryPolicy'];
  /** config.scheduleFailuresQueueArn: where Scheduler reports an invocation that failed. */
  deadLetterArn: string | undefined;
}

export interface SyncResult {
  created: string[];
  updated: string[];
  deleted: string[];
  unchanged: string[];
}

/**
 * A stop that could not reach ECS within an hour is dropped rather than run late in the morning;
 * retries cover throttling and brief ECS errors.
 */
export const DEFAULT_RETRY_POLICY = { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 20 };

export class SchedulerRoleMissingError extends Error {
  readonly code = 'SCHEDULER_ROLE_MISSING';
  constructor(env: string) {
    super(
      `setting up the nightly stop for ${env}: no scheduler role — set ENVBOT_SCHEDULER_ROLE_ARN ` +
        '(CDK output "schedulerRoleArn"; the role needs ecs:UpdateService on envbot services)',
    );
  }
}

export class ScheduleDeadLetterMissingError extends Error {
  readonly code = 'SCHEDULE_DEAD_LETTER_MISSING';
  constructor(env: string) {
    super(
      `setting up the nightly stop for ${env}: no dead-letter queue — set ENVBOT_SCHEDULE_FAILURES_QUEUE_ARN ` +
        '(CDK output "scheduleFailuresQueueArn"), so a stop that fails reaches a person instead of failing silently',
    );
  }
}

export async function syncSchedules(
  record: Pick<EnvironmentRecord, 'name' | 'autoStopPostponedUntil'>,
  profile: AutoStopProfile,
  opts: ScheduleSyncOptions,
): Promise<SyncResult> {
  const plan = planSchedules({
    env: record.name,
    profile,
    timezone: opts.timezone,
    cluster: opts.cluster,
    now: opts.now,
    ...(record.autoStopPostponedUntil && { postponedUntil: record.autoStopPostponedUntil }),
    ...(opts.withStart !== undefined && { withStart: opts.withStart }),
  });
  const result: SyncResult = { created: [], updated: [], deleted: [], unchanged: [] };
  if (plan.length > 0 && !opts.roleArn) throw new SchedulerRoleMissingError(record.name);
  if (plan.length > 0 && !opts.deadLetterArn) throw new ScheduleDeadLetterMissingError(record.name);
  for (const planned of plan) {
    const outcome = await opts.scheduler.ensureSchedule(toSpec(planned, opts), { now: opts.now });
    result[outcome].push(planned.name);
  }
  const wanted = new Set(plan.map((p) => p.name));
  for (const name of await opts.scheduler.listEnvSchedules(record.name)) {
    if (!wanted.has(name) && (await opts.scheduler.deleteSchedule(name))) result.deleted.push(name);
  }
  return result;
}

/** Teardown: every schedule of the environment; "not found" counts as done. */
export async function removeSchedules(env: string, opts: Pick<ScheduleSyncOptions, 'scheduler'>): Promise<string[]> {
  const deleted: string[] = [];
  for (const name of await opts.scheduler.listEnvSchedules(env)) {
    if (await opts.scheduler.deleteSchedule(name)) deleted.push(name);
  }
  return deleted;
}

function toSpec(planned: PlannedSchedule, opts: ScheduleSyncOptions): ScheduleSpec {
  return {
    name: planned.name,
    expression: planned.expression,
    timezone: planned.timezone,
    ...(planned.startDate && { startDate: planned.startDate }),
    actionAfterCompletion: planned.actionAfterCompletion,
    state: 'ENABLED',
    description: planned.description,
    target: {
      arn: ECS_UPDATE_SERVICE_TARGET,
      roleArn: opts.roleArn!,
      input: JSON.stringify(planned.input),
      retryPolicy: opts.retryPolicy ?? DEFAULT_RETRY_POLICY,
      deadLetterArn: opts.deadLetterArn!,
    },
  };
}
