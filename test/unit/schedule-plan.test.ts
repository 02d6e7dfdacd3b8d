import { describe, expect, it } from 'vitest';
import {
  atExpression,
  cronFor,
  nextStart,
  nextStop,
  planExtension,
  planSchedules,
  scheduledActionNear,
  scheduleName,
  ScheduleInputError,
  warningTime,
  type AutoStopProfile,
  type ScheduleContext,
} from '../../app/src/schedules/schedule-plan.js';
import { extendDuration } from '../../app/src/environments/duration.js';

// 2025-06-02 is a Monday. Seoul is UTC+9 all year; New York switches on 2025-03-09 and 2025-11-02.
const SEOUL = 'Asia/Seoul';
const NY = 'America/New_York';
const daily20: AutoStopProfile = { autoStopAt: '20:00', autoStopDays: 'daily' };
const weekdays20: AutoStopProfile = { autoStopAt: '20:00', autoStopDays: 'weekdays' };
const noStop: AutoStopProfile = { autoStopDays: 'weekdays' };
const ctx = (profile: AutoStopProfile, timezone = SEOUL, postponedUntil?: string): ScheduleContext => ({
  env: 'feature-x',
  profile,
  timezone,
  ...(postponedUntil && { postponedUntil }),
});
const d = (iso: string) => new Date(iso);

describe('cron expressions', () => {
  it.each([
    ['20:00', 'weekdays', 'cron(0 20 ? * MON-FRI *)'],
    ['20:00', 'daily', 'cron(0 20 * * ? *)'],
    ['08:30', 'weekdays', 'cron(30 8 ? * MON-FRI *)'],
    ['00:05', 'daily', 'cron(5 0 * * ? *)'],
  ] as const)('%s %s → %s', (hhmm, days, expected) => {
    expect(cronFor(hhmm, days)).toBe(expected);
  });

  it.each(['25:00', '8:30', '20:60', 'tonight'])('rejects %s with a clear error', (hhmm) => {
    expect(() => cronFor(hhmm, 'daily')).toThrow(/not a time of day: use 24-hour HH:MM/);
  });
});

describe('planSchedules', () => {
  const base = { env: 'feature-x', timezone: SEOUL, cluster: 'envbot', now: d('2025-06-02T01:00:00Z') };

  it('plans a nightly stop that calls UpdateService with desired count 0', () => {
    expect(planSchedules({ ...base, profile: daily20 })).toEqual([
      {
        name: 'envbot-feature-x-stop',
        kind: 'stop',
        expression: 'cron(0 20 * * ? *)',
        timezone: SEOUL,
        actionAfterCompletion: 'NONE',
        input: { Cluster: 'envbot', Service: 'envbot-feature-x', DesiredCount: 0 },
        description: 'envbot: nightly stop of feature-x at 20:00 (daily)',
      },
    ]);
  });

  it('adds a weekday morning start when the profile has one, unless told not to', () => {
    const profile = { ...weekdays20, autoStartAt: '09:00' };
    const start = planSchedules({ ...base, profile }).find((p) => p.kind === 'start');
    expect(start).toMatchObject({
      name: 'envbot-feature-x-start',
      expression: 'cron(0 9 ? * MON-FRI *)',
      input: { Cluster: 'envbot', Service: 'envbot-feature-x', DesiredCount: 1 },
    });
    expect(planSchedules({ ...base, profile, withStart: false }).map((p) => p.kind)).toEqual(['stop']);
  });

  it('plans nothing for a profile without auto-stop (stage)', () => {
    expect(planSchedules({ ...base, profile: noStop })).toEqual([]);
  });

  it('while postponed: recurring stop starts after the postponed stop, plus a one-time stop', () => {
    const plan = planSchedules({ ...base, profile: daily20, postponedUntil: '2025-06-02T13:00:00.000Z' });
    expect(plan.find((p) => p.kind === 'stop')?.startDate).toEqual(d('2025-06-02T13:01:00Z'));
    expect(plan.find((p) => p.kind === 'postponed')).toMatchObject({
      name: 'envbot-feature-x-postponed',
      expression: 'at(2025-06-02T22:00:00)',
      timezone: SEOUL,
      actionAfterCompletion: 'DELETE',
      input: { DesiredCount: 0 },
    });
  });

  it('drops an expired postponement', () => {
    const plan = planSchedules({ ...base, now: d('2025-06-02T14:00:00Z'), profile: daily20, postponedUntil: '2025-06-02T13:00:00.000Z' });
    expect(plan.map((p) => p.kind)).toEqual(['stop']);
    expect(plan[0]?.startDate).toBeUndefined();
  });

  it('keeps names within 64 characters for the longest environment name', () => {
    expect(scheduleName('a'.repeat(28), 'postponed').length).toBeLessThanOrEqual(64);
  });

  it('rejects an unknown timezone', () => {
    expect(() => planSchedules({ ...base, timezone: 'Mars/Olympus', profile: daily20 })).toThrow(ScheduleInputError);
  });
});

describe('nextStop', () => {
  it.each([
    ['Seoul daily, before tonight', daily20, SEOUL, '2025-06-02T10:00:00Z', '2025-06-02T11:00:00.000Z'],
    ['Seoul daily, exactly at the stop → tomorrow', daily20, SEOUL, '2025-06-02T11:00:00Z', '2025-06-03T11:00:00.000Z'],
    ['Seoul weekdays, Friday night → Monday', weekdays20, SEOUL, '2025-06-06T12:00:00Z', '2025-06-09T11:00:00.000Z'],
    ['Seoul weekdays, Saturday → Monday', weekdays20, SEOUL, '2025-06-07T03:00:00Z', '2025-06-09T11:00:00.000Z'],
    ['Seoul weekdays, Monday 01:00 local (Sunday UTC) → Monday', weekdays20, SEOUL, '2025-06-08T16:00:00Z', '2025-06-09T11:00:00.000Z'],
    ['New York summer (EDT, UTC-4)', daily20, NY, '2025-07-01T12:00:00Z', '2025-07-02T00:00:00.000Z'],
    ['New York winter (EST, UTC-5)', daily20, NY, '2025-01-15T12:00:00Z', '2025-01-16T01:00:00.000Z'],
    ['New York, stop on the day DST starts', daily20, NY, '2025-03-09T12:00:00Z', '2025-03-10T00:00:00.000Z'],
    ['New York 02:30 before the gap', { autoStopAt: '02:30', autoStopDays: 'daily' }, NY, '2025-03-08T00:00:00Z', '2025-03-08T07:30:00.000Z'],
    ['New York 02:30 skipped when DST starts', { autoStopAt: '02:30', autoStopDays: 'daily' }, NY, '2025-03-08T12:00:00Z', '2025-03-10T06:30:00.000Z'],
    ['New York 01:30 when DST ends: first one', { autoStopAt: '01:30', autoStopDays: 'daily' }, NY, '2025-11-02T04:00:00Z', '2025-11-02T05:30:00.000Z'],
    ['New York 01:30 when DST ends: runs once only', { autoStopAt: '01:30', autoStopDays: 'daily' }, NY, '2025-11-02T05:45:00Z', '2025-11-03T06:30:00.000Z'],
  ] as const)('%s', (_label, profile, tz, now, expected) => {
    expect(nextStop(ctx(profile, tz), d(now))?.toISOString()).toBe(expected);
  });

  it('is the postponed stop while one is in force', () => {
    expect(nextStop(ctx(daily20, SEOUL, '2025-06-02T14:30:00.000Z'), d('2025-06-02T10:00:00Z'))).toEqual(d('2025-06-02T14:30:00Z'));
  });

  it('is undefined without auto-stop', () => {
    expect(nextStop(ctx(noStop), d('2025-06-02T10:00:00Z'))).toBeUndefined();
  });

  it('warns 15 minutes before', () => {
    expect(warningTime(d('2025-06-02T11:00:00Z'))).toEqual(d('2025-06-02T10:45:00Z'));
  });

  it('finds the next weekday morning start', () => {
    const profile = { ...weekdays20, autoStartAt: '09:00' };
    expect(nextStart(ctx(profile), d('2025-06-06T12:00:00Z'))).toEqual(d('2025-06-09T00:00:00Z'));
  });
});

describe('atExpression', () => {
  it.each([
    ['2025-06-02T13:00:00Z', SEOUL, 'at(2025-06-02T22:00:00)'],
    ['2025-06-02T16:30:00Z', SEOUL, 'at(2025-06-03T01:30:00)'],
    ['2025-07-02T02:00:00Z', NY, 'at(2025-07-01T22:00:00)'],
  ])('%s in %s → %s', (iso, tz, expected) => {
    expect(atExpression(d(iso), tz)).toBe(expected);
  });
});

describe('planExtension', () => {
  const monday19 = d('2025-06-02T10:00:00Z'); // 19:00 in Seoul, stop at 20:00

  it.each([
    ['2h', ctx(daily20), '2025-06-02T13:00:00.000Z'],
    ['90m', ctx(daily20), '2025-06-02T12:30:00.000Z'],
    ['until 23:00', ctx(daily20), '2025-06-02T14:00:00.000Z'],
    ['until 01:00', ctx(daily20), '2025-06-02T16:00:00.000Z'],
    ['6d', ctx(daily20), '2025-06-08T11:00:00.000Z'],
    ['1h', ctx(daily20, SEOUL, '2025-06-02T13:00:00.000Z'), '2025-06-02T14:00:00.000Z'],
  ])('%s → %s', (text, context, expected) => {
    expect(planExtension(monday19, extendDuration(text), context)).toEqual({ ok: true, until: d(expected) });
  });

  it.each([
    ['until 19:30', ctx(daily20), /already runs until Mon 2025-06-02 20:00, later than Mon 2025-06-02 19:30/],
    ['7d', ctx(daily20), /the limit is 7 days \(until Mon 2025-06-09 19:00\)/],
    ['2h', ctx(noStop), /feature-x has no automatic stop/],
  ])('%s is refused', (text, context, error) => {
    const out = planExtension(monday19, extendDuration(text), context);
    expect(out.ok).toBe(false);
    expect(!out.ok && out.error).toMatch(error);
  });
});

describe('scheduledActionNear', () => {
  const profile = { ...daily20, autoStartAt: '09:00' };
  it.each([
    ['stop', '2025-06-02T11:02:00Z', undefined, true],
    ['stop', '2025-06-02T11:30:00Z', undefined, false],
    ['stop', '2025-06-02T10:58:00Z', undefined, false],
    ['stop', '2025-06-02T13:03:00Z', '2025-06-02T13:00:00.000Z', true],
    ['start', '2025-06-03T00:01:30Z', undefined, true],
    ['start', '2025-06-07T00:01:30Z', undefined, false], // Saturday: no morning start
  ] as const)('%s at %s (postponed %s) → %s', (kind, at, postponed, expected) => {
    expect(scheduledActionNear(kind, ctx(profile, SEOUL, postponed), d(at))).toBe(expected);
  });
});
