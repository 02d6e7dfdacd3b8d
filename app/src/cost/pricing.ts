import type { CapacityProvider, Rate, RegionPrices } from './price-table.js';

/**
 * The cost of one stretch of running time. Pure arithmetic, kept in floating point dollars:
 * rounding happens once, when a figure is rendered, so sums of many small intervals don't drift.
 *
 * Fargate bills per second with a one-minute minimum per task. The minimum is not applied here:
 * intervals are clipped to report windows, and applying it to each clipped piece would charge it
 * twice for a task that spans midnight. The error is below one minute per task start
 * (at most $0.0033 for the largest size, `xl`, on demand).
 */
export interface Usage {
  /** vCPUs (ECS cpu units / 1024). */
  vcpu: number;
  /** GB of memory (ECS MiB / 1024). */
  gb: number;
  provider: CapacityProvider;
  seconds: number;
}

export function rateFor(prices: RegionPrices, provider: CapacityProvider): Rate {
  return provider === 'FARGATE_SPOT' ? prices.spot : prices.onDemand;
}

/** Dollars per hour for a task of this size on this provider. */
export function hourlyCost(vcpu: number, gb: number, rate: Rate): number {
  return vcpu * rate.vcpuHour + gb * rate.gbHour;
}

/** What the usage actually cost, on the provider it ran on. */
export function usageCost(usage: Usage, prices: RegionPrices): number {
  if (usage.seconds <= 0) return 0;
  return (hourlyCost(usage.vcpu, usage.gb, rateFor(prices, usage.provider)) * usage.seconds) / 3600;
}

/** What the same usage would have cost on demand: the baseline for "Spot saved". */
export function onDemandCost(usage: Usage, prices: RegionPrices): number {
  return usageCost({ ...usage, provider: 'FARGATE' }, prices);
}

/** ECS task sizes are given in cpu units and MiB; prices are per vCPU and per GB. */
export function vcpuFromUnits(cpuUnits: number): number {
  return cpuUnits / 1024;
}

export function gbFromMiB(memoryMiB: number): number {
  return memoryMiB / 1024;
}
