import { performance } from 'node:perf_hooks';
import { CreateServiceCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { pino } from 'pino';
import { createClients, EMULATOR_CREDENTIALS } from '../app/src/aws/clients.js';
import { composeEngine } from '../app/src/compose.js';
import type { EnvironmentRecord } from '../app/src/environments/record.js';
import { ensureSharedInfra } from '../app/src/local/shared-infra.js';
import { criticalPath, instrument } from './aws-instrument.js';
import type { BenchResult } from './cost-summary.bench.js';
import { benchConfig } from './bench-config.js';

const log = pino({ level: process.env.BENCH_LOG ?? 'silent' });

async function setup(endpoint: string, prefix: string, opts: { latencyMs?: number; throttleRate?: number } = {}) {
  const clients = createClients({ region: 'us-east-1', endpoint, credentials: EMULATOR_CREDENTIALS, maxAttempts: 10 });
  const infra = await ensureSharedInfra(clients, { prefix });
  const config = benchConfig(endpoint, infra, prefix, {
    ENVBOT_SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/envbot-scheduler',
    ENVBOT_SCHEDULE_GROUP: infra.scheduleGroup,
    ENVBOT_SCHEDULE_FAILURES_QUEUE_ARN: infra.scheduleFailuresQueueArn,
    ENVBOT_SCHEDULE_FAILURES_QUEUE_URL: infra.scheduleFailuresQueueUrl,
    ENVBOT_MAX_TOTAL: '95',
  });
  const probe = instrument(clients, opts);
  const { engine } = composeEngine({ config, clients, log });
  return { clients, infra, config, engine, probe };
}

const cli = { actor: { id: 'cli:bench', source: 'cli' as const } };

/** `up` of a ready image and `start` after a stop: wall time, calls, sequential round trips. */
export async function benchUpAndResume(endpoint: string, latencyMs = 100): Promise<BenchResult[]> {
  const { engine, probe } = await setup(endpoint, `bup${Date.now() % 100000}`, { latencyMs });
  probe.reset();
  let t0 = performance.now();
  const ack = await engine.runText(cli, 'up bench-up');
  const ackMs = performance.now() - t0;
  await engine.idle();
  const upMs = performance.now() - t0;
  const upCalls = [...probe.calls];
  const status = (await engine.store.get('bench-up'))?.status;
  if (ack.kind !== 'accepted' || status !== 'ready') throw new Error(`up did not converge: ${ack.text} / ${status}`);

  await engine.runText(cli, 'stop bench-up');
  await engine.idle();
  probe.reset();
  t0 = performance.now();
  await engine.runText(cli, 'start bench-up');
  await engine.idle();
  const resumeMs = performance.now() - t0;
  const resumeCalls = [...probe.calls];
  const registered = resumeCalls.filter((c) => c.command === 'RegisterTaskDefinitionCommand').length;
  await engine.stop();
  return [
    { name: `up: command acknowledged (AWS ${latencyMs} ms/call)`, value: round(ackMs), unit: 'ms' },
    { name: `up: command → service steady (AWS ${latencyMs} ms/call)`, value: round(upMs), unit: 'ms' },
    { name: 'up: AWS calls in total', value: upCalls.length, unit: 'calls' },
    { name: 'up: sequential AWS round trips (critical path)', value: criticalPath(upCalls), unit: 'calls' },
    { name: `resume (start after stop) → steady (AWS ${latencyMs} ms/call)`, value: round(resumeMs), unit: 'ms' },
    { name: 'resume: AWS calls in total', value: resumeCalls.length, unit: 'calls' },
    { name: 'resume: sequential AWS round trips (critical path)', value: criticalPath(resumeCalls), unit: 'calls' },
    { name: 'resume: task definitions registered', value: registered, unit: 'count' },
  ];
}

/** 1,000 environments in the store and the emulator: list, resync + orphan sweep, memory. */
export async function benchScale(endpoint: string, count = 1000): Promise<BenchResult[]> {
  const { clients, infra, engine, probe } = await setup(endpoint, `bscale${Date.now() % 100000}`);
  const td = await clients.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'envbot-scale',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [{ name: 'app', image: 'nginx', essential: true }],
    }),
  );
  const now = new Date().toISOString();
  const names = Array.from({ length: count }, (_, i) => `scale-${String(i).padStart(4, '0')}`);
  await inBatches(names, 25, async (name) => {
    const record: EnvironmentRecord = {
      name, owner: `U${names.indexOf(name) % 40}`, branch: name, profile: 'dev', size: 'xs', desired: 'running', status: 'ready',
      source: 'cli', report: {}, createdAt: now, updatedAt: now, touchedAt: now, version: 1, url: `https://${name}.envs.example.com`,
    };
    await engine.store.create(record);
    await clients.ecs.send(
      new CreateServiceCommand({
        cluster: infra.cluster, serviceName: `envbot-${name}`, taskDefinition: td.taskDefinition!.taskDefinitionArn, desiredCount: 1,
        tags: [{ key: 'envbot:managed', value: 'true' }, { key: 'envbot:env', value: name }],
      }),
    );
  });
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  probe.reset();
  let t0 = performance.now();
  const list = await engine.runText(cli, 'list');
  const listMs = performance.now() - t0;
  const listCalls = probe.calls.length;
  probe.reset();
  t0 = performance.now();
  const report = await engine.resync.runOnce();
  const resyncMs = performance.now() - t0;
  const resyncCalls = [...probe.calls];
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  if ((list.records?.length ?? 0) !== count || report.records !== count) throw new Error('scale setup incomplete');
  await engine.stop();
  return [
    { name: `scale: list of ${count} environments`, value: round(listMs), unit: 'ms' },
    { name: 'scale: list — AWS calls (DynamoDB query pages)', value: listCalls, unit: 'calls' },
    { name: `scale: resync + orphan sweep of ${count}`, value: round(resyncMs), unit: 'ms' },
    { name: 'scale: resync — DescribeServices calls (10 per call)', value: resyncCalls.filter((c) => c.command === 'DescribeServicesCommand').length, unit: 'calls' },
    { name: 'scale: resync — AWS calls in total', value: resyncCalls.length, unit: 'calls' },
    { name: 'scale: bot peak RSS during list + resync', value: Math.round(peak / 1048576), unit: 'MiB' },
  ];
}

/**
 * Simultaneous `up`s while a share of AWS calls is throttled: time until all are ready. 90, not
 * 100: an ALB holds 100 rules and envbot caps environments at 95 (ENVBOT_MAX_TOTAL).
 */
export async function benchThrottled(endpoint: string, count = 60, throttleRate = 0.2): Promise<BenchResult[]> {
  const { engine, probe } = await setup(endpoint, `bthr${Date.now() % 100000}`, { latencyMs: 20, throttleRate });
  const t0 = performance.now();
  await Promise.all(Array.from({ length: count }, (_, i) => engine.runText(cli, `up thr-${i}`)));
  await engine.idle();
  const ms = performance.now() - t0;
  const records = await engine.store.list();
  const ready = records.filter((r) => r.status === 'ready').length;
  for (const r of records.filter((x) => x.status !== 'ready')) process.stderr.write(`  not ready: ${r.name} ${r.status} ${r.statusReason ?? ''}\n`);
  const throttled = probe.calls.filter((c) => c.command.endsWith('(throttled)')).length;
  await engine.stop();
  return [
    { name: `throttling: ${count} simultaneous up, ${throttleRate * 100}% throttled → all settled`, value: round(ms), unit: 'ms' },
    { name: 'throttling: environments ready', value: ready, unit: `of ${count}` },
    { name: 'throttling: calls answered with ThrottlingException', value: throttled, unit: 'calls' },
  ];
}

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

const round = (n: number) => Math.round(n);
