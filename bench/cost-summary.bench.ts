import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import type { TaskEvent } from '../app/src/environments/task-event.js';
import { foldTaskEvents, type TaskInterval } from '../app/src/environments/task-intervals.js';
import { priceFor } from '../app/src/cost/price-table.js';
import { renderSummaryBlocks, renderSummaryText } from '../app/src/cost/render-summary.js';
import { dailyCosts, summarize, type EnvMeta } from '../app/src/cost/summary.js';
import { lastDays } from '../app/src/cost/summary-schedule.js';
import { renderDailyCostSvg } from '../app/src/cost/chart-svg.js';
import { SIZES, type SizeName } from '../app/src/environments/sizes.js';

/**
 * How long the cost summary takes for 1,000 environments with 30 days of task events.
 *
 * The fleet is synthetic but shaped like envbot's: Spot dev environments that run 09:00–20:00 KST
 * on weekdays (one in ten days interrupted by Spot and replaced), and a few on-demand stages that
 * run around the clock. Figures are medians of several runs after a warm-up. With `endpoint` (a
 * running moto server) it also loads the ledger into DynamoDB and times `allIntervals` for the
 * 30-day window, the read the scheduled summary does.
 */

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
}

const ENVS = 1_000;
const DAYS = 30;
const NOW = new Date('2025-03-31T00:00:00Z');
const WINDOW = { from: new Date(NOW.getTime() - DAYS * 86_400_000), to: NOW };
const HOUR = 3_600_000;
const TZ = 'Asia/Seoul';

export async function benchCostSummary(opts: { endpoint?: string } = {}): Promise<BenchResult[]> {
  const { envs, events } = syntheticFleet();
  const prices = priceFor('us-east-1');
  const results: BenchResult[] = [];

  let intervals: TaskInterval[] = [];
  results.push({ name: 'cost ledger: fold 30 days of task events (1,000 envs)', value: median(5, () => (intervals = foldTaskEvents(events))), unit: 'ms' });
  results.push({ name: 'cost ledger: task events', value: events.length, unit: 'count' });
  results.push({ name: 'cost ledger: running intervals', value: intervals.length, unit: 'count' });

  const input = { intervals, envs, window: WINDOW, now: NOW, prices };
  let summary = summarize(input);
  results.push({ name: 'cost summary: summarize 1,000 envs × 30 days', value: median(7, () => (summary = summarize(input))), unit: 'ms' });
  const render = { title: 'Weekly cost summary', timezone: TZ };
  results.push({
    name: 'cost summary: render Block Kit + text',
    value: median(7, () => {
      renderSummaryBlocks(summary, render);
      renderSummaryText(summary, render);
    }),
    unit: 'ms',
  });
  results.push({
    name: 'cost summary: summarize + render, 1,000 envs × 30 days',
    value: median(7, () => renderSummaryBlocks(summarize(input), render)),
    unit: 'ms',
  });
  const days = lastDays(NOW, TZ, 7);
  results.push({
    name: 'cost chart: 7-day SVG for 1,000 envs',
    value: median(5, () => renderDailyCostSvg(dailyCosts(intervals, days, NOW, prices))),
    unit: 'ms',
  });
  if (opts.endpoint) results.push(...(await benchStore(opts.endpoint, intervals)));
  return results;
}

async function benchStore(endpoint: string, intervals: TaskInterval[]): Promise<BenchResult[]> {
  const { createClients, destroyClients, EMULATOR_CREDENTIALS } = await import('../app/src/aws/clients.js');
  const { ensureTable } = await import('../app/src/aws/store.js');
  const { DynamoCostStore } = await import('../app/src/aws/cost-store.js');
  const clients = createClients({ region: 'us-east-1', endpoint, credentials: EMULATOR_CREDENTIALS });
  try {
    const table = `benchcost${randomBytes(3).toString('hex')}`;
    await ensureTable(clients.dynamo, table);
    const store = new DynamoCostStore(clients.doc, table);
    const loadStart = performance.now();
    await store.importIntervals(intervals);
    const loadMs = performance.now() - loadStart;
    const readStart = performance.now();
    const read = await store.allIntervals(WINDOW.from, WINDOW.to);
    const readMs = performance.now() - readStart;
    if (read.length !== intervals.length) throw new Error(`cost bench: read ${read.length} intervals, wrote ${intervals.length}`);
    return [
      { name: 'cost store: import 30 days of intervals into the emulator', value: round(loadMs), unit: 'ms' },
      { name: 'cost store: allIntervals for 30 days (emulator)', value: round(readMs), unit: 'ms' },
    ];
  } finally {
    destroyClients(clients);
  }
}

/** A deterministic fleet: environments, and the RUNNING/STOPPED events of their tasks. */
export function syntheticFleet(): { envs: EnvMeta[]; events: TaskEvent[] } {
  const random = mulberry32(42);
  const sizes: SizeName[] = ['xs', 'xs', 's', 's', 'm'];
  const envs: EnvMeta[] = [];
  const events: TaskEvent[] = [];
  for (let e = 0; e < ENVS; e++) {
    const name = `feature-${String(e).padStart(4, '0')}`;
    const stage = e % 20 === 0;
    const size = stage ? 'm' : sizes[e % sizes.length]!;
    envs.push({ name, owner: `dev-${String(e % 60).padStart(2, '0')}`, size, createdAt: '2025-01-01T00:00:00.000Z', provider: stage ? 'FARGATE' : 'FARGATE_SPOT' });
    const task = (n: number) => ({ env: name, size, provider: stage ? 'FARGATE' : 'FARGATE_SPOT', id: `${name}-${n}` }) as const;
    if (stage) {
      events.push(...taskEvents(task(0), WINDOW.from.getTime() - 86_400_000, undefined));
      continue;
    }
    let n = 0;
    for (let d = 0; d < DAYS; d++) {
      const day = WINDOW.from.getTime() + d * 86_400_000;
      const weekday = new Date(day).getUTCDay();
      if (weekday === 0 || weekday === 6) continue;
      const start = day + Math.floor(random() * 30) * 60_000; // ~09:00–09:30 KST
      const stop = day + 11 * HOUR; // 20:00 KST nightly stop
      if (random() < 0.1) {
        const cut = start + Math.floor(random() * 8 * HOUR);
        events.push(...taskEvents(task(n++), start, cut), ...taskEvents(task(n++), cut + 90_000, stop));
      } else {
        events.push(...taskEvents(task(n++), start, stop));
      }
    }
  }
  return { envs, events };
}

function taskEvents(t: { env: string; size: SizeName; provider: 'FARGATE' | 'FARGATE_SPOT'; id: string }, start: number, stop: number | undefined): TaskEvent[] {
  const base = {
    taskArn: `arn:aws:ecs:us-east-1:123456789012:task/envbot/${t.id}`,
    clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/envbot',
    env: t.env,
    capacityProvider: t.provider,
    cpu: SIZES[t.size].cpu,
    memory: SIZES[t.size].memory,
    startedAt: new Date(start).toISOString(),
  };
  const out: TaskEvent[] = [{ ...base, id: `${t.id}-run`, at: base.startedAt, lastStatus: 'RUNNING', desiredStatus: 'RUNNING' }];
  if (stop !== undefined) {
    const stoppedAt = new Date(stop).toISOString();
    out.push({ ...base, id: `${t.id}-stop`, at: stoppedAt, lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stoppedAt });
  }
  return out;
}

function median(runs: number, f: () => unknown): number {
  f(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return round(times[Math.floor(times.length / 2)]!);
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
