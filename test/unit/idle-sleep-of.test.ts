import { describe, expect, it } from 'vitest';
import { idleSleepOf } from '../../app/src/cost/cost-service.js';
import type { TaskEvent } from '../../app/src/environments/task-event.js';
import { sampleRecord } from '../support/sample-record.js';

const stop = (stoppedAt: string): TaskEvent => ({
  id: 'e1',
  at: stoppedAt,
  taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/envbot/abc123',
  clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/envbot',
  env: 'sleepy',
  lastStatus: 'STOPPED',
  desiredStatus: 'STOPPED',
  cpu: 256,
  memory: 512,
  startedAt: '2026-11-23T09:00:00.000Z',
  stoppedAt,
});

describe('which task stops are idle sleeps (for "Sleep saved")', () => {
  const asleep = sampleRecord('sleepy', { desired: 'stopped', status: 'stopped', stopReason: 'idle', startedAt: '2026-11-23T09:00:00.000Z' });

  it('a task stopped while its environment sleeps by idle sleep: the stop instant, keyed by task', () => {
    expect(idleSleepOf(stop('2026-11-23T12:00:00.000Z'), asleep)).toEqual({ env: 'sleepy', at: '2026-11-23T12:00:00.000Z', taskId: 'abc123' });
  });

  it('not a stop by a person or the schedule, not a running task, not a stale stop from before the last start', () => {
    expect(idleSleepOf(stop('2026-11-23T12:00:00.000Z'), { ...asleep, stopReason: 'user' })).toBeUndefined();
    expect(idleSleepOf(stop('2026-11-23T12:00:00.000Z'), { ...asleep, stopReason: 'schedule' })).toBeUndefined();
    expect(idleSleepOf({ ...stop('2026-11-23T12:00:00.000Z'), lastStatus: 'RUNNING' }, asleep)).toBeUndefined();
    expect(idleSleepOf(stop('2026-11-23T08:00:00.000Z'), asleep)).toBeUndefined();
    expect(idleSleepOf(stop('2026-11-23T12:00:00.000Z'), undefined)).toBeUndefined();
  });
});
