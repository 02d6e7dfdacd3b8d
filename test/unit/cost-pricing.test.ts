import { describe, expect, it } from 'vitest';
import { KNOWN_REGIONS, priceFor, priceOverridesSchema, UnknownRegionPriceError } from '../../app/src/cost/price-table.js';
import { hourlyCost, onDemandCost, usageCost } from '../../app/src/cost/pricing.js';

const useast1 = priceFor('us-east-1');
const HOUR = 3600;

describe('price table', () => {
  it('has the dated us-east-1 Fargate Linux/x86 figures', () => {
    expect(useast1.onDemand).toEqual({ vcpuHour: 0.04048, gbHour: 0.004445 });
    expect(useast1.spot).toEqual({ vcpuHour: 0.01334058, gbHour: 0.00146489 });
    expect(useast1.asOf).toBe('2025');
    expect(KNOWN_REGIONS).toEqual(['ap-northeast-2', 'eu-west-1', 'us-east-1', 'us-west-2']);
  });

  it('names the known regions and the config key for an unknown region', () => {
    expect(() => priceFor('ap-south-1')).toThrow(UnknownRegionPriceError);
    expect(() => priceFor('ap-south-1')).toThrow(
      'pricing Fargate in ap-south-1: no built-in prices for this region (known: ap-northeast-2, eu-west-1, us-east-1, us-west-2) — ' +
        'set cost.prices.ap-south-1 in the config file with asOf, onDemand {vcpuHour, gbHour} and spot {vcpuHour, gbHour} ' +
        'from aws.amazon.com/fargate/pricing',
    );
  });

  it('accepts a complete override for a region it does not know', () => {
    const overrides = priceOverridesSchema.parse({
      'ap-south-1': { asOf: '2026-01-15', onDemand: { vcpuHour: 0.04256, gbHour: 0.004655 }, spot: { vcpuHour: 0.0133, gbHour: 0.00146 } },
    });
    expect(priceFor('ap-south-1', overrides)).toEqual({
      region: 'ap-south-1',
      asOf: '2026-01-15',
      source: 'config',
      onDemand: { vcpuHour: 0.04256, gbHour: 0.004655 },
      spot: { vcpuHour: 0.0133, gbHour: 0.00146 },
    });
    // Half an override is not enough to price a region the table lacks.
    expect(() => priceFor('ap-south-1', { 'ap-south-1': { asOf: '2026-01-15', spot: { vcpuHour: 0.0133 } } })).toThrow(/known: /);
  });

  it('lays a partial override over the table (fresher Spot figure, same on-demand)', () => {
    const p = priceFor('us-east-1', { 'us-east-1': { asOf: '2026-02-01', spot: { vcpuHour: 0.0121 } } });
    expect(p.spot).toEqual({ vcpuHour: 0.0121, gbHour: 0.00146489 });
    expect(p.onDemand).toEqual(useast1.onDemand);
    expect(p.asOf).toBe('2026-02-01');
    expect(p.source).toMatch(/overridden in config$/);
  });
});

describe('cost of an interval', () => {
  it('prices 0.25 vCPU / 0.5 GB on Spot for a 9-hour weekday in us-east-1', () => {
    // vCPU:   0.25 × $0.01334058 = $0.003335145 per hour
    // memory: 0.5  × $0.00146489 = $0.000732445 per hour
    // per hour $0.00406759; × 9 h = $0.03660831
    const usage = { vcpu: 0.25, gb: 0.5, provider: 'FARGATE_SPOT' as const, seconds: 9 * HOUR };
    expect(hourlyCost(0.25, 0.5, useast1.spot)).toBeCloseTo(0.00406759, 12);
    expect(usageCost(usage, useast1)).toBeCloseTo(0.03660831, 12);
    // On demand: 0.25 × 0.04048 + 0.5 × 0.004445 = 0.01012 + 0.0022225 = $0.0123425 per hour; × 9 = $0.1110825
    expect(onDemandCost(usage, useast1)).toBeCloseTo(0.1110825, 12);
    // Spot saved 0.1110825 − 0.03660831 = $0.07447419 (67.0%)
    expect(onDemandCost(usage, useast1) - usageCost(usage, useast1)).toBeCloseTo(0.07447419, 12);
    // A working week (5 × 9 h) on Spot: 5 × 0.03660831 = $0.18304155
    expect(usageCost({ ...usage, seconds: 45 * HOUR }, useast1)).toBeCloseTo(0.18304155, 12);
  });

  it('prices size m (1 vCPU / 2 GB) on demand around the clock', () => {
    // (1 × 0.04048 + 2 × 0.004445) = $0.04937 per hour; × 24 = $1.18488
    const usage = { vcpu: 1, gb: 2, provider: 'FARGATE' as const, seconds: 24 * HOUR };
    expect(usageCost(usage, useast1)).toBeCloseTo(1.18488, 12);
    expect(onDemandCost(usage, useast1)).toBe(usageCost(usage, useast1));
  });

  it('prices per second', () => {
    // size l, 2 vCPU / 4 GB on demand: 0.08096 + 0.01778 = $0.09874 per hour; 90 s = 0.025 h → $0.0024685
    expect(usageCost({ vcpu: 2, gb: 4, provider: 'FARGATE', seconds: 90 }, useast1)).toBeCloseTo(0.0024685, 12);
    expect(usageCost({ vcpu: 2, gb: 4, provider: 'FARGATE', seconds: 0 }, useast1)).toBe(0);
  });

  it('uses the region’s own rates (Seoul Spot)', () => {
    // 0.25 × 0.01422902 + 0.5 × 0.00156165 = 0.003557255 + 0.000780825 = $0.00433808 for one hour
    const seoul = priceFor('ap-northeast-2');
    expect(usageCost({ vcpu: 0.25, gb: 0.5, provider: 'FARGATE_SPOT', seconds: HOUR }, seoul)).toBeCloseTo(0.00433808, 12);
    // On demand in Seoul: 0.25 × 0.04656 + 0.5 × 0.00511 = 0.01164 + 0.002555 = $0.014195
    expect(onDemandCost({ vcpu: 0.25, gb: 0.5, provider: 'FARGATE_SPOT', seconds: HOUR }, seoul)).toBeCloseTo(0.014195, 12);
  });
});
