import { MAX_EXTENSION_DAYS, type ExtendDuration } from '../environments/duration.js';
import type { Profile } from '../environments/profiles.js';
import { parseTimeOfDay } from '../environments/time-of-day.js';
import { serviceNameFor } from '../environments/task-event.js';
import { addDays, localParts, offsetAt, zoneFormatter, type CivilDate } from '../environments/zoned-time.js';

/**
 * Which EventBridge Scheduler schedules an environment should have, and when it next stops.
 * Pure: no AWS, no wall clock (`now` is always passed in).
 *
 * Naming: `envbot-<env>-<kind>` where kind is one dash-free word. Because kinds never contain a dash,
 * `envbot-a-stop` (env `a`) can never be confused with a schedule of env `a-stop` (`envbot-a-stop-stop`).
 * Longest name: 7 + 28 (MAX_ENV_NAME_LENGTH) + 10 = 45 characters, within Scheduler's 64.
 *
 * How `extend` works with Scheduler semantics (schedules never consult the bot when they fire):
 *   - the recurring `stop` schedule gets `StartDate` = postponed stop + 1 minute. Scheduler does not
 *     invoke a recurring schedule before its StartDate, so tonight's (and any other skipped) stop
 *     simply does not happen, and the nightly stop resumes by itself afterwards — no one has to
 *     re-enable anything, even if the bot is down;
 *   - a one-time `postponed` schedule, `at(<local time>)` in the same timezone with
 *     ActionAfterCompletion DELETE, performs the postponed stop and then removes itself.
 * Once the postponed instant has passed the plan drops both again (StartDate in the past has no effect,
 * and Scheduler rejects a StartDate more than 5 minutes in the past on create/update anyway).
 * Disable + one-off was rejected: re-enabling needs the bot to be up at the right moment.
 */

export const ECS_UPDATE_SERVICE_TARGET = 'arn:aws:scheduler:::aws-sdk:ecs:updateService';
export const SCHEDULE_KINDS = ['stop', 'start', 'postponed'] as const;
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];
/** The warning goes out this long before a stop. */
export const WARNING_MINUTES = 15;
/** A morning start always runs on weekdays (see Profile.autoStartAt). */
const START_DAYS = 'weekdays';
const MINUTE = 60_000;
const DAY = 86_400_000;

export type AutoStopProfile = Pick<Profile, 'autoStopAt' | 'autoStopDays' | 'autoStartAt'>;

export interface ScheduleContext {
  env: string;
  profile: AutoStopProfile;
  timezone: string;
  /** record.autoStopPostponedUntil */
  postponedUntil?: string | Date;
}

/**
 * The ECS UpdateService request as a universal target's `Input`: Scheduler takes the API parameters
 * in PascalCase (as Step Functions' SDK integrations do), not ECS's camelCase wire names. With
 * camelCase, creating the schedule succeeds and every invocation fails.
 */
export interface UpdateServiceInput {
  Cluster: string;
  Service: string;
  DesiredCount: number;
}

export interface PlannedSchedule {
  name: string;
  kind: ScheduleKind;
  expression: string;
  timezone: string;
  /** Recurring stop only, while a postponement is in force. */
  startDate?: Date;
  actionAfterCompletion: 'NONE' | 'DELETE';
  input: UpdateServiceInput;
  description: string;
}

export class ScheduleInputError extends Error {
  readonly code = 'SCHEDULE_INPUT_INVALID';
}

export function scheduleName(env: string, kind: ScheduleKind): string {
  return `${serviceNameFor(env)}-${kind}`;
}

export function planSchedules(
  opts: ScheduleContext & { cluster: string; now: Date; withStart?: boolean; runningCount?: number },
): PlannedSchedule[] {
  assertTimezone(opts.timezone);
  const { env, profile, timezone, cluster } = opts;
  const service = serviceNameFor(env);
  const planned: PlannedSchedule[] = [];
  const postponed = activePostponement(opts.postponedUntil, opts.now);
  if (profile.autoStopAt) {
    planned.push({
      name: scheduleName(env, 'stop'),
      kind: 'stop',
      expression: cronFor(profile.autoStopAt, profile.autoStopDays),
      timezone,
      ...(postponed && { startDate: new Date(postponed.getTime() + MINUTE) }),
      actionAfterCompletion: 'NONE',
      input: { Cluster: cluster, Service: service, DesiredCount: 0 },
      description: `envbot: nightly stop of ${env} at ${profile.autoStopAt} (${profile.autoStopDays})`,
    });
    if (postponed) {
      planned.push({
        name: scheduleName(env, 'postponed'),
        kind: 'postponed',
        expression: atExpression(postponed, timezone),
        timezone,
        actionAfterCompletion: 'DELETE',
        input: { Cluster: cluster, Service: service, DesiredCount: 0 },
        description: `envbot: postponed stop of ${env}`,
      });
    }
  }
  if (profile.autoStartAt && opts.withStart !== false) {
    planned.push({
      name: scheduleName(env, 'start'),
      kind: 'start',
      expression: cronFor(profile.autoStartAt, START_DAYS),
      timezone,
      actionAfterCompletion: 'NONE',
      input: { Cluster: cluster, Service: service, DesiredCount: opts.runningCount ?? 1 },
      description: `envbot: morning start of ${env} at ${profile.autoStartAt} (weekdays)`,
    });
  }
  return planned;
}

/** `cron(0 20 ? * MON-FRI *)` for weekdays, `cron(0 20 * * ? *)` for every day. */
export function cronFor(hhmm: string, days: 'weekdays' | 'daily'): string {
  const { hour, minute } = parseHhmm(hhmm);
  return days === 'weekdays' ? `cron(${minute} ${hour} ? * MON-FRI *)` : `cron(${minute} ${hour} * * ? *)`;
}

/** One-time expression: the wall-clock time of `at` in `timezone` (Scheduler evaluates it in that zone). */
export function atExpression(at: Date, timezone: string): string {
  const p = localParts(at, timezone);
  return `at(${pad4(p.year)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)})`;
}

/** The next instant the environment will be stopped by a schedule, or undefined if never. */
export function nextStop(ctx: ScheduleContext, now: Date): Date | undefined {
  const postponed = activePostponement(ctx.postponedUntil, now);
  if (postponed) return postponed;
  if (!ctx.profile.autoStopAt) return undefined;
  return occurrences(ctx.profile.autoStopAt, ctx.profile.autoStopDays, ctx.timezone, now, new Date(now.getTime() + 8 * DAY))[0];
}

export function nextStart(ctx: ScheduleContext, now: Date): Date | undefined {
  if (!ctx.profile.autoStartAt) return undefined;
  return occurrences(ctx.profile.autoStartAt, START_DAYS, ctx.timezone, now, new Date(now.getTime() + 8 * DAY))[0];
}

export function warningTime(stop: Date, minutes = WARNING_MINUTES): Date {
  return new Date(stop.getTime() - minutes * MINUTE);
}

/**
 * True if a schedule of this kind was due shortly before `at` (within `toleranceMinutes`; one extra
 * minute the other way for clock skew). Used to tell a scheduled stop/start from other ECS changes.
 */
export function scheduledActionNear(kind: 'stop' | 'start', ctx: ScheduleContext, at: Date, toleranceMinutes = 15): boolean {
  const from = new Date(at.getTime() - toleranceMinutes * MINUTE);
  const to = new Date(at.getTime() + MINUTE);
  if (kind === 'start') {
    return Boolean(ctx.profile.autoStartAt && occurrences(ctx.profile.autoStartAt, START_DAYS, ctx.timezone, from, to).length);
  }
  const postponed = toDate(ctx.postponedUntil);
  if (postponed && postponed > from && postponed <= to) return true;
  return Boolean(ctx.profile.autoStopAt && occurrences(ctx.profile.autoStopAt, ctx.profile.autoStopDays, ctx.timezone, from, to).length);
}

// ---- extend -------------------------------------------------------------------------------------

export type ExtensionResult = { ok: true; until: Date } | { ok: false; error: string };

/**
 * The new postponed stop. A relative duration postpones the *next stop* (tonight's, or the one
 * already postponed) by that much; `until HH:MM` is the next such wall-clock time. Never more than
 * `maxDays` from now, never earlier than the stop it replaces.
 */
export function planExtension(now: Date, duration: ExtendDuration, ctx: ScheduleContext, maxDays = MAX_EXTENSION_DAYS): ExtensionResult {
  const current = nextStop(ctx, now);
  if (!current) return { ok: false, error: `${ctx.env} has no automatic stop, so there is nothing to extend` };
  let until: Date | undefined;
  if (duration.kind === 'for') {
    until = new Date(current.getTime() + duration.minutes * MINUTE);
  } else {
    until = nextWallClock(duration.hh, duration.mm, ctx.timezone, now);
    // Only possible inside a DST gap (e.g. 02:30 on the night clocks jump from 02:00 to 03:00).
    if (!until) return { ok: false, error: `${pad(duration.hh)}:${pad(duration.mm)} does not exist tonight in ${ctx.timezone}; pick another time` };
  }
  const latest = new Date(now.getTime() + maxDays * DAY);
  if (until > latest) {
    return { ok: false, error: `that would keep ${ctx.env} until ${formatLocal(until, ctx.timezone)}; the limit is ${maxDays} days (until ${formatLocal(latest, ctx.timezone)})` };
  }
  if (until <= current) {
    return { ok: false, error: `${ctx.env} already runs until ${formatLocal(current, ctx.timezone)}, later than ${formatLocal(until, ctx.timezone)}` };
  }
  return { ok: true, until };
}

/** `Mon 2025-06-02 20:00` in the given zone: what people read in "auto-stop at …". */
export function formatLocal(at: Date, timezone: string): string {
  const p = localParts(at, timezone);
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][weekdayOf(p)];
  return `${weekday} ${pad4(p.year)}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}

// ---- time zone arithmetic -------------------------------------------------------------------------

export function assertTimezone(timezone: string): void {
  try {
    zoneFormatter(timezone);
  } catch {
    throw new ScheduleInputError(`"${timezone}" is not a known time zone: use an IANA name such as Asia/Seoul or Europe/Berlin`);
  }
}

/**
 * The instant a wall-clock time happens in a zone. Undefined when it does not exist (the hour skipped
 * when DST starts — Scheduler skips such invocations too); the earlier one when it happens twice
 * (Scheduler runs once when DST ends).
 */
function zonedInstant(date: CivilDate, hour: number, minute: number, timezone: string): Date | undefined {
  const wall = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
  // Offsets a day either side cover both sides of any transition near this time.
  const candidates = [offsetAt(wall - DAY, timezone), offsetAt(wall + DAY, timezone)]
    .map((offset) => wall - offset)
    .filter((ms) => {
      const p = localParts(new Date(ms), timezone);
      return p.year === date.year && p.month === date.month && p.day === date.day && p.hour === hour && p.minute === minute;
    });
  return candidates.length ? new Date(Math.min(...candidates)) : undefined;
}

function weekdayOf(date: CivilDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}

function runsOn(date: CivilDate, days: 'weekdays' | 'daily'): boolean {
  const wd = weekdayOf(date);
  return days === 'daily' || (wd >= 1 && wd <= 5);
}

/** Instants of a recurring HH:MM schedule in (from, to], oldest first. */
export function occurrences(hhmm: string, days: 'weekdays' | 'daily', timezone: string, from: Date, to: Date): Date[] {
  assertTimezone(timezone);
  const { hour, minute } = parseHhmm(hhmm);
  const out: Date[] = [];
  const last = localParts(to, timezone);
  // Start a day early: the local date at `from` may already be past the time.
  for (let d = addDays(localParts(from, timezone), -1); compareDates(d, last) <= 0; d = addDays(d, 1)) {
    if (!runsOn(d, days)) continue;
    const at = zonedInstant(d, hour, minute, timezone);
    if (at && at > from && at <= to) out.push(at);
  }
  return out;
}

function nextWallClock(hour: number, minute: number, timezone: string, now: Date): Date | undefined {
  const hhmm = `${pad(hour)}:${pad(minute)}`;
  return occurrences(hhmm, 'daily', timezone, now, new Date(now.getTime() + 2 * DAY))[0];
}

function compareDates(a: CivilDate, b: CivilDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

function parseHhmm(hhmm: string): { hour: number; minute: number } {
  const parsed = parseTimeOfDay(hhmm);
  if (!parsed) throw new ScheduleInputError(`"${hhmm}" is not a time of day: use 24-hour HH:MM, e.g. 20:00`);
  return parsed;
}

function activePostponement(value: string | Date | undefined, now: Date): Date | undefined {
  const at = toDate(value);
  return at && at > now ? at : undefined;
}

function toDate(value: string | Date | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function pad4(n: number): string {
  return String(n).padStart(4, '0');
}
