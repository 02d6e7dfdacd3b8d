import { describe, expect, it } from 'vitest';
import { legacyTargetGroupNameFor, targetGroupNameFor } from '../../app/src/aws/elb.js';
import { healthCheckGraceSecondsFor, TARGET_GROUP_TUNING } from '../../app/src/aws/target-group-tuning.js';
import { sameStrategy } from '../../app/src/reconcile/capacity-strategy.js';
import { timeToStop, timeToUrl } from '../../bench/time-model.bench.js';
import { SIZE_NAMES } from '../../app/src/environments/sizes.js';

describe('target group names', () => {
  it('are per port, at most 32 characters, and distinct for long names', () => {
    expect(targetGroupNameFor('feature-x', 8080)).toBe('eb-feature-x-8080');
    const long = 'a'.repeat(27) + 'b';
    const other = 'a'.repeat(27) + 'c';
    for (const port of [80, 8080, 65535]) {
      const name = targetGroupNameFor(long, port);
      expect(name.length).toBeLessThanOrEqual(32);
      expect(name).toMatch(/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/);
      expect(name).not.toBe(targetGroupNameFor(other, port));
    }
    expect(legacyTargetGroupNameFor('feature-x')).toBe('eb-feature-x');
  });
});

describe('health check tuning stays inside what ALB allows', () => {
  it('interval 5–300, timeout 2–120 and below the interval, thresholds 2–10, delay 0–3600', () => {
    const t = TARGET_GROUP_TUNING;
    expect(t.healthCheckIntervalSeconds).toBeGreaterThanOrEqual(5);
    expect(t.healthCheckTimeoutSeconds).toBeGreaterThanOrEqual(2);
    expect(t.healthCheckTimeoutSeconds).toBeLessThan(t.healthCheckIntervalSeconds);
    for (const n of [t.healthyThresholdCount, t.unhealthyThresholdCount]) expect(n).toBeGreaterThanOrEqual(2);
    expect(t.deregistrationDelaySeconds).toBeLessThan(300);
  });

  it('gives small sizes a longer grace period: 0.25 vCPU gets more than 60 s', () => {
    expect(healthCheckGraceSecondsFor('xs')).toBeGreaterThan(60);
    const graces = SIZE_NAMES.map(healthCheckGraceSecondsFor);
    expect([...graces].sort((a, b) => b - a)).toEqual(graces);
  });
});

describe('capacity strategies compare by value', () => {
  it('base defaults to 0 and order does not matter', () => {
    expect(sameStrategy([{ capacityProvider: 'FARGATE_SPOT', weight: 1 }], [{ capacityProvider: 'FARGATE_SPOT', weight: 1, base: 0 }])).toBe(true);
    expect(
      sameStrategy(
        [{ capacityProvider: 'FARGATE', weight: 0, base: 1 }, { capacityProvider: 'FARGATE_SPOT', weight: 1 }],
        [{ capacityProvider: 'FARGATE_SPOT', weight: 1, base: 0 }, { capacityProvider: 'FARGATE', weight: 0, base: 1 }],
      ),
    ).toBe(true);
    expect(sameStrategy([{ capacityProvider: 'FARGATE_SPOT', weight: 1 }], [{ capacityProvider: 'FARGATE', weight: 1 }])).toBe(false);
  });
});

describe('time model (bench)', () => {
  it('a 0.25 vCPU Spring Boot app never came up with the old 60 s grace, and stops in seconds now', () => {
    const before = { interval: 10, unhealthy: 2, deregistration: 300, grace: () => 60 };
    expect(timeToUrl(before, 'xs', 90)).toBe(Number.POSITIVE_INFINITY);
    expect(timeToStop(before)).toBeGreaterThan(300);
  });
});
