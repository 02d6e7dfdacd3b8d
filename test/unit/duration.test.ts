import { describe, expect, it } from 'vitest';
import { DurationError, extendDuration, MAX_EXTENSION_DAYS, parseExtendDuration } from '../../app/src/environments/duration.js';
import { parseCommand } from '../../app/src/commands/grammar.js';

describe('parseExtendDuration: the one parser behind /env extend and the schedule planner', () => {
  it.each([
    ['2h', { kind: 'for', minutes: 120, text: '2h' }],
    ['90m', { kind: 'for', minutes: 90, text: '90m' }],
    ['1d', { kind: 'for', minutes: 1440, text: '1d' }],
    ['1h30m', { kind: 'for', minutes: 90, text: '1h30m' }],
    ['7d', { kind: 'for', minutes: 7 * 1440, text: '7d' }],
    ['until 23:00', { kind: 'until', hh: 23, mm: 0, text: 'until 23:00' }],
    ['until 1:30', { kind: 'until', hh: 1, mm: 30, text: 'until 1:30' }],
  ])('%j', (text, value) => {
    expect(parseExtendDuration(text)).toEqual({ ok: true, value });
  });

  it.each([
    ['', 'use a duration like 2h, 90m, 1d, 1h30m or `until 23:00`'],
    ['soon', 'use a duration like 2h, 90m, 1d, 1h30m or `until 23:00`'],
    ['2x', 'use a duration like 2h, 90m, 1d, 1h30m or `until 23:00`'],
    ['-2h', 'use a duration like 2h, 90m, 1d, 1h30m or `until 23:00`'],
    ['h', 'use a duration like 2h, 90m, 1d, 1h30m or `until 23:00`'],
    ['until 25:00', 'use a duration like 2h, 90m, 1d, 1h30m or `until 23:00`'],
    ['until tonight', 'use a duration like 2h, 90m, 1d, 1h30m or `until 23:00`'],
    ['0h', 'the duration must be longer than zero'],
    ['7d1m', 'the longest extension is 7 days'],
  ])('refuses %j', (text, reason) => {
    expect(parseExtendDuration(text)).toEqual({ ok: false, reason });
  });

  it('has one cap, shared by the grammar and the planner', () => {
    expect(MAX_EXTENSION_DAYS).toBe(7);
  });

  it('extendDuration throws a named error for text that must already be valid', () => {
    expect(() => extendDuration('forever')).toThrow(DurationError);
  });
});

/**
 * Before the parsers were merged, the planner's own parser accepted these while the grammar refused
 * them; the grammar always ran first, so users got the refusal. The documented rule (README: `2h`,
 * `90m`, `1d`, `until 23:00`) is the grammar's, and it is now the only one.
 */
describe('inputs the old planner parser accepted and the grammar refused', () => {
  it.each(['2 hours', '45 min', '30m1h', 'Until 1:30', '22:15', '2H'])('%j is refused', (text) => {
    expect(parseExtendDuration(text).ok).toBe(false);
    expect(parseCommand(`extend x ${text}`)).toEqual({ ok: false, reply: expect.stringMatching(/^Invalid duration /) as unknown as string });
  });
});
