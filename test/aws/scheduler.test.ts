import { beforeAll, describe, expect, it } from 'vitest';
import { CreateScheduleCommand, GetScheduleCommand } from '@aws-sdk/client-scheduler';
import { ScheduleError, SchedulerAdapter } from '../../app/src/aws/scheduler.js';
import { planExtension, type AutoStopProfile } from '../../app/src/schedules/schedule-plan.js';
import { extendDuration } from '../../app/src/environments/duration.js';
import { removeSchedules, ScheduleDeadLetterMissingError, SchedulerRoleMissingError, syncSchedules } from '../../app/src/schedules/schedule-sync.js';
import { emulatorClients, uniquePrefix } from '../support/aws-fixture.js';
import { FidelityWorld } from '../support/fidelity/index.js';

const ROLE = 'arn:aws:iam::123456789012:role/envbot-scheduler';
const DLQ = 'arn:aws:sqs:us-east-1:123456789012:envbot-schedule-failures';
const TZ = 'Asia/Seoul';
const UPDATE_SERVICE = 'arn:aws:scheduler:::aws-sdk:ecs:updateService';
// Monday 2025-06-02 10:00 in Seoul. moto never fires schedules, so a fixed clock is safe.
const MONDAY_10 = new Date('2025-06-02T01:00:00Z');
const dev: AutoStopProfile = { autoStopAt: '20:00', autoStopDays: 'daily', autoStartAt: '09:00' };

describe('nightly stop schedules in the emulator', () => {
  // The harness's clock is the test's: AWS refuses a StartDate more than 5 minutes in the past.
  const world = Object.assign(new FidelityWorld(), { now: () => MONDAY_10.getTime() });
  const clients = emulatorClients(world);
  const group = uniquePrefix('sched');
  const scheduler = new SchedulerAdapter(clients.scheduler, group);
  const opts = { scheduler, cluster: 'envbot', timezone: TZ, roleArn: ROLE, deadLetterArn: DLQ };
  const raw = (name: string) => clients.scheduler.send(new GetScheduleCommand({ Name: name, GroupName: group }));

  beforeAll(async () => {
    await scheduler.ensureGroup();
    await scheduler.ensureGroup(); // idempotent
  });

  it('creates the stop and start schedules with expression, timezone, target, input and role', async () => {
    // Prepare / Act
    const result = await syncSchedules({ name: 'feature-x' }, dev, { ...opts, now: MONDAY_10 });

    // Assess
    expect(result).toEqual({ created: ['envbot-feature-x-stop', 'envbot-feature-x-start'], updated: [], deleted: [], unchanged: [] });
    const stop = await raw('envbot-feature-x-stop');
    expect(stop.ScheduleExpression).toBe('cron(0 20 * * ? *)');
    expect(stop.ScheduleExpressionTimezone).toBe(TZ);
    expect(stop.FlexibleTimeWindow).toEqual({ Mode: 'OFF' });
    expect(stop.State).toBe('ENABLED');
    expect(stop.Target?.Arn).toBe(UPDATE_SERVICE);
    expect(stop.Target?.RoleArn).toBe(ROLE);
    expect(stop.Target?.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 20 });
    expect(stop.Target?.DeadLetterConfig).toEqual({ Arn: DLQ });
    expect(JSON.parse(stop.Target?.Input ?? '')).toEqual({ Cluster: 'envbot', Service: 'envbot-feature-x', DesiredCount: 0 });
    const start = await raw('envbot-feature-x-start');
    expect(start.ScheduleExpression).toBe('cron(0 9 ? * MON-FRI *)');
    expect(JSON.parse(start.Target?.Input ?? '')).toEqual({ Cluster: 'envbot', Service: 'envbot-feature-x', DesiredCount: 1 });
  });

  it('changes nothing on a second run', async () => {
    const result = await syncSchedules({ name: 'feature-x' }, dev, { ...opts, now: MONDAY_10 });
    expect(result.unchanged.sort()).toEqual(['envbot-feature-x-start', 'envbot-feature-x-stop']);
    expect([...result.created, ...result.updated, ...result.deleted]).toEqual([]);
  });

  it('extend: skips tonight\'s stop via StartDate and adds a one-time stop that deletes itself', async () => {
    // Prepare
    const ext = planExtension(MONDAY_10, extendDuration('2h'), { env: 'feature-x', profile: dev, timezone: TZ });
    if (!ext.ok) throw new Error(ext.error);
    expect(ext.until.toISOString()).toBe('2025-06-02T13:00:00.000Z'); // 22:00 in Seoul

    // Act
    const result = await syncSchedules({ name: 'feature-x', autoStopPostponedUntil: ext.until.toISOString() }, dev, { ...opts, now: MONDAY_10 });

    // Assess
    expect(result.updated).toEqual(['envbot-feature-x-stop']);
    expect(result.created).toEqual(['envbot-feature-x-postponed']);
    const stop = await raw('envbot-feature-x-stop');
    expect(stop.StartDate?.toISOString()).toBe('2025-06-02T13:01:00.000Z');
    expect(stop.ScheduleExpression).toBe('cron(0 20 * * ? *)');
    const once = await raw('envbot-feature-x-postponed');
    expect(once.ScheduleExpression).toBe('at(2025-06-02T22:00:00)');
    expect(once.ScheduleExpressionTimezone).toBe(TZ);
    expect(once.ActionAfterCompletion).toBe('DELETE');
    expect(once.Target?.Arn).toBe(UPDATE_SERVICE);
    expect(once.Target?.RoleArn).toBe(ROLE);
    expect(once.Target?.DeadLetterConfig).toEqual({ Arn: DLQ });
    expect(JSON.parse(once.Target?.Input ?? '')).toEqual({ Cluster: 'envbot', Service: 'envbot-feature-x', DesiredCount: 0 });

    // Extending again moves the one-time stop.
    const again = planExtension(MONDAY_10, extendDuration('1h'), { env: 'feature-x', profile: dev, timezone: TZ, postponedUntil: ext.until });
    if (!again.ok) throw new Error(again.error);
    await syncSchedules({ name: 'feature-x', autoStopPostponedUntil: again.until.toISOString() }, dev, { ...opts, now: MONDAY_10 });
    expect((await raw('envbot-feature-x-postponed')).ScheduleExpression).toBe('at(2025-06-02T23:00:00)');
    expect((await raw('envbot-feature-x-stop')).StartDate?.toISOString()).toBe('2025-06-02T14:01:00.000Z');
  });

  it('after the postponed stop has passed, the one-time schedule goes and the nightly stop stays', async () => {
    const later = new Date('2025-06-02T15:00:00Z');
    const result = await syncSchedules({ name: 'feature-x', autoStopPostponedUntil: '2025-06-02T14:00:00.000Z' }, dev, { ...opts, now: later });
    expect(result.deleted).toEqual(['envbot-feature-x-postponed']);
    // A StartDate in the past no longer matters, so the stop is not rewritten.
    expect(result.unchanged.sort()).toEqual(['envbot-feature-x-start', 'envbot-feature-x-stop']);
  });

  it('lists only this environment\'s schedules, not those of a longer name with the same prefix', async () => {
    await syncSchedules({ name: 'feature-x-2' }, dev, { ...opts, now: MONDAY_10 });
    expect(await scheduler.listEnvSchedules('feature-x')).toEqual(['envbot-feature-x-start', 'envbot-feature-x-stop']);
  });

  it('drops the morning start when asked (after an explicit stop)', async () => {
    const result = await syncSchedules({ name: 'feature-x' }, dev, { ...opts, now: MONDAY_10, withStart: false });
    expect(result.deleted).toEqual(['envbot-feature-x-start']);
  });

  it('teardown removes every schedule and is idempotent', async () => {
    expect(await removeSchedules('feature-x', { scheduler })).toEqual(['envbot-feature-x-stop']);
    expect(await scheduler.listEnvSchedules('feature-x')).toEqual([]);
    expect(await removeSchedules('feature-x', { scheduler })).toEqual([]);
    expect(await scheduler.deleteSchedule('envbot-feature-x-stop')).toBe(false);
    expect(await scheduler.getSchedule('envbot-feature-x-stop')).toBeUndefined();
    // The neighbour is untouched.
    expect(await scheduler.listEnvSchedules('feature-x-2')).toEqual(['envbot-feature-x-2-start', 'envbot-feature-x-2-stop']);
  });

  it('names what is missing when no scheduler role is configured', async () => {
    await expect(syncSchedules({ name: 'feature-y' }, dev, { ...opts, roleArn: undefined, now: MONDAY_10 })).rejects.toThrow(SchedulerRoleMissingError);
  });

  it('refuses to create a schedule without a dead-letter queue (a failed stop must reach a person)', async () => {
    await expect(syncSchedules({ name: 'feature-y' }, dev, { ...opts, deadLetterArn: undefined, now: MONDAY_10 })).rejects.toThrow(ScheduleDeadLetterMissingError);
    expect(await scheduler.listEnvSchedules('feature-y')).toEqual([]);
  });

  it('adds the dead-letter queue to schedules made before it existed', async () => {
    await syncSchedules({ name: 'feature-w' }, dev, { ...opts, deadLetterArn: 'arn:aws:sqs:us-east-1:123456789012:old', now: MONDAY_10 });
    const result = await syncSchedules({ name: 'feature-w' }, dev, { ...opts, now: MONDAY_10 });
    expect(result.updated.sort()).toEqual(['envbot-feature-w-start', 'envbot-feature-w-stop']);
    expect((await raw('envbot-feature-w-stop')).Target?.DeadLetterConfig).toEqual({ Arn: DLQ });
  });

  it('wraps SDK failures in ScheduleError, keeping the cause', async () => {
    const missingGroup = new SchedulerAdapter(clients.scheduler, `${group}-missing`);
    const stage: AutoStopProfile = { autoStopAt: '21:00', autoStopDays: 'weekdays' };
    const err = await syncSchedules({ name: 'feature-z' }, stage, { ...opts, scheduler: missingGroup, now: MONDAY_10 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScheduleError);
    expect((err as ScheduleError).message).toMatch(/^creating schedule envbot-feature-z-stop: /);
    expect((err as ScheduleError).cause).toBeDefined();
  });
});

describe('the harness refuses what AWS refuses (moto accepts all of it)', () => {
  const world = Object.assign(new FidelityWorld(), { now: () => MONDAY_10.getTime() });
  const clients = emulatorClients(world);
  const group = uniquePrefix('schedfid');
  const valid = {
    Name: 'envbot-fid-stop',
    GroupName: group,
    ScheduleExpression: 'cron(0 20 * * ? *)',
    ScheduleExpressionTimezone: TZ,
    FlexibleTimeWindow: { Mode: 'OFF' } as { Mode: 'OFF' | 'FLEXIBLE'; MaximumWindowInMinutes?: number },
    Target: {
      Arn: UPDATE_SERVICE,
      RoleArn: ROLE,
      Input: JSON.stringify({ Cluster: 'envbot', Service: 'envbot-fid', DesiredCount: 0 }),
      RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 20 },
      DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:123456789012:envbot-schedule-failures' },
    },
  };
  type Request = typeof valid & Record<string, unknown>;
  const create = (change: (r: Request) => Request) => clients.scheduler.send(new CreateScheduleCommand(change(structuredClone(valid) as Request)));
  const refusal = (change: (r: Request) => Request) => create(change).then(() => 'accepted', (e: Error) => `${e.name}: ${e.message}`);
  const withInput = (input: unknown) => (r: Request) => ({ ...r, Target: { ...r.Target, Input: JSON.stringify(input) } });

  beforeAll(async () => {
    await new SchedulerAdapter(clients.scheduler, group).ensureGroup();
  });

  it('accepts a well-formed schedule', async () => {
    expect(await refusal((r) => ({ ...r, Name: 'envbot-fid-ok' }))).toBe('accepted');
  });

  it('checks a universal target Input against the target API request in the SDK model (PascalCase, required, types, nesting)', async () => {
    expect(await refusal(withInput({ cluster: 'envbot', service: 'envbot-fid', desiredCount: 0 }))).toMatch(/^ValidationException: Input\.cluster: .*use Cluster/);
    expect(await refusal(withInput({ Cluster: 'envbot', DesiredCount: 0 }))).toMatch(/Input\.Service is required by UpdateServiceRequest/);
    expect(await refusal(withInput({ Service: 'x', DesiredCount: '0' }))).toMatch(/Input\.DesiredCount must be a number/);
    expect(await refusal(withInput({ Service: 'x', Replicas: 0 }))).toMatch(/Input\.Replicas is not a parameter of UpdateServiceRequest/);
    expect(await refusal(withInput({ Service: 'x', CapacityProviderStrategy: [{ capacityProvider: 'FARGATE' }] }))).toMatch(
      /Input\.CapacityProviderStrategy\[0\]\.capacityProvider: .*use CapacityProvider/,
    );
    expect(await refusal((r) => ({ ...r, Target: { ...r.Target, Input: '{not json' } }))).toMatch(/well-formed JSON/);
    expect(await refusal((r) => ({ ...r, Target: { ...r.Target, Arn: 'arn:aws:scheduler:::aws-sdk:ecs:describeServices' } }))).toMatch(/read-only/);
  });

  it('enforces the API reference limits on names, expressions, window, retry policy and dead-letter queue', async () => {
    expect(await refusal((r) => ({ ...r, Name: 'x'.repeat(65) }))).toMatch(/Name .* 1-64/);
    expect(await refusal((r) => ({ ...r, ScheduleExpression: 'at(2025-06-02 22:00)' }))).toMatch(/at\(yyyy-mm-ddThh:mm:ss\)/);
    expect(await refusal((r) => ({ ...r, ScheduleExpression: 'cron(0 20 * * *)' }))).toMatch(/six fields/);
    expect(await refusal((r) => ({ ...r, ScheduleExpression: 'cron(0 20 * * MON *)' }))).toMatch(/"\?"/);
    expect(await refusal((r) => ({ ...r, FlexibleTimeWindow: { Mode: 'FLEXIBLE' } }))).toMatch(/MaximumWindowInMinutes/);
    expect(await refusal((r) => ({ ...r, ActionAfterCompletion: 'KEEP' }))).toMatch(/ActionAfterCompletion/);
    expect(await refusal((r) => ({ ...r, Target: { ...r.Target, RetryPolicy: { MaximumEventAgeInSeconds: 30, MaximumRetryAttempts: 200 } } }))).toMatch(
      /MaximumEventAgeInSeconds must be 60-86400; RetryPolicy\.MaximumRetryAttempts must be 0-185/,
    );
    expect(await refusal((r) => ({ ...r, Target: { ...r.Target, DeadLetterConfig: { Arn: 'https://sqs.us-east-1.amazonaws.com/123456789012/q' } } }))).toMatch(
      /DeadLetterConfig\.Arn .* not an SQS queue ARN/,
    );
    expect(await refusal((r) => ({ ...r, StartDate: new Date(MONDAY_10.getTime() - 10 * 60_000) }))).toMatch(/earlier than 5 minutes ago/);
  });
});
