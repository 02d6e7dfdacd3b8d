import { beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoCostStore } from '../../app/src/aws/cost-store.js';
import { ensureTable, TTL_ATTRIBUTE } from '../../app/src/aws/store.js';
import type { TaskEvent } from '../../app/src/environments/task-event.js';
import { foldTaskEvents } from '../../app/src/environments/task-intervals.js';
import { priceFor } from '../../app/src/cost/price-table.js';
import { summarize } from '../../app/src/cost/summary.js';
import { emulatorClients, uniquePrefix } from '../support/aws-fixture.js';

const clients = emulatorClients();
const table = uniquePrefix('cost');
const store = new DynamoCostStore(clients.doc, table);

let seq = 0;
function event(env: string | undefined, task: string, over: Partial<TaskEvent>): TaskEvent {
  return {
    id: `ev-${++seq}`,
    at: '2025-03-03T00:00:00.000Z',
    taskArn: `arn:aws:ecs:us-east-1:123456789012:task/envbot/${task}`,
    clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/envbot',
    ...(env && { env }),
    lastStatus: 'RUNNING',
    desiredStatus: 'RUNNING',
    capacityProvider: 'FARGATE_SPOT',
    cpu: 256,
    memory: 512,
    ...over,
  };
}

function running(env: string, task: string, startedAt: string): TaskEvent {
  return event(env, task, { at: startedAt, startedAt });
}

function stopped(env: string, task: string, startedAt: string, stoppedAt: string, over: Partial<TaskEvent> = {}): TaskEvent {
  return event(env, task, { at: stoppedAt, lastStatus: 'STOPPED', desiredStatus: 'STOPPED', startedAt, stoppedAt, ...over });
}

async function openCopies(): Promise<string[]> {
  const res = await clients.doc.send(
    new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'COSTOPEN' } }),
  );
  return (res.Items ?? []).map((i) => String(i.sk));
}

beforeAll(async () => {
  await ensureTable(clients.dynamo, table);
});

describe('cost ledger in DynamoDB', () => {
  it('records a start and a stop once, however often SQS delivers them', async () => {
    const start = running('alpha', 'a1', '2025-03-03T00:00:00.000Z');
    const stop = stopped('alpha', 'a1', '2025-03-03T00:00:00.000Z', '2025-03-03T09:00:00.000Z', { stopCode: 'ServiceSchedulerInitiated' });
    expect(await store.recordEvent(start, 'alice')).toBe('started');
    expect(await store.recordEvent(start, 'alice')).toBe('unchanged');
    expect(await openCopies()).toContain('alpha#2025-03-03T00:00:00.000Z#a1');
    expect(await store.recordEvent(stop, 'alice')).toBe('stopped');
    expect(await store.recordEvent(stop, 'alice')).toBe('unchanged');
    expect(await store.recordEvent({ ...stop, id: 're-emitted' }, 'alice')).toBe('unchanged');
    expect(await openCopies()).not.toContain('alpha#2025-03-03T00:00:00.000Z#a1');

    const intervals = await store.intervals('alpha', new Date('2025-03-03T00:00:00Z'), new Date('2025-03-04T00:00:00Z'));
    expect(intervals).toEqual([
      {
        env: 'alpha',
        owner: 'alice',
        taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/envbot/a1',
        taskId: 'a1',
        cpu: 256,
        memory: 512,
        provider: 'FARGATE_SPOT',
        startedAt: '2025-03-03T00:00:00.000Z',
        stoppedAt: '2025-03-03T09:00:00.000Z',
      },
    ]);
  });

  it('keeps the item layout pk COST#<env> / sk <startedAt>#<taskId> with a ~400-day TTL', async () => {
    const item = await clients.doc.send(
      new GetCommand({ TableName: table, Key: { pk: 'COST#alpha', sk: '2025-03-03T00:00:00.000Z#a1' } }),
    );
    expect(item.Item).toMatchObject({ env: 'alpha', owner: 'alice', cpu: 256, memory: 512, provider: 'FARGATE_SPOT' });
    expect(item.Item?.[TTL_ATTRIBUTE]).toBe(Date.parse('2025-03-03T00:00:00Z') / 1000 + 400 * 86_400);
  });

  it('handles a stop that overtakes its start, leaving no open copy behind', async () => {
    const startedAt = '2025-03-03T01:00:00.000Z';
    expect(await store.recordEvent(stopped('beta', 'b1', startedAt, '2025-03-03T02:00:00.000Z'), 'bob')).toBe('stopped');
    expect(await store.recordEvent(running('beta', 'b1', startedAt), 'bob')).toBe('unchanged');
    expect(await openCopies()).not.toContain(`beta#${startedAt}#b1`);
    const [b1] = await store.intervals('beta', new Date('2025-03-03T00:00:00Z'), new Date('2025-03-04T00:00:00Z'));
    expect(b1).toMatchObject({ startedAt, stoppedAt: '2025-03-03T02:00:00.000Z', owner: 'bob' });
  });

  it('never double-counts a stop delivered concurrently', async () => {
    const startedAt = '2025-03-03T03:00:00.000Z';
    await store.recordEvent(running('gamma', 'g1', startedAt));
    const stop = stopped('gamma', 'g1', startedAt, '2025-03-03T04:00:00.000Z');
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => store.recordEvent(stop)));
    // DynamoDB serialises the conditional transactions, so exactly one delivery reports 'stopped'
    // (a conflicting one fails and SQS retries it). moto does not serialise concurrent requests,
    // so here only the outcome that matters is asserted: the data is keyed by task, not by
    // delivery, so however many report 'stopped' the ledger holds one one-hour interval.
    expect(outcomes.some((o) => o.status === 'fulfilled' && o.value === 'stopped')).toBe(true);
    const gamma = await store.intervals('gamma', new Date('2025-03-03T00:00:00Z'), new Date('2025-03-04T00:00:00Z'));
    expect(gamma.map((i) => [i.taskId, i.startedAt, i.stoppedAt])).toEqual([['g1', startedAt, '2025-03-03T04:00:00.000Z']]);
    expect(await openCopies()).not.toContain(`gamma#${startedAt}#g1`);
    expect(await store.recordEvent(stop)).toBe('unchanged');
  });

  it('ignores foreign tasks and tasks that never started', async () => {
    expect(await store.recordEvent(event(undefined, 'x1', { startedAt: '2025-03-03T00:00:00.000Z' }))).toBe('ignored');
    expect(
      await store.recordEvent(event('alpha', 'x2', { lastStatus: 'STOPPED', stopCode: 'TaskFailedToStart', stoppedAt: '2025-03-03T00:00:00.000Z' })),
    ).toBe('ignored');
  });

  it('answers window queries per environment', async () => {
    await store.recordEvent(running('delta', 'd1', '2025-03-01T00:00:00.000Z'));
    await store.recordEvent(stopped('delta', 'd1', '2025-03-01T00:00:00.000Z', '2025-03-01T09:00:00.000Z'));
    await store.recordEvent(running('delta', 'd2', '2025-03-02T22:00:00.000Z'));
    await store.recordEvent(stopped('delta', 'd2', '2025-03-02T22:00:00.000Z', '2025-03-03T02:00:00.000Z'));
    await store.recordEvent(running('delta', 'd3', '2025-03-03T12:00:00.000Z')); // still running
    await store.recordEvent(running('delta', 'd4', '2025-03-05T00:00:00.000Z'));
    const ids = async (from: string, to: string) => (await store.intervals('delta', new Date(from), new Date(to))).map((i) => i.taskId);
    expect(await ids('2025-03-03T00:00:00Z', '2025-03-04T00:00:00Z')).toEqual(['d2', 'd3']);
    expect(await ids('2025-03-01T00:00:00Z', '2025-03-02T00:00:00Z')).toEqual(['d1']);
    expect(await ids('2025-03-01T09:00:00Z', '2025-03-02T22:00:00Z')).toEqual([]);
    expect(await ids('2025-03-04T00:00:00Z', '2025-03-06T00:00:00Z')).toEqual(['d3', 'd4']);
  });

  it('reads the whole fleet for a window from day partitions, each interval once', async () => {
    const from = new Date('2025-03-03T00:00:00Z');
    const to = new Date('2025-03-04T00:00:00Z');
    const all = await store.allIntervals(from, to);
    // alpha a1, beta b1, gamma g1, delta d2 (from the 2nd, spans midnight) and d3 (open).
    expect(all.map((i) => `${i.env}/${i.taskId}`)).toEqual(['delta/d2', 'alpha/a1', 'beta/b1', 'gamma/g1', 'delta/d3']);
    // A three-day task lands in three day partitions and still comes back once.
    await store.recordEvent(running('epsilon', 'e1', '2025-03-02T20:00:00.000Z'));
    await store.recordEvent(stopped('epsilon', 'e1', '2025-03-02T20:00:00.000Z', '2025-03-04T02:00:00.000Z'));
    const wide = await store.allIntervals(new Date('2025-03-02T00:00:00Z'), new Date('2025-03-05T00:00:00Z'));
    expect(wide.filter((i) => i.taskId === 'e1')).toHaveLength(1);
  });

  it('gives the same summary as folding the events in memory', async () => {
    const events = [
      running('zeta', 'z1', '2025-03-10T00:00:00.000Z'),
      stopped('zeta', 'z1', '2025-03-10T00:00:00.000Z', '2025-03-10T04:00:00.000Z', { stopCode: 'SpotInterruption' }),
      running('zeta', 'z2', '2025-03-10T04:01:00.000Z'),
      stopped('zeta', 'z2', '2025-03-10T04:01:00.000Z', '2025-03-10T11:00:00.000Z'),
      running('eta', 'h1', '2025-03-10T08:00:00.000Z'),
    ];
    for (const e of [...events].reverse()) await store.recordEvent(e);
    const window = { from: new Date('2025-03-10T00:00:00Z'), to: new Date('2025-03-11T00:00:00Z') };
    const now = new Date('2025-03-10T12:00:00Z');
    const prices = priceFor('us-east-1');
    // Other tests left tasks running in this table; compare this test's environments only.
    const mine = (await store.allIntervals(window.from, window.to)).filter((i) => i.env === 'zeta' || i.env === 'eta');
    const fromStore = summarize({ intervals: mine, envs: [], window, now, prices });
    const inMemory = summarize({ intervals: foldTaskEvents(events), envs: [], window, now, prices });
    expect(fromStore).toEqual(inMemory);
    // zeta: 4 h + 6 h 59 min; eta: 4 h open → 14 h 59 min of 0.25 vCPU / 0.5 GB Spot.
    expect(fromStore.runningHours).toBeCloseTo(14 + 59 / 60, 10);
  });

  it('bulk-imports intervals idempotently', async () => {
    const intervals = foldTaskEvents([
      stopped('theta', 't1', '2025-04-01T00:00:00.000Z', '2025-04-01T09:00:00.000Z'),
      running('theta', 't2', '2025-04-02T00:00:00.000Z'),
    ]);
    await store.importIntervals(intervals);
    await store.importIntervals(intervals);
    const got = await store.allIntervals(new Date('2025-04-01T00:00:00Z'), new Date('2025-04-03T00:00:00Z'));
    expect(got.filter((i) => i.env === 'theta')).toEqual(intervals);
  });

  it('keeps idle-sleep instants once per task, including a sleep that began before the window, and none after it', async () => {
    await store.recordSleep('iota', '2025-05-02T18:00:00.000Z', 't-sleep-1');
    await store.recordSleep('iota', '2025-05-02T18:00:00.000Z', 't-sleep-1'); // redelivered event
    await store.recordSleep('iota', '2025-05-10T12:00:00.000Z', 't-sleep-2');
    await store.recordSleep('iota', '2025-05-12T12:00:00.000Z', 't-sleep-3'); // after the window
    const sleeps = await store.sleepStarts(new Date('2025-05-09T00:00:00Z'), new Date('2025-05-11T00:00:00Z'));
    expect(sleeps.get('iota')?.sort()).toEqual(['2025-05-02T18:00:00.000Z', '2025-05-10T12:00:00.000Z']);
  });
});
