import { ValidationException, type SchedulerClient } from '@aws-sdk/client-scheduler';
import { universalInputProblems } from './sdk-request-shape.js';
import type { FidelityWorld } from './world.js';

/**
 * EventBridge Scheduler rules moto does not enforce (sources: the Scheduler API reference pages
 * CreateSchedule, Target, RetryPolicy, DeadLetterConfig, FlexibleTimeWindow, and the user guide's
 * "Using universal targets" and "Schedule types"). Catalogue: docs/aws-behaviours.md.
 *
 * Stricter than AWS on purpose for one rule: AWS accepts a universal target whose `Input` does not
 * fit the target API and only fails each invocation (to the dead-letter queue, or silently). Tests
 * cannot wait for an invocation, since moto never fires schedules, so the harness rejects such an
 * Input at CreateSchedule/UpdateSchedule with a ValidationException naming the problem: a test that
 * builds a wrong Input fails loudly instead of passing on a schedule that would never work.
 */

const NAME = /^[0-9a-zA-Z\-_.]{1,64}$/;
const ROLE_ARN = /^arn:aws(-[a-z]+)?:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const QUEUE_ARN = /^arn:aws(-[a-z]+)?:sqs:[a-z0-9-]+:\d{12}:[a-zA-Z0-9\-_]+$/;
const UNIVERSAL = /^arn:aws(-[a-z]+)?:scheduler:::aws-sdk:([a-z0-9]+):([a-zA-Z0-9]+)$/;
/** Universal targets refuse read-only actions, named by these prefixes. */
const READ_ONLY =
  /^(get|describe|list|poll|receive|search|scan|query|select|read|lookup|discover|validate|batchGet|batchDescribe|batchRead|transactGet|adminGet|adminList|testMigration|retrieve|testConnection|translateDocument|isAuthorized|invokeModel)/;
const AT = /^at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)$/;
const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
/** Past StartDates are refused beyond this slack (CreateSchedule: "cannot be in the past"). */
const START_DATE_SLACK_MS = 5 * 60_000;

type ScheduleRequest = {
  Name?: string;
  GroupName?: string;
  Description?: string;
  ScheduleExpression?: string;
  ScheduleExpressionTimezone?: string;
  StartDate?: Date;
  EndDate?: Date;
  ActionAfterCompletion?: string;
  FlexibleTimeWindow?: { Mode?: string; MaximumWindowInMinutes?: number };
  Target?: {
    Arn?: string;
    RoleArn?: string;
    Input?: string;
    RetryPolicy?: { MaximumEventAgeInSeconds?: number; MaximumRetryAttempts?: number };
    DeadLetterConfig?: { Arn?: string };
  };
};

export function installSchedulerFidelity(client: SchedulerClient, world: FidelityWorld): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'CreateScheduleCommand' || context.commandName === 'UpdateScheduleCommand') {
        const problems = await scheduleProblems(args.input as ScheduleRequest, new Date(world.now()));
        if (problems.length > 0) throw new ValidationException({ message: problems.join('; '), Message: problems.join('; '), $metadata: { httpStatusCode: 400 } });
      }
      return next(args);
    },
    { step: 'initialize', name: 'fidelity:scheduler', override: true },
  );
}

/** Every rule broken by one CreateSchedule/UpdateSchedule request. */
export async function scheduleProblems(r: ScheduleRequest, now: Date): Promise<string[]> {
  const problems: string[] = [];
  const need = (ok: boolean, problem: string) => ok || problems.push(problem);
  need(NAME.test(r.Name ?? ''), `Name "${r.Name}" must be 1-64 characters of [0-9a-zA-Z-_.]`);
  if (r.GroupName !== undefined) need(NAME.test(r.GroupName), `GroupName "${r.GroupName}" must be 1-64 characters of [0-9a-zA-Z-_.]`);
  need((r.Description ?? '').length <= 512, 'Description must be at most 512 characters');
  need((r.ScheduleExpressionTimezone ?? 'UTC').length <= 50, 'ScheduleExpressionTimezone must be at most 50 characters');
  problems.push(...expressionProblems(r.ScheduleExpression ?? ''));
  problems.push(...windowProblems(r.FlexibleTimeWindow));
  if (r.ActionAfterCompletion !== undefined) need(['NONE', 'DELETE'].includes(r.ActionAfterCompletion), 'ActionAfterCompletion must be NONE or DELETE');
  if (r.StartDate) need(r.StartDate.getTime() >= now.getTime() - START_DATE_SLACK_MS, 'The StartDate you specify cannot be earlier than 5 minutes ago');
  if (r.StartDate && r.EndDate) need(r.EndDate > r.StartDate, 'EndDate must be after StartDate');
  problems.push(...(await targetProblems(r.Target)));
  return problems;
}

function expressionProblems(expression: string): string[] {
  if (expression.startsWith('at(')) return AT.test(expression) ? [] : [`${expression}: a one-time schedule is at(yyyy-mm-ddThh:mm:ss)`];
  if (expression.startsWith('rate(')) {
    const m = RATE.exec(expression);
    return m && Number(m[1]) > 0 ? [] : [`${expression}: a rate schedule is rate(<positive number> minute(s)|hour(s)|day(s))`];
  }
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (!cron) return [`ScheduleExpression "${expression}" must be at(…), rate(…) or cron(…)`];
  const fields = cron[1]!.trim().split(/\s+/);
  if (fields.length !== 6) return [`${expression}: a cron expression has six fields (minutes hours day-of-month month day-of-week year)`];
  // Day-of-month and day-of-week cannot both be given: one of them must be "?".
  return (fields[2] === '?') === (fields[4] === '?') ? [`${expression}: exactly one of day-of-month and day-of-week must be "?"`] : [];
}

function windowProblems(window: ScheduleRequest['FlexibleTimeWindow']): string[] {
  if (!window) return ['FlexibleTimeWindow is required'];
  if (window.Mode === 'OFF') return window.MaximumWindowInMinutes === undefined ? [] : ['MaximumWindowInMinutes is only allowed with Mode FLEXIBLE'];
  if (window.Mode !== 'FLEXIBLE') return ['FlexibleTimeWindow.Mode must be OFF or FLEXIBLE'];
  const minutes = window.MaximumWindowInMinutes;
  return minutes !== undefined && minutes >= 1 && minutes <= 1440 ? [] : ['MaximumWindowInMinutes must be 1-1440 with Mode FLEXIBLE'];
}

async function targetProblems(target: ScheduleRequest['Target']): Promise<string[]> {
  if (!target) return ['Target is required'];
  const problems: string[] = [];
  if (!ROLE_ARN.test(target.RoleArn ?? '')) problems.push(`Target.RoleArn "${target.RoleArn}" is not an IAM role ARN`);
  const retry = target.RetryPolicy;
  if (retry?.MaximumEventAgeInSeconds !== undefined && (retry.MaximumEventAgeInSeconds < 60 || retry.MaximumEventAgeInSeconds > 86400)) {
    problems.push('RetryPolicy.MaximumEventAgeInSeconds must be 60-86400');
  }
  if (retry?.MaximumRetryAttempts !== undefined && (retry.MaximumRetryAttempts < 0 || retry.MaximumRetryAttempts > 185)) {
    problems.push('RetryPolicy.MaximumRetryAttempts must be 0-185');
  }
  if (target.DeadLetterConfig && !QUEUE_ARN.test(target.DeadLetterConfig.Arn ?? '')) {
    problems.push(`DeadLetterConfig.Arn "${target.DeadLetterConfig.Arn}" is not an SQS queue ARN (FIFO queues are not supported)`);
  }
  const universal = UNIVERSAL.exec(target.Arn ?? '');
  if (universal) problems.push(...(await universalProblems(universal[2]!, universal[3]!, target.Input)));
  return problems;
}

async function universalProblems(service: string, action: string, input: string | undefined): Promise<string[]> {
  if (READ_ONLY.test(action)) return [`${service}:${action}: universal targets do not support read-only actions`];
  if (input === undefined || input === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(input);
  } catch {
    return [`Target.Input of ${service}:${action} must be well-formed JSON`];
  }
  return (await universalInputProblems(service, action, parsed)) ?? [];
}
