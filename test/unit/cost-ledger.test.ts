import { describe, expect, it } from 'vitest';
import type { TaskEvent } from '../../app/src/environments/task-event.js';
import { clipInterval, foldTaskEvents, intervalFromEvent } from '../../app/src/environments/task-intervals.js';
import { priceFor } from '../../app/src/cost/price-table.js';
import { summarize } from '../../app/src/cost/summary.js';

const CLUSTER = 'arn:aws:ecs:us-east-1:123456789012:cluster/envbot';
const arn = (id: string) => `arn:aws:ecs:us-east-1:123456789012:task/envbot/${id}`;

function event(id: string, task: string, over: Partial<TaskEvent>): TaskEvent {
  return {
    id,
    at: '2025-03-03T00:00:00.000Z',
    taskArn: arn(task),
    clusterArn: CLUSTER,
    env: 'feature-x',
    lastStatus: 'RUNNING',
    desiredStatus: 'RUNNING',
    capacityProvider: 'FARGATE_SPOT',
    cpu: 256,
    memory: 512,
    ...over,
  };
}

/**
 * A Spot environment's Monday and Tuesday morning (times UTC; Seoul is UTC+9):
 * - task A starts 09:01 KST, is reclaimed by Spot at 13:00 KST (2-minute warning at 12:58),
 * - its replacement B starts 13:01:30 KST and is stopped by the nightly schedule at 20:00 KST,
 * - task C starts 09:00 KST the next morning and is still running.
 */
const day = [
  event('e1', 'A', { at: '2025-03-03T00:00:10Z', lastStatus: 'PENDING' }),
  event('e2', 'A', { at: '2025-03-03T00:01:00Z', startedAt: '2025-03-03T00:01:00Z' }),
  event('e3', 'A', { at: '2025-03-03T03:58:00Z', desiredStatus: 'STOPPED', stopCode: 'SpotInterruption', startedAt: '2025-03-03T00:01:00Z' }),
  event('e4', 'A', {
    at: '2025-03-03T04:00:00Z',
    lastStatus: 'STOPPED',
    desiredStatus: 'STOPPED',
    stopCode: 'SpotInterruption',
    startedAt: '2025-03-03T00:01:00Z',
    stoppedAt: '2025-03-03T04:00:00Z',
  }),
  event('e5', 'B', { at: '2025-03-03T04:01:30Z', startedAt: '2025-03-03T04:01:30Z' }),
  event('e6', 'B', {
    at: '2025-03-03T11:00:01Z',
    lastStatus: 'STOPPED',
    desiredStatus: 'STOPPED',
    stopCode: 'ServiceSchedulerInitiated',
    startedAt: '2025-03-03T04:01:30Z',
    stoppedAt: '2025-03-03T11:00:00Z',
  }),
  event('e7', 'C', { at: '2025-03-04T00:00:00Z', startedAt: '2025-03-04T00:00:00Z' }),
];
const NOW = new Date('2025-03-04T03:00:00Z'); // Tuesday 12:00 KST

const expected = [
  { taskId: 'A', startedAt: '2025-03-03T00:01:00.000Z', stoppedAt: '2025-03-03T04:00:00.000Z' },
  { taskId: 'B', startedAt: '2025-03-03T04:01:30.000Z', stoppedAt: '2025-03-03T11:00:00.000Z' },
  { taskId: 'C', startedAt: '2025-03-04T00:00:00.000Z' },
];

function shape(intervals: ReturnType<typeof foldTaskEvents>) {
  return intervals.map((i) => ({ taskId: i.taskId, startedAt: i.startedAt, ...(i.stoppedAt && { stoppedAt: i.stoppedAt }) }));
}

describe('ledger: task events to running intervals', () => {
  it('follows start, Spot interruption, replacement, scheduled stop and next-morning restart', () => {
    const intervals = foldTaskEvents(day, () => 'alice');
    expect(shape(intervals)).toEqual(expected);
    expect(intervals[0]).toMatchObject({ env: 'feature-x', owner: 'alice', cpu: 256, memory: 512, provider: 'FARGATE_SPOT' });
  });

  it('ignores duplicates, whether redelivered (same id) or re-emitted (new id)', () => {
    const noisy = [...day, day[1]!, day[3]!, { ...day[5]!, id: 'e6-again' }, { ...day[6]!, id: 'e7-again' }];
    expect(shape(foldTaskEvents(noisy))).toEqual(expected);
  });

  it('gives the same intervals whatever order the events arrive in', () => {
    const reversed = [...day].reverse();
    const shuffled = [day[5]!, day[0]!, day[6]!, day[3]!, day[4]!, day[2]!, day[1]!];
    expect(shape(foldTaskEvents(reversed))).toEqual(expected);
    expect(shape(foldTaskEvents(shuffled))).toEqual(expected);
  });

  it('skips tasks that never started and tasks of no environment', () => {
    const failed = event('f1', 'F', { lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stopCode: 'TaskFailedToStart', stoppedAt: '2025-03-03T01:00:00Z' });
    const { env: _env, ...foreignBase } = event('f2', 'G', { startedAt: '2025-03-03T01:00:00Z' });
    expect(intervalFromEvent(failed)).toBeUndefined();
    expect(intervalFromEvent(foreignBase)).toBeUndefined();
    expect(intervalFromEvent(event('f3', 'H', { startedAt: 'not a date' }))).toBeUndefined();
  });

  it('assumes on-demand when no event names the capacity provider, and learns it later', () => {
    const { capacityProvider: _p, ...unnamed } = day[1]!;
    expect(intervalFromEvent(unnamed)).toMatchObject({ provider: 'FARGATE', providerAssumed: true });
    const [merged] = foldTaskEvents([unnamed, day[3]!]);
    expect(merged).toMatchObject({ provider: 'FARGATE_SPOT' });
    expect(merged?.providerAssumed).toBeUndefined();
  });

  it('clips intervals to a window and prices open intervals up to now', () => {
    const [a, b, c] = foldTaskEvents(day);
    const mondayKst = { from: new Date('2025-03-02T15:00:00Z'), to: new Date('2025-03-03T15:00:00Z') };
    // A: 00:01:00 → 04:00:00 = 3 h 59 min = 14,340 s; B: 04:01:30 → 11:00:00 = 6 h 58 min 30 s = 25,110 s
    expect(clipInterval(a!, mondayKst, NOW)?.seconds).toBe(14_340);
    expect(clipInterval(b!, mondayKst, NOW)?.seconds).toBe(25_110);
    expect(clipInterval(c!, mondayKst, NOW)).toBeUndefined();
    // C is open: counted from 00:00 to now (03:00) = 10,800 s, even though the window runs to midnight.
    const tuesday = { from: new Date('2025-03-03T15:00:00Z'), to: new Date('2025-03-04T15:00:00Z') };
    expect(clipInterval(c!, tuesday, NOW)?.seconds).toBe(10_800);
    // A window cutting through B: 10:00 → 12:00 keeps only 10:00 → 11:00.
    expect(clipInterval(b!, { from: new Date('2025-03-03T10:00:00Z'), to: new Date('2025-03-03T12:00:00Z') }, NOW)?.seconds).toBe(3_600);
  });

  it('adds up to the hand-computed cost of the two days', () => {
    // 14,340 + 25,110 + 10,800 = 50,250 s = 13.9583 h at $0.00406759/h (0.25 vCPU / 0.5 GB Spot)
    // = $0.05677677708…
    const summary = summarize({
      intervals: foldTaskEvents(day),
      envs: [],
      window: { from: new Date('2025-03-02T15:00:00Z'), to: new Date('2025-03-04T15:00:00Z') },
      now: NOW,
      prices: priceFor('us-east-1'),
    });
    expect(summary.total).toBeCloseTo(0.056776777083, 10);
    expect(summary.runningHours).toBeCloseTo(50_250 / 3600, 10);
    expect(summary.environments[0]?.tasks).toBe(3);
  });
});
