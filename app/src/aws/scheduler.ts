import {
  CreateScheduleCommand,
  CreateScheduleGroupCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  GetScheduleGroupCommand,
  ListSchedulesCommand,
  UpdateScheduleCommand,
  type GetScheduleOutput,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { serviceNameFor } from '../environments/task-event.js';
import { AwsActionError, errorName, isNotFound } from './errors.js';

/** One EventBridge Scheduler schedule as envbot defines it (always FlexibleTimeWindow OFF). */
export interface ScheduleSpec {
  name: string;
  expression: string;
  timezone: string;
  startDate?: Date;
  actionAfterCompletion?: 'NONE' | 'DELETE';
  state?: 'ENABLED' | 'DISABLED';
  description?: string;
  target: {
    arn: string;
    roleArn: string;
    /** JSON text: the request of the target API. */
    input: string;
    retryPolicy: { maximumEventAgeInSeconds: number; maximumRetryAttempts: number };
    /** SQS queue ARN Scheduler sends a failed invocation to, once the retries are used up. */
    deadLetterArn?: string;
  };
}

export type EnsureResult = 'created' | 'updated' | 'unchanged';

/** What schedule-sync needs; the adapter below is the AWS implementation. */
export interface SchedulePort {
  ensureSchedule(spec: ScheduleSpec, opts?: { now?: Date }): Promise<EnsureResult>;
  deleteSchedule(name: string): Promise<boolean>;
  listEnvSchedules(env: string): Promise<string[]>;
  getSchedule(name: string): Promise<ScheduleSpec | undefined>;
}

export class ScheduleError extends AwsActionError {
  override readonly name = 'ScheduleError';
}

/** Thin adapter over one schedule group. Every write is idempotent. */
export class SchedulerAdapter implements SchedulePort {
  constructor(
    private readonly client: SchedulerClient,
    private readonly group: string,
  ) {}

  /** Local mode and tests; in a real account the CDK stack owns the group. */
  async ensureGroup(): Promise<void> {
    try {
      await this.client.send(new GetScheduleGroupCommand({ Name: this.group }));
      return;
    } catch (err) {
      if (!isNotFound(err)) throw new ScheduleError(`reading schedule group ${this.group}`, err);
    }
    try {
      await this.client.send(new CreateScheduleGroupCommand({ Name: this.group, Tags: [{ Key: 'envbot:managed', Value: 'true' }] }));
    } catch (err) {
      if (errorName(err) !== 'ConflictException') throw new ScheduleError(`creating schedule group ${this.group}`, err);
    }
  }

  async getSchedule(name: string): Promise<ScheduleSpec | undefined> {
    try {
      return fromOutput(await this.client.send(new GetScheduleCommand({ Name: name, GroupName: this.group })));
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw new ScheduleError(`reading schedule ${name}`, err);
    }
  }

  /**
   * Creates the schedule, or updates it when it differs. UpdateSchedule replaces every field, so the
   * whole spec is always sent. `now` decides whether an existing StartDate still matters.
   */
  async ensureSchedule(spec: ScheduleSpec, opts: { now?: Date } = {}, retried = false): Promise<EnsureResult> {
    const current = await this.getSchedule(spec.name);
    if (!current) {
      try {
        await this.client.send(new CreateScheduleCommand(toRequest(spec, this.group)));
        return 'created';
      } catch (err) {
        // Another replica created it between our read and write: read again and compare/update (once).
        if (errorName(err) !== 'ConflictException' || retried) throw new ScheduleError(`creating schedule ${spec.name}`, err, hintFor(err));
        return this.ensureSchedule(spec, opts, true);
      }
    }
    if (sameSchedule(current, spec, opts.now ?? new Date())) return 'unchanged';
    try {
      await this.client.send(new UpdateScheduleCommand(toRequest(spec, this.group)));
      return 'updated';
    } catch (err) {
      throw new ScheduleError(`updating schedule ${spec.name}`, err, hintFor(err));
    }
  }

  /** True if it was deleted, false if it was already gone. */
  async deleteSchedule(name: string): Promise<boolean> {
    try {
      await this.client.send(new DeleteScheduleCommand({ Name: name, GroupName: this.group }));
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw new ScheduleError(`deleting schedule ${name}`, err);
    }
  }

  /** Names of the environment's schedules: `envbot-<env>-<kind>` with a dash-free kind. */
  async listEnvSchedules(env: string): Promise<string[]> {
    const prefix = `${serviceNameFor(env)}-`;
    const names: string[] = [];
    let token: string | undefined;
    try {
      do {
        const out = await this.client.send(new ListSchedulesCommand({ GroupName: this.group, NamePrefix: prefix, NextToken: token }));
        for (const s of out.Schedules ?? []) {
          // The prefix also matches env `a-b` when listing env `a`; a kind never has a dash.
          if (s.Name && /^[a-z]+$/.test(s.Name.slice(prefix.length)) && s.GroupName === this.group) names.push(s.Name);
        }
        token = out.NextToken;
      } while (token);
    } catch (err) {
      if (isNotFound(err)) return [];
      throw new ScheduleError(`listing schedules of ${env}`, err);
    }
    return names.sort();
  }
}

function toRequest(spec: ScheduleSpec, group: string) {
  return {
    Name: spec.name,
    GroupName: group,
    ScheduleExpression: spec.expression,
    ScheduleExpressionTimezone: spec.timezone,
    StartDate: spec.startDate,
    State: spec.state ?? 'ENABLED',
    Description: spec.description,
    ActionAfterCompletion: spec.actionAfterCompletion ?? 'NONE',
    FlexibleTimeWindow: { Mode: 'OFF' as const },
    Target: {
      Arn: spec.target.arn,
      RoleArn: spec.target.roleArn,
      Input: spec.target.input,
      RetryPolicy: {
        MaximumEventAgeInSeconds: spec.target.retryPolicy.maximumEventAgeInSeconds,
        MaximumRetryAttempts: spec.target.retryPolicy.maximumRetryAttempts,
      },
      ...(spec.target.deadLetterArn && { DeadLetterConfig: { Arn: spec.target.deadLetterArn } }),
    },
  };
}

function fromOutput(out: GetScheduleOutput): ScheduleSpec {
  return {
    name: out.Name ?? '',
    expression: out.ScheduleExpression ?? '',
    timezone: out.ScheduleExpressionTimezone ?? 'UTC',
    ...(out.StartDate && { startDate: out.StartDate }),
    ...(out.ActionAfterCompletion && { actionAfterCompletion: out.ActionAfterCompletion as 'NONE' | 'DELETE' }),
    state: out.State === 'DISABLED' ? 'DISABLED' : 'ENABLED',
    ...(out.Description && { description: out.Description }),
    target: {
      arn: out.Target?.Arn ?? '',
      roleArn: out.Target?.RoleArn ?? '',
      input: out.Target?.Input ?? '',
      retryPolicy: {
        maximumEventAgeInSeconds: out.Target?.RetryPolicy?.MaximumEventAgeInSeconds ?? 0,
        maximumRetryAttempts: out.Target?.RetryPolicy?.MaximumRetryAttempts ?? 0,
      },
      ...(out.Target?.DeadLetterConfig?.Arn && { deadLetterArn: out.Target.DeadLetterConfig.Arn }),
    },
  };
}

/** Field-by-field; input JSON compared by value; a StartDate already in the past counts as none. */
function sameSchedule(a: ScheduleSpec, b: ScheduleSpec, now: Date): boolean {
  const start = (s: ScheduleSpec) => (s.startDate && s.startDate > now ? Math.floor(s.startDate.getTime() / 1000) : undefined);
  return (
    a.expression === b.expression &&
    a.timezone === b.timezone &&
    start(a) === start(b) &&
    (a.state ?? 'ENABLED') === (b.state ?? 'ENABLED') &&
    (a.actionAfterCompletion ?? 'NONE') === (b.actionAfterCompletion ?? 'NONE') &&
    (a.description ?? '') === (b.description ?? '') &&
    a.target.arn === b.target.arn &&
    a.target.roleArn === b.target.roleArn &&
    sameJson(a.target.input, b.target.input) &&
    a.target.retryPolicy.maximumEventAgeInSeconds === b.target.retryPolicy.maximumEventAgeInSeconds &&
    a.target.retryPolicy.maximumRetryAttempts === b.target.retryPolicy.maximumRetryAttempts &&
    (a.target.deadLetterArn ?? '') === (b.target.deadLetterArn ?? '')
  );
}

function sameJson(a: string, b: string): boolean {
  try {
    return JSON.stringify(sortKeys(JSON.parse(a))) === JSON.stringify(sortKeys(JSON.parse(b)));
  } catch {
    return a === b;
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).sort(([x], [y]) => x.localeCompare(y)).map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}

function hintFor(err: unknown): string | undefined {
  const message = err instanceof Error ? err.message : '';
  if (/StartDate/i.test(message)) return 'the postponed stop is already in the past; run extend again';
  if (errorName(err) === 'AccessDeniedException' || /iam:PassRole/i.test(message)) {
    return 'the bot needs iam:PassRole on the scheduler role (ENVBOT_SCHEDULER_ROLE_ARN)';
  }
  return undefined;
}
