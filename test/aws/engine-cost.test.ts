import { describe, expect, it } from 'vitest';
import { composeEngine } from '../../app/src/compose.js';
import { IDLE_SLEEP_ACTOR, startBackgroundJobs } from '../../app/src/background.js';
import type { TaskEvent } from '../../app/src/environments/task-event.js';
import { configFor, silentLog, slackUser } from '../support/engine-fixture.js';
import { emulatorClients, sharedInfra } from '../support/aws-fixture.js';

const task = (id: string, over: Partial<TaskEvent>): TaskEvent => ({
  id,
  at: '2026-11-23T09:00:00Z',
  taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/envbot/t1',
  clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/envbot',
  env: 'costly',
  lastStatus: 'RUNNING',
  desiredStatus: 'RUNNING',
  capacityProvider: 'FARGATE_SPOT',
  cpu: 256,
  memory: 512,
  startedAt: '2026-11-23T09:00:00Z',
  ...over,
});

describe('cost through the engine', () => {
  it('task events feed the ledger; `cost` and `status` show the spend', async () => {
    const clients = emulatorClients();
    const infra = await sharedInfra(clients, 'cost');
    const config = configFor(infra);
    let now = new Date('2026-11-23T09:00:00Z');
    const { engine, cost } = composeEngine({ config, clients, log: silentLog, sleep: async () => {}, now: () => now });
    const jobs = startBackgroundJobs({ engine, config, clients, log: silentLog, taskEventHooks: [cost.onTaskEvent], now: () => now });
    await engine.runText(slackUser('U1'), 'up costly');
    await engine.idle();
    await engine.store.mutate('costly', (r) => ({ ...r, createdAt: '2026-11-23T08:00:00.000Z' }));

    // 0.25 vCPU / 0.5 GB on Spot for 9 h in us-east-1: 9 × (0.25 × 0.01334058 + 0.5 × 0.00146489) = $0.0366
    await jobs.taskEvents!.handle(task('e1', {}));
    await jobs.taskEvents!.handle(task('e2', { at: '2026-11-23T18:00:00Z', lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stoppedAt: '2026-11-23T18:00:00Z', stopCode: 'ServiceSchedulerInitiated' }));
    await jobs.taskEvents!.handle(task('e2', { at: '2026-11-23T18:00:00Z', lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stoppedAt: '2026-11-23T18:00:00Z' }));
    now = new Date('2026-11-23T20:00:00Z');

    expect(await cost.costSoFar('costly', now)).toBeCloseTo(0.03660831, 6);
    const text = (await engine.runText(slackUser('U1'), 'cost costly')).text;
    expect(text.split('\n')[0]).toBe('costly (owner slack:U1): $0.04 · 9.0 h running · 1 task');
    expect((await engine.runText(slackUser('U1'), 'status costly')).text).toContain('Cost so far: $0.04');
    await jobs.stop();
    await engine.stop();
  });

  it('an environment put to sleep by the idle path shows "Sleep saved" for the hours it slept', async () => {
    const clients = emulatorClients();
    const infra = await sharedInfra(clients, 'sleepcost');
    const config = configFor(infra);
    let now = new Date('2026-11-23T09:00:00Z');
    const { engine, cost } = composeEngine({ config, clients, log: silentLog, sleep: async () => {}, now: () => now });
    const jobs = startBackgroundJobs({ engine, config, clients, log: silentLog, taskEventHooks: [cost.onTaskEvent], now: () => now });
    await engine.runText(slackUser('U1'), 'up sleepy');
    await engine.idle();
    await engine.store.mutate('sleepy', (r) => ({ ...r, createdAt: '2026-11-23T08:00:00.000Z', startedAt: '2026-11-23T09:00:00.000Z' }));
    const sleepy = (over: Partial<TaskEvent>) => task(over.id ?? 's1', { env: 'sleepy', taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/envbot/s1', ...over });
    await jobs.taskEvents!.handle(sleepy({ id: 's1' }));

    // Idle from 11:00: the idle-sleep job stops it at 12:00 through the command layer, like in production.
    now = new Date('2026-11-23T12:00:00Z');
    const stopped = await engine.run({ actor: IDLE_SLEEP_ACTOR }, { verb: 'stop', name: 'sleepy', reason: 'idle' });
    expect(stopped.kind).not.toBe('error');
    await engine.idle();
    const stop = sleepy({ id: 's2', at: '2026-11-23T12:00:00Z', lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stoppedAt: '2026-11-23T12:00:00Z', stopCode: 'ServiceSchedulerInitiated' });
    await jobs.taskEvents!.handle(stop);
    await jobs.taskEvents!.handle(stop); // SQS redelivers: the sleep counts once
    now = new Date('2026-11-23T17:00:00Z');

    // Always-on hourly on Spot: 0.25 × 0.01334058 + 0.5 × 0.00146489 = $0.00406759; asleep 12:00–17:00 = 5 h.
    const summary = await cost.summary({ from: new Date('2026-11-23T00:00:00Z'), to: now }, now);
    const env = summary.environments.find((e) => e.env === 'sleepy')!;
    expect(env.sleepSavings).toBeCloseTo(5 * 0.00406759, 6);
    expect(env.autoStopSavings).toBeCloseTo(1 * 0.00406759, 6); // 08:00–09:00, created but not yet running
    expect((await engine.runText(slackUser('U1'), 'cost')).text).toContain('Sleep saved: $0.02');
    await jobs.stop();
    await engine.stop();
  });
});
