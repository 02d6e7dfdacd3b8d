import { SIZES, type SizeName } from '../environments/sizes.js';
import { clipInterval, clipMs, intervalMs, type CostWindow, type TaskInterval } from '../environments/task-intervals.js';
import type { CapacityProvider, RegionPrices } from './price-table.js';
import { gbFromMiB, hourlyCost, onDemandCost, rateFor, usageCost, vcpuFromUnits } from './pricing.js';
import { asleepSeconds } from './sleep-savings.js';

/**
 * Cost summary for a window: what each environment and each owner spent, and what two choices
 * saved. All figures are dollars of Fargate compute (vCPU + memory); see price-table.ts.
 *
 * Definitions (per environment E, window W = [from, to), clipped to `now`):
 *
 * - cost: Σ over E's task intervals of (the part inside W) × (price of the provider it ran on).
 * - Spot savings: Σ of the same intervals priced on demand, minus cost. Never negative, because
 *   an interval that ran on demand contributes the same amount to both terms.
 * - existence: the part of W during which E existed: from max(W.from, createdAt) to
 *   min(W.to, now, deletedAt). Without a record (E was deleted and forgotten), from its first
 *   task start in W to its last task stop (or `now` if a task still runs).
 * - always-on cost: one task of E's size (its record's size, else its latest task's size)
 *   running for the whole existence, on the provider E ran on for most of its running time in W
 *   (if it never ran in W: the record's preferred provider, default FARGATE_SPOT). Using E's own
 *   provider keeps the Spot saving out of this figure, so the two savings never double count.
 * - auto-stop savings: max(0, always-on cost − cost). This is the saving from not running
 *   around the clock, whether the nightly schedule or a person stopped E. It is floored at zero
 *   because a rolling deploy briefly runs two tasks and can cost more than one always-on task.
 * - sleep savings: the part of the auto-stop savings earned while E was asleep (idle sleep, see
 *   sleep-savings.ts): always-on hourly price × asleep hours in W, capped at the auto-stop savings;
 *   the auto-stop savings then keep the rest, so the two add up to always-on cost − cost.
 * - running hours: task-hours inside W (two tasks for one hour = 2 h).
 */

export interface EnvMeta {
  name: string;
  owner: string;
  size?: SizeName;
  createdAt?: string;
  deletedAt?: string;
  /** Preferred provider of the environment's profile, for the always-on baseline. */
  provider?: CapacityProvider;
  /** Instants the idle-sleep job put it to sleep (ISO), for "sleep saved". */
  sleepStarts?: string[];
}

export interface EnvCost {
  env: string;
  owner: string;
  cost: number;
  onDemandCost: number;
  spotSavings: number;
  alwaysOnCost: number;
  autoStopSavings: number;
  sleepSavings: number;
  runningHours: number;
  tasks: number;
}

export interface OwnerCost {
  owner: string;
  cost: number;
  envs: number;
  runningHours: number;
  spotSavings: number;
  autoStopSavings: number;
  sleepSavings: number;
}

export interface CostSummary {
  window: { from: string; to: string };
  now: string;
  region: string;
  priceAsOf: string;
  total: number;
  onDemandTotal: number;
  spotSavings: number;
  alwaysOnTotal: number;
  autoStopSavings: number;
  sleepSavings: number;
  runningHours: number;
  /** Most expensive first; ties by name. Includes environments that existed but never ran. */
  environments: EnvCost[];
  owners: OwnerCost[];
}

export interface SummaryInput {
  intervals: readonly TaskInterval[];
  envs: readonly EnvMeta[];
  window: CostWindow;
  now: Date;
  prices: RegionPrices;
}

export const UNKNOWN_OWNER = 'unknown';

export function summarize(input: SummaryInput): CostSummary {
  const metaByName = new Map(input.envs.map((e) => [e.name, e]));
  const intervalsByEnv = groupByEnv(input.intervals);
  const names = new Set<string>([...intervalsByEnv.keys()]);
  for (const meta of input.envs) if (existence(meta, [], input.window, input.now) > 0) names.add(meta.name);
  const environments = [...names]
    .map((name) => envCost(name, metaByName.get(name), intervalsByEnv.get(name) ?? [], input))
    .filter((e) => e.cost > 0 || e.alwaysOnCost > 0)
    .sort(byCostThenName((e) => e.env));
  return {
    window: { from: input.window.from.toISOString(), to: input.window.to.toISOString() },
    now: input.now.toISOString(),
    region: input.prices.region,
    priceAsOf: input.prices.asOf,
    total: sum(environments, (e) => e.cost),
    onDemandTotal: sum(environments, (e) => e.onDemandCost),
    spotSavings: sum(environments, (e) => e.spotSavings),
    alwaysOnTotal: sum(environments, (e) => e.alwaysOnCost),
    autoStopSavings: sum(environments, (e) => e.autoStopSavings),
    sleepSavings: sum(environments, (e) => e.sleepSavings),
    runningHours: sum(environments, (e) => e.runningHours),
    environments,
    owners: ownerCosts(environments),
  };
}

function envCost(name: string, meta: EnvMeta | undefined, intervals: readonly TaskInterval[], input: SummaryInput): EnvCost {
  let cost = 0;
  let onDemand = 0;
  let seconds = 0;
  let tasks = 0;
  const secondsByProvider = { FARGATE: 0, FARGATE_SPOT: 0 };
  for (const interval of intervals) {
    const clipped = clipInterval(interval, input.window, input.now);
    if (!clipped) continue;
    const usage = { vcpu: vcpuFromUnits(interval.cpu), gb: gbFromMiB(interval.memory), provider: interval.provider, seconds: clipped.seconds };
    cost += usageCost(usage, input.prices);
    onDemand += onDemandCost(usage, input.prices);
    seconds += clipped.seconds;
    secondsByProvider[interval.provider] += clipped.seconds;
    tasks++;
  }
  const { cost: alwaysOnCost, hourly } = alwaysOn(meta, intervals, secondsByProvider, input);
  const stopSavings = Math.max(0, alwaysOnCost - cost);
  const sleepSavings = Math.min(stopSavings, (hourly * asleepSeconds(meta?.sleepStarts ?? [], intervals, input.window, input.now)) / 3600);
  return {
    env: name,
    owner: meta?.owner ?? intervals.find((i) => i.owner)?.owner ?? UNKNOWN_OWNER,
    cost,
    onDemandCost: onDemand,
    spotSavings: Math.max(0, onDemand - cost),
    alwaysOnCost,
    autoStopSavings: stopSavings - sleepSavings,
    sleepSavings,
    runningHours: seconds / 3600,
    tasks,
  };
}

function alwaysOn(
  meta: EnvMeta | undefined,
  intervals: readonly TaskInterval[],
  secondsByProvider: Record<CapacityProvider, number>,
  input: SummaryInput,
): { cost: number; hourly: number } {
  const existedSeconds = existence(meta, intervals, input.window, input.now);
  if (existedSeconds <= 0) return { cost: 0, hourly: 0 };
  const size = sizeOf(meta, intervals);
  if (!size) return { cost: 0, hourly: 0 };
  const ran = secondsByProvider.FARGATE + secondsByProvider.FARGATE_SPOT;
  const provider: CapacityProvider =
    ran > 0 ? (secondsByProvider.FARGATE > secondsByProvider.FARGATE_SPOT ? 'FARGATE' : 'FARGATE_SPOT') : (meta?.provider ?? 'FARGATE_SPOT');
  const hourly = hourlyCost(vcpuFromUnits(size.cpu), gbFromMiB(size.memory), rateFor(input.prices, provider));
  return { cost: (hourly * existedSeconds) / 3600, hourly };
}

/** Seconds of the window during which the environment existed (see the definitions above). */
function existence(meta: EnvMeta | undefined, intervals: readonly TaskInterval[], window: CostWindow, now: Date): number {
  let start: number;
  let end: number;
  if (meta) {
    start = meta.createdAt ? Date.parse(meta.createdAt) : -Infinity;
    end = meta.deletedAt ? Date.parse(meta.deletedAt) : Infinity;
  } else {
    if (intervals.length === 0) return 0;
    start = Math.min(...intervals.map((i) => Date.parse(i.startedAt)));
    end = Math.max(...intervals.map((i) => (i.stoppedAt ? Date.parse(i.stoppedAt) : now.getTime())));
  }
  const from = Math.max(start, window.from.getTime());
  const to = Math.min(end, window.to.getTime(), now.getTime());
  return to > from ? (to - from) / 1000 : 0;
}

function sizeOf(meta: EnvMeta | undefined, intervals: readonly TaskInterval[]): { cpu: number; memory: number } | undefined {
  if (meta?.size) return SIZES[meta.size];
  let latest: TaskInterval | undefined;
  for (const i of intervals) if (!latest || Date.parse(i.startedAt) > Date.parse(latest.startedAt)) latest = i;
  return latest && { cpu: latest.cpu, memory: latest.memory };
}

function ownerCosts(environments: readonly EnvCost[]): OwnerCost[] {
  const byOwner = new Map<string, OwnerCost>();
  for (const e of environments) {
    const o = byOwner.get(e.owner) ?? { owner: e.owner, cost: 0, envs: 0, runningHours: 0, spotSavings: 0, autoStopSavings: 0, sleepSavings: 0 };
    o.cost += e.cost;
    o.envs++;
    o.runningHours += e.runningHours;
    o.spotSavings += e.spotSavings;
    o.autoStopSavings += e.autoStopSavings;
    o.sleepSavings += e.sleepSavings;
    byOwner.set(e.owner, o);
  }
  return [...byOwner.values()].sort(byCostThenName((o) => o.owner));
}

function groupByEnv(intervals: readonly TaskInterval[]): Map<string, TaskInterval[]> {
  const out = new Map<string, TaskInterval[]>();
  for (const i of intervals) {
    const list = out.get(i.env);
    if (list) list.push(i);
    else out.set(i.env, [i]);
  }
  return out;
}

function byCostThenName<T extends { cost: number }>(name: (t: T) => string): (a: T, b: T) => number {
  return (a, b) => b.cost - a.cost || (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0);
}

function sum<T>(items: readonly T[], f: (t: T) => number): number {
  let total = 0;
  for (const item of items) total += f(item);
  return total;
}

/** Cost per environment per day, for the dashboard chart: `days` are consecutive windows. */
export interface DailyCosts {
  days: string[];
  series: { env: string; values: number[] }[];
}

/**
 * Per-day cost of each environment. `days` carries a label and a window per day (the caller
 * decides the timezone; see `lastDays` in summary-schedule.ts). The `top` most expensive
 * environments keep their own series; the rest are summed into one series named `other`.
 */
export function dailyCosts(
  intervals: readonly TaskInterval[],
  days: readonly { label: string; window: CostWindow }[],
  now: Date,
  prices: RegionPrices,
  top = 8,
): DailyCosts {
  const byEnv = new Map<string, number[]>();
  const first = days[0]?.window.from.getTime() ?? 0;
  const last = days[days.length - 1]?.window.to.getTime() ?? 0;
  for (const interval of intervals) {
    const { startMs, endMs } = intervalMs(interval, now);
    if (endMs <= first || startMs >= last) continue;
    days.forEach((day, index) => {
      const clipped = clipMs(startMs, endMs, day.window);
      if (!clipped) return;
      const usage = { vcpu: vcpuFromUnits(interval.cpu), gb: gbFromMiB(interval.memory), provider: interval.provider, seconds: clipped.seconds };
      const values = byEnv.get(interval.env) ?? new Array<number>(days.length).fill(0);
      values[index] = (values[index] ?? 0) + usageCost(usage, prices);
      byEnv.set(interval.env, values);
    });
  }
  const ranked = [...byEnv.entries()]
    .map(([env, values]) => ({ env, values, cost: values.reduce((a, b) => a + b, 0) }))
    .sort(byCostThenName((s) => s.env));
  const series = ranked.slice(0, top).map(({ env, values }) => ({ env, values }));
  const rest = ranked.slice(top);
  if (rest.length > 0) {
    series.push({ env: 'other', values: days.map((_, i) => rest.reduce((a, s) => a + (s.values[i] ?? 0), 0)) });
  }
  return { days: days.map((d) => d.label), series };
}
