/**
 * The one parser for `extend` durations. The grammar parses the user's text once and the command
 * carries the result, so the schedule planner and every door work from the same typed value.
 *
 * Accepted (README, `/env help`): `2h`, `90m`, `1d`, `1h30m` (units in d-h-m order, no spaces) and
 * `until HH:MM` (24-hour, the leading zero of the hour optional). A relative duration is at most
 * MAX_EXTENSION_DAYS; the planner applies the same cap to the resulting stop.
 */

/** The longest `extend`: neither the amount nor the new stop may be further away than this. */
export const MAX_EXTENSION_DAYS = 7;
const MAX_EXTENSION_MINUTES = MAX_EXTENSION_DAYS * 1440;

export type ExtendDuration =
  | { kind: 'for'; minutes: number; text: string }
  | { kind: 'until'; hh: number; mm: number; text: string };

export type DurationParse = { ok: true; value: ExtendDuration } | { ok: false; reason: string };

/** Raised where a duration must already be valid (e.g. a fixed modal choice that no longer parses). */
export class DurationError extends Error {
  override readonly name = 'DurationError';
  readonly code = 'DURATION_INVALID';
}

const UNTIL = /^until ([01]?\d|2[0-3]):([0-5]\d)$/;
const RELATIVE = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/;
const SHAPE_HINT = 'use a duration like 2h, 90m, 1d, 1h30m or `until 23:00`';

/** Parses `text` exactly as typed; `reason` is the user-facing problem. */
export function parseExtendDuration(text: string): DurationParse {
  const until = UNTIL.exec(text);
  if (until) return { ok: true, value: { kind: 'until', hh: Number(until[1]), mm: Number(until[2]), text } };
  const m = RELATIVE.exec(text);
  if (!m || text === '') return { ok: false, reason: SHAPE_HINT };
  const minutes = Number(m[1] ?? 0) * 1440 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
  if (minutes === 0) return { ok: false, reason: 'the duration must be longer than zero' };
  if (minutes > MAX_EXTENSION_MINUTES) return { ok: false, reason: `the longest extension is ${MAX_EXTENSION_DAYS} days` };
  return { ok: true, value: { kind: 'for', minutes, text } };
}

/** For values that are known to be valid (fixed choices, tests); throws DurationError otherwise. */
export function extendDuration(text: string): ExtendDuration {
  const parsed = parseExtendDuration(text);
  if (!parsed.ok) throw new DurationError(`"${text}" is not an extend duration: ${parsed.reason}`);
  return parsed.value;
}
