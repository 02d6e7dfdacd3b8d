import { describe, expect, it } from 'vitest';
import { idleCostModel, TYPICAL_DEV } from '../../bench/idle-cost.bench.js';
import { priceFor } from '../../app/src/cost/price-table.js';

describe('idle-sleep cost model (bench)', () => {
  it('prices run hours from the price table: on-demand around the clock vs Spot while running', () => {
    const m = idleCostModel();
    const p = priceFor('us-east-1');
    expect(m.alwaysOnDemand).toBeCloseTo(720 * (0.25 * p.onDemand.vcpuHour + 0.5 * p.onDemand.gbHour), 6);
    expect(m.runHours).toEqual({ alwaysOn: 720, nightly: 11 * 22, idleSleep: (2 + (30 + 1.5) / 60) * 2 * 22 });
    expect(m.idleSleepSpot).toBeLessThan(m.nightlyStopSpot);
    expect(m.nightlyStopSpot).toBeLessThan(m.alwaysOnDemand);
  });

  it('never runs longer with idle sleep than with the nightly stop alone', () => {
    const m = idleCostModel({ ...TYPICAL_DEV, activeHoursPerDay: 12 });
    expect(m.runHours.idleSleep).toBe(m.runHours.nightly);
  });
});
