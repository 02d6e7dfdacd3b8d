import { describe, expect, it } from 'vitest';
import { GetScheduleCommand, ListSchedulesCommand } from '@aws-sdk/client-scheduler';
import { engineFixture, slackUser } from '../support/engine-fixture.js';

const ROLE = 'arn:aws:iam::123456789012:role/envbot-scheduler';

describe('auto-stop schedules through the engine', () => {
  it('up creates the nightly stop, extend postpones it, status shows it, down removes it', async () => {
    // 2026-11-23 is a Monday; 10:00 in Seoul.
    const now = new Date('2026-11-23T01:00:00Z');
    const f = await engineFixture('sched', { schedulesFromConfig: true, now: () => now, env: { ENVBOT_SCHEDULER_ROLE_ARN: ROLE } });
    await f.engine.runText(slackUser('U1'), 'up night-owl');
    await f.engine.idle();
    const group = f.config.scheduleGroup;
    const stop = await f.clients.scheduler.send(new GetScheduleCommand({ GroupName: group, Name: 'envbot-night-owl-stop' }));
    expect(stop).toMatchObject({
      ScheduleExpression: 'cron(0 20 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Seoul',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: 'arn:aws:scheduler:::aws-sdk:ecs:updateService', RoleArn: ROLE },
    });
    expect(JSON.parse(stop.Target!.Input!)).toEqual({ Cluster: f.config.cluster, Service: 'envbot-night-owl', DesiredCount: 0 });

    expect((await f.engine.runText(slackUser('U1'), 'status night-owl')).text).toContain('Auto-stop: Mon 2026-11-23 20:00');

    const extended = await f.engine.runText(slackUser('U1'), 'extend night-owl 2h');
    expect(extended.text).toBe('*night-owl* stays up until Mon 2026-11-23 22:00; the auto-stop is postponed.');
    expect((await f.engine.store.get('night-owl'))?.autoStopPostponedUntil).toBe('2026-11-23T13:00:00.000Z');
    const postponed = await f.clients.scheduler.send(new GetScheduleCommand({ GroupName: group, Name: 'envbot-night-owl-postponed' }));
    expect(postponed).toMatchObject({ ScheduleExpression: 'at(2026-11-23T22:00:00)', ScheduleExpressionTimezone: 'Asia/Seoul', ActionAfterCompletion: 'DELETE' });
    const recurring = await f.clients.scheduler.send(new GetScheduleCommand({ GroupName: group, Name: 'envbot-night-owl-stop' }));
    expect(recurring.StartDate?.toISOString()).toBe('2026-11-23T13:01:00.000Z');

    expect((await f.engine.runText(slackUser('U2'), 'extend night-owl 2h')).kind).toBe('refused');
    expect((await f.engine.runText(slackUser('U1'), 'extend night-owl 9d')).text).toBe('Invalid duration "9d": the longest extension is 7 days.');

    await f.engine.runText(slackUser('U1'), 'down night-owl');
    await f.engine.idle();
    const left = await f.clients.scheduler.send(new ListSchedulesCommand({ GroupName: group }));
    expect((left.Schedules ?? []).filter((s) => s.Name?.startsWith('envbot-night-owl'))).toEqual([]);
  });

  it('stage has no nightly stop, so extend explains there is nothing to postpone', async () => {
    const f = await engineFixture('sched2', { schedulesFromConfig: true, env: { ENVBOT_SCHEDULER_ROLE_ARN: ROLE } });
    await f.engine.runText(slackUser('U1'), 'up stage-x --profile stage');
    await f.engine.idle();
    const list = await f.clients.scheduler.send(new ListSchedulesCommand({ GroupName: f.config.scheduleGroup }));
    expect((list.Schedules ?? []).filter((s) => s.Name?.startsWith('envbot-stage-x'))).toEqual([]);
    expect((await f.engine.runText(slackUser('U1'), 'extend stage-x 2h')).text).toBe("Can't extend stage-x: stage-x has no automatic stop, so there is nothing to extend");
  });
});
