import { describe, expect, it } from 'vitest';
import { activeScheduleFailure, DeadLetterMessageError, parseDeadLetter } from '../../app/src/schedules/schedule-failure.js';

const arn = (group: string, name: string) => ({ StringValue: `arn:aws:scheduler:us-east-1:123456789012:schedule/${group}/${name}` });
const s = (value: string) => ({ StringValue: value });

describe('reading Scheduler dead-letter messages', () => {
  it('names the environment, the action from the request and the reason with the retries used', () => {
    const failure = parseDeadLetter(
      JSON.stringify({ Cluster: 'envbot', Service: 'envbot-my-feature-2', DesiredCount: 1 }),
      { SCHEDULE_ARN: arn('envbot', 'envbot-my-feature-2-start'), ERROR_CODE: s('ThrottlingException'), ERROR_MESSAGE: s('Rate exceeded'), RETRY_ATTEMPTS: s('20'), EXECUTION_ID: s('e-1') },
      'envbot',
      'm-1',
    );
    expect(failure).toEqual({
      env: 'my-feature-2',
      schedule: 'envbot-my-feature-2-start',
      kind: 'start',
      action: 'start',
      reason: 'ThrottlingException: Rate exceeded (after 20 retries)',
      executionId: 'e-1',
    });
  });

  it('falls back to the schedule kind and the message id when the body and execution id say nothing', () => {
    const failure = parseDeadLetter('not json', { SCHEDULE_ARN: arn('envbot', 'envbot-x-postponed') }, 'envbot', 'm-2');
    expect(failure).toMatchObject({ env: 'x', kind: 'postponed', action: 'stop', reason: 'Scheduler gave no reason', executionId: 'm-2' });
  });

  it('ignores schedules of another group or not named like envbot schedules', () => {
    expect(parseDeadLetter('{}', { SCHEDULE_ARN: arn('other', 'envbot-x-stop') }, 'envbot', 'm')).toBeUndefined();
    expect(parseDeadLetter('{}', { SCHEDULE_ARN: arn('envbot', 'nightly-backup') }, 'envbot', 'm')).toBeUndefined();
    expect(parseDeadLetter('{}', { SCHEDULE_ARN: arn('envbot', 'envbot-x-reboot') }, 'envbot', 'm')).toBeUndefined();
  });

  it('refuses a message that is no Scheduler dead letter', () => {
    expect(() => parseDeadLetter('{}', undefined, 'envbot', 'm')).toThrow(DeadLetterMessageError);
    expect(() => parseDeadLetter('{}', { SCHEDULE_ARN: s('arn:aws:sqs:us-east-1:1:q') }, 'envbot', 'm')).toThrow(DeadLetterMessageError);
  });
});

describe('which failure still matters', () => {
  const stop = { action: 'stop' as const, schedule: 'envbot-x-stop', reason: 'r', at: '2026-11-23T11:00:00.000Z' };
  it.each([
    ['stop', 'running', true],
    ['stop', 'stopped', false],
    ['start', 'stopped', true],
    ['start', 'running', false],
    ['stop', 'deleted', false],
  ] as const)('a failed %s while desired %s: shown %s', (action, desired, shown) => {
    expect(Boolean(activeScheduleFailure({ desired, scheduleFailure: { ...stop, action } }))).toBe(shown);
  });
});
