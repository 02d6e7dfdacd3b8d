import { parseTimeOfDay } from '../environments/time-of-day.js';
import { addDays, localParts as zonedLocalParts, offsetAt, zoneFormatter } from '../environments/zoned-time.js';
import type { CostWindow } from '../environments/task-intervals.js';

/**
 * When the daily and weekly cost summaries are due. Pure: the bot's periodic loop passes `now`,
 * asks which summaries are due, sends each and records its `periodKey` with
 * `store.markOnce('cost-summary', periodKey)`, so a summary goes out exactly once even with several
 * replicas or a restart mid-send (whoever marks first sends).
 *
 * Only the latest period of each kind is ever due: after an outage the bot sends the summary it
 * missed most recently, not a backlog. Times are wall-clock times in the configured timezone, so
 * "09:00" stays 09:00 across daylight-saving changes (that day's window is then 23 or 25 hours).
 */

export type SummaryKind = 'daily' | 'weekly';

export interface SummarySchedule {
  /** IANA timezone, e.g. `Asia/Seoul`. */
  timezone: string;
  /** Local send time "HH:MM". */
  dailyAt: string;
  weeklyAt: string;
  /** ISO weekday of the weekly summary: 1 = Monday … 7 = Sunday. */
  weeklyOn: number;
}

export const DEFAULT_SUMMARY_SCHEDULE: Omit<SummarySchedule, 'timezone'> = { dailyAt: '09:00', weeklyAt: '09:00', weeklyOn: 1 };

export interface SummaryPeriod {
  kind: SummaryKind;
  /** Unique per period, e.g. `daily:2025-03-04` or `weekly:2025-03-03` (local date it is sent). */
  periodKey: string;
  scheduledAt: Date;
  /** The day or week that ends when the summary is sent. */
  window: CostWindow;
}

/** The most recent period of `kind` whose send time is at or before `now`. */
export function latestPeriod(kind: SummaryKind, now: Date, schedule: SummarySchedule): SummaryPeriod {
  const at = parseHhmm(kind === 'daily' ? schedule.dailyAt : schedule.weeklyAt);
  const today = localParts(now, schedule.timezone);
  const step = kind === 'daily' ? 1 : 7;
  let back = kind === 'daily' ? 0 : (isoWeekday(today) - schedule.weeklyOn + 7) % 7;
  let date = addDays(today, -back);
  if (zonedToUtc({ ...date, ...at }, schedule.timezone) > now) {
    back += step;
    date = addDays(today, -back);
  }
  const start = addDays(date, -step);
  return {
    kind,
    periodKey: `${kind}:${isoDate(date)}`,
    scheduledAt: zonedToUtc({ ...date, ...at }, schedule.timezone),
    window: { from: zonedToUtc({ ...start, ...at }, schedule.timezone), to: zonedToUtc({ ...date, ...at }, schedule.timezone) },
  };
}

/**
 * The summaries to send now: the latest daily and weekly periods whose keys differ from the last
 * ones sent. Without `lastSent`, both latest periods are returned and `markOnce` decides.
 */
export function dueSummaries(
  now: Date,
  schedule: SummarySchedule,
  lastSent: Partial<Record<SummaryKind, string>> = {},
): SummaryPeriod[] {
  return (['daily', 'weekly'] as const)
    .map((kind) => latestPeriod(kind, now, schedule))
    .filter((period) => lastSent[period.kind] !== period.periodKey);
}

/** The last `n` local calendar days up to and including today (today is partial), oldest first. */
export function lastDays(now: Date, timezone: string, n: number): { label: string; window: CostWindow }[] {
  const today = localParts(now, timezone);
  const out: { label: string; window: CostWindow }[] = [];
  for (let back = n - 1; back >= 0; back--) {
    const day = addDays(today, -back);
    out.push({
      label: isoDate(day),
      window: {
        from: zonedToUtc({ ...day, hour: 0, minute: 0 }, timezone),
        to: zonedToUtc({ ...addDays(day, 1), hour: 0, minute: 0 }, timezone),
      },
    });
  }
  return out;
}

// --- Wall-clock helpers (Intl only; no timezone library) ---

export type { CivilDate as LocalDate, LocalParts } from '../environments/zoned-time.js';
import type { CivilDate as LocalDate, LocalParts } from '../environments/zoned-time.js';

/** Local parts, with the cost summary's own error for an unknown zone. */
export function localParts(instant: Date, timeZone: string): LocalParts {
  try {
    zoneFormatter(timeZone);
  } catch {
    throw new RangeError(`cost summary timezone "${timeZone}" is not an IANA timezone — set it like Asia/Seoul or Europe/Berlin`);
  }
  return zonedLocalParts(instant, timeZone);
}

/** The instant when the local wall clock in `timeZone` shows the given time. */
export function zonedToUtc(local: LocalDate & { hour: number; minute: number }, timeZone: string): Date {
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  // Two passes settle the offset on the right side of a DST change.
  let guess = asUtc - offsetMs(asUtc, timeZone);
  guess = asUtc - offsetMs(guess, timeZone);
  return new Date(guess);
}

function offsetMs(instant: number, timeZone: string): number {
  localParts(new Date(instant), timeZone);
  return offsetAt(instant, timeZone);
}

/** "YYYY-MM-DD HH:MM" on the local wall clock. */
export function formatLocal(instant: Date, timeZone: string): string {
  const p = localParts(instant, timeZone);
  return `${isoDate(p)} ${pad(p.hour)}:${pad(p.minute)}`;
}

export function parseHhmm(value: string): { hour: number; minute: number } {
  const parsed = parseTimeOfDay(value);
  if (!parsed) throw new RangeError(`cost summary time "${value}" is not HH:MM (24-hour), e.g. 09:00`);
  return parsed;
}

function isoWeekday(date: LocalDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() || 7;
}

function isoDate(date: LocalDate): string {
  return `${date.year}-${pad(date.month)}-${pad(date.day)}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
