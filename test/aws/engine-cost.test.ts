import { describe, expect, it } from 'vitest';
import { composeEngine } from '../../app/src/compose.js';
import { startBackgroundJobs } from '../../app/src/background.js';
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
});
