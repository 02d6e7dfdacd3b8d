import { describe, expect, it } from 'vitest';
import type { TaskInterval } from '../../app/src/environments/task-intervals.js';
import { priceFor } from '../../app/src/cost/price-table.js';
import { renderEnvironmentCost, renderSummaryText } from '../../app/src/cost/render-summary.js';
import { asleepSeconds } from '../../app/src/cost/sleep-savings.js';
import { summarize } from '../../app/src/cost/summary.js';

/**
 * One xs Spot dev environment over one UTC day ($0.00406759 an hour on Spot in us-east-1):
 * it runs 09:00–10:00, falls asleep at 10:00 (idle), is woken at 13:00, runs to 14:00,
 * falls asleep again at 14:00 and stays asleep until the end of the day.
 *   cost        2 h × 0.00406759 = 0.00813518
 *   always-on  24 h × 0.00406759 = 0.09762216
 *   asleep      3 h + 10 h = 13 h → sleep saved 13 × 0.00406759 = 0.05287867
 *   auto-stop saved the rest: 0.09762216 − 0.00813518 − 0.05287867 = 0.03660831 (00:00–09:00 stopped)
 */
const WINDOW = { from: new Date('2025-03-03T00:00:00Z'), to: new Date('2025-03-04T00:00:00Z') };
const NOW = WINDOW.to;
const HOURLY = 0.00406759;
const task = (id: string, startedAt: string, stoppedAt?: string): TaskInterval => ({
  env: 'feature-x', taskArn: `arn:aws:ecs:us-east-1:123456789012:task/envbot/${id}`, taskId: id, cpu: 256, memory: 512, provider: 'FARGATE_SPOT', startedAt, ...(stoppedAt && { stoppedAt }),
});
const intervals = [task('t1', '2025-03-03T09:00:00.000Z', '2025-03-03T10:00:30.000Z'), task('t2', '2025-03-03T13:00:00.000Z', '2025-03-03T14:00:00.000Z')];
const sleepStarts = ['2025-03-03T10:00:00.000Z', '2025-03-03T14:00:00.000Z'];

describe('sleep saved', () => {
  it('counts from the sleep (after the draining task stopped) to the next start or now', () => {
    expect(asleepSeconds(sleepStarts, intervals, WINDOW, NOW)).toBe((3 * 3600 - 30) + 10 * 3600);
    // A retried stop (two sleep instants before one wake) counts once.
    expect(asleepSeconds([...sleepStarts, '2025-03-03T11:00:00.000Z'], intervals, WINDOW, NOW)).toBe((3 * 3600 - 30) + 10 * 3600);
    expect(asleepSeconds([], intervals, WINDOW, NOW)).toBe(0);
  });

  it('splits the saving from not running always-on into auto-stop and sleep, adding up', () => {
    const s = summarize({ intervals, envs: [{ name: 'feature-x', owner: 'alice', size: 'xs', createdAt: '2025-01-01T00:00:00.000Z', sleepStarts }], window: WINDOW, now: NOW, prices: priceFor('us-east-1') });
    const e = s.environments[0]!;
    const asleepHours = 13 - 30 / 3600;
    expect(e.sleepSavings).toBeCloseTo(asleepHours * HOURLY, 10);
    expect(e.autoStopSavings + e.sleepSavings).toBeCloseTo(e.alwaysOnCost - e.cost, 10);
    expect(s.sleepSavings).toBeCloseTo(e.sleepSavings, 12);
    expect(s.owners[0]!.sleepSavings).toBeCloseTo(e.sleepSavings, 12);
    expect(renderSummaryText(s, { title: 'Daily', timezone: 'UTC' })).toContain('Sleep saved: $0.05 (asleep while idle, woken on request)');
    expect(renderEnvironmentCost(s, 'feature-x', 'UTC')).toContain('sleep saved $0.05');
  });

  it('shows no sleep line where nothing slept', () => {
    const s = summarize({ intervals, envs: [{ name: 'feature-x', owner: 'alice', size: 'xs', createdAt: '2025-01-01T00:00:00.000Z' }], window: WINDOW, now: NOW, prices: priceFor('us-east-1') });
    expect(s.sleepSavings).toBe(0);
    expect(renderSummaryText(s, { title: 'Daily', timezone: 'UTC' })).not.toContain('Sleep saved');
  });
});
