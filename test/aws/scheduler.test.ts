import { beforeAll, describe, expect, it } from 'vitest';
import { GetScheduleCommand } from '@aws-sdk/client-scheduler';
import { ScheduleError, SchedulerAdapter } from '../../app/src/aws/scheduler.js';
import { planExtension, type AutoStopProfile } from '../../app/src/schedules/schedule-plan.js';
import { removeSchedules, SchedulerRoleMissingError, syncSchedules } from '../../app/src/schedules/schedule-sync.js';
import { emulatorClients, uniquePrefix } from '../support/aws-fixture.js';

const ROLE = 'arn:aws:iam::123456789012:role/envbot-scheduler';
const TZ = 'Asia/Seoul';
const UPDATE_SERVICE = 'arn:aws:scheduler:::aws-sdk:ecs:updateService';
// Monday 2025-06-02 10:00 in Seoul. moto never fires schedules, so a fixed clock is safe.
const MONDAY_10 = new Date('2025-06-02T01:00:00Z');
const dev: AutoStopProfile = { autoStopAt: '20:00', autoStopDays: 'daily', autoStartAt: '09:00' };

describe('nightly stop schedules in the emulator', () => {
  const clients = emulatorClients();
  const group = uniquePrefix('sched');
  const scheduler = new SchedulerAdapter(clients.scheduler, group);
  const opts = { scheduler, cluster: 'envbot', timezone: TZ, roleArn: ROLE };
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
    expect(JSON.parse(stop.Target?.Input ?? '')).toEqual({ cluster: 'envbot', service: 'envbot-feature-x', desiredCount: 0 });
    const start = await raw('envbot-feature-x-start');
    expect(start.ScheduleExpression).toBe('cron(0 9 ? * MON-FRI *)');
    expect(JSON.parse(start.Target?.Input ?? '')).toEqual({ cluster: 'envbot', service: 'envbot-feature-x', desiredCount: 1 });
  });

  it('changes nothing on a second run', async () => {
    const result = await syncSchedules({ name: 'feature-x' }, dev, { ...opts, now: MONDAY_10 });
    expect(result.unchanged.sort()).toEqual(['envbot-feature-x-start', 'envbot-feature-x-stop']);
    expect([...result.created, ...result.updated, ...result.deleted]).toEqual([]);
  });

  it('extend: skips tonight\'s stop via StartDate and adds a one-time stop that deletes itself', async () => {
    // Prepare
    const ext = planExtension(MONDAY_10, '2h', { env: 'feature-x', profile: dev, timezone: TZ });
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
    expect(JSON.parse(once.Target?.Input ?? '')).toEqual({ cluster: 'envbot', service: 'envbot-feature-x', desiredCount: 0 });

    // Extending again moves the one-time stop.
    const again = planExtension(MONDAY_10, '1h', { env: 'feature-x', profile: dev, timezone: TZ, postponedUntil: ext.until });
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

  it('wraps SDK failures in ScheduleError, keeping the cause', async () => {
    const missingGroup = new SchedulerAdapter(clients.scheduler, `${group}-missing`);
    const stage: AutoStopProfile = { autoStopAt: '21:00', autoStopDays: 'weekdays' };
    const err = await syncSchedules({ name: 'feature-z' }, stage, { ...opts, scheduler: missingGroup, now: MONDAY_10 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScheduleError);
    expect((err as ScheduleError).message).toMatch(/^creating schedule envbot-feature-z-stop: /);
    expect((err as ScheduleError).cause).toBeDefined();
  });
});
