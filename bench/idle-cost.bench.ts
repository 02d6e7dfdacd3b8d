import { priceFor, type Rate } from '../app/src/cost/price-table.js';
import { DEFAULT_IDLE_SLEEP } from '../app/src/schedules/idle-decision.js';
import type { BenchResult } from './cost-summary.bench.js';

/**
 * What a typical dev environment costs in a month, three ways, from the project's price table
 * (us-east-1): always on at on-demand prices (the baseline: a shared dev server or an ECS service
 * nobody stops), envbot's nightly stop alone, and nightly stop plus idle sleep with wake on
 * request. A model, not a measurement; the assumptions are the constants below.
 */
export interface IdleCostAssumptions {
  vcpu: number;
  memoryGb: number;
  /** Hours of real use per working day, in `sessions` separate stretches. */
  activeHoursPerDay: number;
  sessions: number;
  workdaysPerMonth: number;
  /** Nightly stop only: started by the first user in the morning, stopped by the 20:00 schedule. */
  nightlyRunHoursPerWorkday: number;
  /** Idle sleep: minutes without requests before it sleeps (the dev default). */
  sleepAfterIdleMinutes: number;
  /** Billed time per wake before the app serves (task start + health checks). */
  wakeMinutes: number;
}

export const TYPICAL_DEV: IdleCostAssumptions = {
  vcpu: 0.25,
  memoryGb: 0.5,
  activeHoursPerDay: 4,
  sessions: 2,
  workdaysPerMonth: 22,
  nightlyRunHoursPerWorkday: 11,
  sleepAfterIdleMinutes: DEFAULT_IDLE_SLEEP.dev.sleepAfterIdleMinutes ?? 30,
  wakeMinutes: 1.5,
};

const HOURS_PER_MONTH = 30 * 24;

export interface IdleCostModel {
  alwaysOnDemand: number;
  nightlyStopSpot: number;
  idleSleepSpot: number;
  runHours: { alwaysOn: number; nightly: number; idleSleep: number };
}

export function idleCostModel(a: IdleCostAssumptions = TYPICAL_DEV, region = 'us-east-1'): IdleCostModel {
  const prices = priceFor(region);
  const hourly = (r: Rate) => a.vcpu * r.vcpuHour + a.memoryGb * r.gbHour;
  const nightly = a.nightlyRunHoursPerWorkday * a.workdaysPerMonth;
  // Each session: wake, use, then the idle window before it sleeps again.
  const perSession = a.activeHoursPerDay / a.sessions + (a.sleepAfterIdleMinutes + a.wakeMinutes) / 60;
  const idleSleep = Math.min(nightly, perSession * a.sessions * a.workdaysPerMonth);
  return {
    alwaysOnDemand: HOURS_PER_MONTH * hourly(prices.onDemand),
    // The dev profile runs on Fargate Spot.
    nightlyStopSpot: nightly * hourly(prices.spot),
    idleSleepSpot: idleSleep * hourly(prices.spot),
    runHours: { alwaysOn: HOURS_PER_MONTH, nightly, idleSleep },
  };
}

export async function benchIdleCost(): Promise<BenchResult[]> {
  const m = idleCostModel();
  const pct = (v: number) => Number(((v / m.alwaysOnDemand) * 100).toFixed(1));
  const usd = (v: number) => Number(v.toFixed(2));
  return [
    { name: 'always on, on-demand (0.25 vCPU, 0.5 GB, 720 h)', value: usd(m.alwaysOnDemand), unit: 'USD/month' },
    { name: `nightly stop only, Spot (${m.runHours.nightly} h)`, value: usd(m.nightlyStopSpot), unit: 'USD/month' },
    { name: `idle sleep + wake, Spot (${m.runHours.idleSleep.toFixed(0)} h)`, value: usd(m.idleSleepSpot), unit: 'USD/month' },
    { name: 'nightly stop, % of always-on', value: pct(m.nightlyStopSpot), unit: '%' },
    { name: 'idle sleep + wake, % of always-on', value: pct(m.idleSleepSpot), unit: '%' },
  ];
}
