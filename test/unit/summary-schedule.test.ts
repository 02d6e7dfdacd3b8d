import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SUMMARY_SCHEDULE,
  dueSummaries,
  formatLocal,
  lastDays,
  latestPeriod,
  zonedToUtc,
  type SummarySchedule,
} from '../../app/src/cost/summary-schedule.js';

const SEOUL: SummarySchedule = { timezone: 'Asia/Seoul', ...DEFAULT_SUMMARY_SCHEDULE };
const at = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();

function plain(p: ReturnType<typeof latestPeriod>) {
  return { key: p.periodKey, scheduledAt: iso(p.scheduledAt), from: iso(p.window.from), to: iso(p.window.to) };
}

describe('when cost summaries are due', () => {
  it('daily at 09:00 Seoul covers the 24 hours before it', () => {
    // Tuesday 2025-03-04 09:30 KST = 00:30Z
    expect(plain(latestPeriod('daily', at('2025-03-04T00:30:00Z'), SEOUL))).toEqual({
      key: 'daily:2025-03-04',
      scheduledAt: '2025-03-04T00:00:00.000Z',
      from: '2025-03-03T00:00:00.000Z',
      to: '2025-03-04T00:00:00.000Z',
    });
  });

  it('before 09:00 the latest daily summary is yesterday’s; at 09:00 sharp it is today’s', () => {
    expect(latestPeriod('daily', at('2025-03-03T23:59:59Z'), SEOUL).periodKey).toBe('daily:2025-03-03');
    expect(latestPeriod('daily', at('2025-03-04T00:00:00Z'), SEOUL).periodKey).toBe('daily:2025-03-04');
  });

  it('weekly on Monday 09:00 covers the previous seven days', () => {
    // Wednesday 2025-03-05: the latest weekly send was Monday 2025-03-03 09:00 KST.
    expect(plain(latestPeriod('weekly', at('2025-03-05T05:00:00Z'), SEOUL))).toEqual({
      key: 'weekly:2025-03-03',
      scheduledAt: '2025-03-03T00:00:00.000Z',
      from: '2025-02-24T00:00:00.000Z',
      to: '2025-03-03T00:00:00.000Z',
    });
    // Monday 08:59 KST: this week's is not due yet, so last week's is the latest.
    expect(latestPeriod('weekly', at('2025-03-02T23:59:00Z'), SEOUL).periodKey).toBe('weekly:2025-02-24');
    // Monday 09:00 KST sharp.
    expect(latestPeriod('weekly', at('2025-03-03T00:00:00Z'), SEOUL).periodKey).toBe('weekly:2025-03-03');
  });

  it('returns only the periods not yet sent, so a loop sends each exactly once', () => {
    const now = at('2025-03-04T00:30:00Z');
    expect(dueSummaries(now, SEOUL).map((p) => p.periodKey)).toEqual(['daily:2025-03-04', 'weekly:2025-03-03']);
    expect(dueSummaries(now, SEOUL, { daily: 'daily:2025-03-04' }).map((p) => p.periodKey)).toEqual(['weekly:2025-03-03']);
    expect(dueSummaries(now, SEOUL, { daily: 'daily:2025-03-04', weekly: 'weekly:2025-03-03' })).toEqual([]);
    // A loop ticking every 5 minutes for two days asks for each period once.
    const sent: Partial<Record<'daily' | 'weekly', string>> = { weekly: 'weekly:2025-03-03' };
    const keys: string[] = [];
    for (let m = 0; m < 48 * 60; m += 5) {
      for (const p of dueSummaries(new Date(Date.parse('2025-03-03T12:00:00Z') + m * 60_000), SEOUL, sent)) {
        keys.push(p.periodKey);
        sent[p.kind] = p.periodKey;
      }
    }
    expect(keys).toEqual(['daily:2025-03-03', 'daily:2025-03-04', 'daily:2025-03-05']);
  });

  it('after an outage sends only the most recent missed period', () => {
    const due = dueSummaries(at('2025-03-07T03:00:00Z'), SEOUL, { daily: 'daily:2025-03-04', weekly: 'weekly:2025-03-03' });
    expect(due.map((p) => p.periodKey)).toEqual(['daily:2025-03-07']);
  });

  it('keeps 09:00 local across a daylight-saving change (Berlin, 2025-03-30)', () => {
    const berlin: SummarySchedule = { ...SEOUL, timezone: 'Europe/Berlin' };
    // 09:00 CET = 08:00Z on Saturday; 09:00 CEST = 07:00Z on Sunday: a 23-hour day.
    expect(plain(latestPeriod('daily', at('2025-03-30T07:30:00Z'), berlin))).toEqual({
      key: 'daily:2025-03-30',
      scheduledAt: '2025-03-30T07:00:00.000Z',
      from: '2025-03-29T08:00:00.000Z',
      to: '2025-03-30T07:00:00.000Z',
    });
  });

  it('rejects a bad timezone or time with a message naming the fix', () => {
    expect(() => latestPeriod('daily', at('2025-03-04T00:00:00Z'), { ...SEOUL, timezone: 'Mars/Olympus' })).toThrow(
      'cost summary timezone "Mars/Olympus" is not an IANA timezone — set it like Asia/Seoul or Europe/Berlin',
    );
    expect(() => latestPeriod('daily', at('2025-03-04T00:00:00Z'), { ...SEOUL, dailyAt: '9am' })).toThrow(
      'cost summary time "9am" is not HH:MM (24-hour), e.g. 09:00',
    );
  });
});

describe('wall-clock helpers', () => {
  it('converts local times and formats instants', () => {
    expect(iso(zonedToUtc({ year: 2025, month: 3, day: 4, hour: 9, minute: 0 }, 'Asia/Seoul'))).toBe('2025-03-04T00:00:00.000Z');
    expect(iso(zonedToUtc({ year: 2025, month: 7, day: 1, hour: 9, minute: 0 }, 'America/New_York'))).toBe('2025-07-01T13:00:00.000Z');
    expect(formatLocal(at('2025-03-03T15:00:00Z'), 'Asia/Seoul')).toBe('2025-03-04 00:00');
  });

  it('lists the last seven local days, today last', () => {
    const days = lastDays(at('2025-03-04T03:00:00Z'), 'Asia/Seoul', 7);
    expect(days.map((d) => d.label)).toEqual(['2025-02-26', '2025-02-27', '2025-02-28', '2025-03-01', '2025-03-02', '2025-03-03', '2025-03-04']);
    expect(iso(days[6]!.window.from)).toBe('2025-03-03T15:00:00.000Z');
    expect(iso(days[6]!.window.to)).toBe('2025-03-04T15:00:00.000Z');
  });
});
