import { describe, expect, it } from 'vitest';
import { decideIdleSleep, idleSleepSettings, type IdleInput } from '../../app/src/schedules/idle-decision.js';

const NOW = new Date('2026-06-01T12:00:00Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
const input = (o: Partial<IdleInput> = {}): IdleInput => ({
  settings: idleSleepSettings('dev'),
  running: true,
  startedAt: minutesAgo(120),
  optedOut: false,
  requestsInWindow: 0,
  now: NOW,
  ...o,
});

describe('idle sleep decision', () => {
  it('sleeps a dev environment with no request in its idle window', () => {
    expect(decideIdleSleep(input())).toEqual({ sleep: true, idleMinutes: 30 });
  });

  it('keeps an environment that served a request', () => {
    expect(decideIdleSleep(input({ requestsInWindow: 1 }))).toEqual({ sleep: false, reason: 'active' });
  });

  it('never sleeps within the grace after a start, nor before a whole idle window has passed', () => {
    expect(decideIdleSleep(input({ startedAt: minutesAgo(10) }))).toEqual({ sleep: false, reason: 'grace' });
    // Grace (15) is over but the 30-minute window still reaches back before the start.
    expect(decideIdleSleep(input({ startedAt: minutesAgo(20) }))).toEqual({ sleep: false, reason: 'grace' });
    expect(decideIdleSleep(input({ startedAt: minutesAgo(30) }))).toMatchObject({ sleep: true });
  });

  it('is off for stage, for an opt-out and for what is not running', () => {
    expect(decideIdleSleep(input({ settings: idleSleepSettings('stage') }))).toEqual({ sleep: false, reason: 'off' });
    expect(decideIdleSleep(input({ optedOut: true }))).toEqual({ sleep: false, reason: 'opted-out' });
    expect(decideIdleSleep(input({ running: false }))).toEqual({ sleep: false, reason: 'not-running' });
  });

  it('does not take a failed metrics read for idleness', () => {
    expect(decideIdleSleep(input({ requestsInWindow: undefined }))).toEqual({ sleep: false, reason: 'metrics-unavailable' });
  });

  it('applies overrides within limits, and 0 turns it off', () => {
    expect(idleSleepSettings('stage', { sleepAfterIdleMinutes: 60 }).sleepAfterIdleMinutes).toBe(60);
    expect(idleSleepSettings('dev', { sleepAfterIdleMinutes: 0 }).sleepAfterIdleMinutes).toBeUndefined();
    expect(() => idleSleepSettings('dev', { sleepAfterIdleMinutes: 2 })).toThrow('from 5 to 1440');
    expect(() => idleSleepSettings('dev', { sleepAfterIdleMinutes: 7.5 })).toThrow('whole number');
  });
});
