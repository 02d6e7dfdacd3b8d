import { z } from 'zod';

/**
 * Fargate Linux/x86 prices per region, in USD, for ECS tasks. Each region carries the date its
 * figures were read and where from, because Spot prices move ("adjusted gradually based on
 * long-term trends in supply and demand", aws.amazon.com/fargate/pricing) and a cost report is
 * only as good as the date printed under it. Anything here can be replaced from config
 * (see `PriceOverrides`), which is the way out for new regions and for fresher Spot figures.
 *
 * Ephemeral storage above the free 20 GB, data transfer, the ALB and public IPv4 addresses are not
 * priced: envbot's tasks use the default storage and the ALB is shared, so the ledger reports
 * compute only and says so in every summary.
 */

import type { CapacityProvider } from '../environments/task-intervals.js';

export type { CapacityProvider };

/** Dollars per vCPU-hour and per GB-hour (GB = GiB of task memory, as AWS bills it). */
export interface Rate {
  vcpuHour: number;
  gbHour: number;
}

export interface RegionPrices {
  region: string;
  /** When the figures were read (YYYY-MM-DD, or YYYY-MM / YYYY when the source is no more precise). */
  asOf: string;
  source: string;
  onDemand: Rate;
  spot: Rate;
}

/**
 * On-demand Linux/x86 prices have been stable since the January 2019 Fargate price cut; Spot
 * figures are snapshots of the "Current Spot price" table on aws.amazon.com/fargate/pricing.
 */
export const PRICE_TABLE: Readonly<Record<string, RegionPrices>> = {
  'us-east-1': {
    region: 'us-east-1',
    // On-demand: aws.amazon.com/fargate/pricing, restated by vantage.sh/blog/fargate-pricing and
    // wring.co/blog/aws-fargate-pricing-guide (March 2026). Spot: the pricing page's Spot table as
    // quoted in public projects during 2024–2025 (0.01334058 / 0.00146489; tomgregory.com's
    // Spot comparison quotes 0.01334053 / 0.00146489). No source pins a day, so only the year is given.
    asOf: '2025',
    source: 'aws.amazon.com/fargate/pricing (Spot table as quoted 2024-2025)',
    onDemand: { vcpuHour: 0.04048, gbHour: 0.004445 },
    spot: { vcpuHour: 0.01334058, gbHour: 0.00146489 },
  },
  'us-west-2': {
    region: 'us-west-2',
    // Snapshot of the AWS pricing page taken 2021-01-09 (github.com/theuves/fgcalc src/utils/data.js).
    asOf: '2021-01-09',
    source: 'aws.amazon.com/fargate/pricing via github.com/theuves/fgcalc',
    onDemand: { vcpuHour: 0.04048, gbHour: 0.004445 },
    spot: { vcpuHour: 0.01269464, gbHour: 0.00139396 },
  },
  'eu-west-1': {
    region: 'eu-west-1',
    // Same 2021-01-09 snapshot; on-demand also confirmed by tomgregory.com's eu-west-1 comparison.
    asOf: '2021-01-09',
    source: 'aws.amazon.com/fargate/pricing via github.com/theuves/fgcalc',
    onDemand: { vcpuHour: 0.04048, gbHour: 0.004445 },
    spot: { vcpuHour: 0.01257825, gbHour: 0.00138118 },
  },
  'ap-northeast-2': {
    region: 'ap-northeast-2',
    // Same 2021-01-09 snapshot. velog.io/@xgro/fargatespot read the page on 2023-01-30: on-demand
    // unchanged (0.04656 / 0.00511), Spot vCPU 0.01412301 (under 1% from this figure).
    asOf: '2021-01-09',
    source: 'aws.amazon.com/fargate/pricing via github.com/theuves/fgcalc',
    onDemand: { vcpuHour: 0.04656, gbHour: 0.00511 },
    spot: { vcpuHour: 0.01422902, gbHour: 0.00156165 },
  },
};

export const KNOWN_REGIONS = Object.keys(PRICE_TABLE).sort();

/** Where the lead's config schema is expected to keep overrides (the error message names it). */
export const PRICE_OVERRIDE_CONFIG_KEY = 'cost.prices';

const rateSchema = z.object({ vcpuHour: z.number().positive(), gbHour: z.number().positive() });

/** Per region; any field may be given. A region missing from the table needs both rates. */
export const priceOverrideSchema = z.object({
  asOf: z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'a date YYYY-MM-DD').optional(),
  source: z.string().optional(),
  onDemand: rateSchema.partial().optional(),
  spot: rateSchema.partial().optional(),
});
export const priceOverridesSchema = z.record(z.string(), priceOverrideSchema);

export type PriceOverride = z.infer<typeof priceOverrideSchema>;
export type PriceOverrides = Record<string, PriceOverride>;

export class UnknownRegionPriceError extends Error {
  readonly code = 'UNKNOWN_PRICE_REGION';
}

/** The prices to use for a region: the table, with the config override (if any) laid over it. */
export function priceFor(region: string, overrides: PriceOverrides = {}): RegionPrices {
  const base = PRICE_TABLE[region];
  const override = overrides[region];
  if (!base) return fromOverrideOnly(region, override);
  if (!override) return base;
  return {
    region,
    asOf: override.asOf ?? base.asOf,
    source: override.source ?? `${base.source}, overridden in config`,
    onDemand: { ...base.onDemand, ...definedOnly(override.onDemand) },
    spot: { ...base.spot, ...definedOnly(override.spot) },
  };
}

function fromOverrideOnly(region: string, o: PriceOverride | undefined): RegionPrices {
  const od = o?.onDemand;
  const sp = o?.spot;
  if (o?.asOf && od?.vcpuHour && od.gbHour && sp?.vcpuHour && sp.gbHour) {
    return {
      region,
      asOf: o.asOf,
      source: o.source ?? 'config',
      onDemand: { vcpuHour: od.vcpuHour, gbHour: od.gbHour },
      spot: { vcpuHour: sp.vcpuHour, gbHour: sp.gbHour },
    };
  }
  throw new UnknownRegionPriceError(
    `pricing Fargate in ${region}: no built-in prices for this region (known: ${KNOWN_REGIONS.join(', ')}) — ` +
      `set ${PRICE_OVERRIDE_CONFIG_KEY}.${region} in the config file with asOf, ` +
      `onDemand {vcpuHour, gbHour} and spot {vcpuHour, gbHour} from aws.amazon.com/fargate/pricing`,
  );
}

function definedOnly(rate: Partial<Rate> | undefined): Partial<Rate> {
  const out: Partial<Rate> = {};
  if (rate?.vcpuHour !== undefined) out.vcpuHour = rate.vcpuHour;
  if (rate?.gbHour !== undefined) out.gbHour = rate.gbHour;
  return out;
}
