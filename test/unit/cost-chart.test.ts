import { describe, expect, it } from 'vitest';
import { esc, niceCeiling, renderDailyCostSvg } from '../../app/src/cost/chart-svg.js';
import type { TaskInterval } from '../../app/src/environments/task-intervals.js';
import { priceFor } from '../../app/src/cost/price-table.js';
import { dailyCosts } from '../../app/src/cost/summary.js';
import { lastDays } from '../../app/src/cost/summary-schedule.js';

const NOW = new Date('2025-03-04T03:00:00Z');

function spotXs(env: string, task: string, startedAt: string, stoppedAt?: string): TaskInterval {
  return {
    env,
    taskArn: `arn:aws:ecs:us-east-1:123456789012:task/envbot/${task}`,
    taskId: task,
    cpu: 256,
    memory: 512,
    provider: 'FARGATE_SPOT',
    startedAt,
    ...(stoppedAt && { stoppedAt }),
  };
}

describe('daily cost series', () => {
  it('splits intervals by local day and prices each part', () => {
    const days = lastDays(NOW, 'Asia/Seoul', 7);
    // 9 h on Monday 2025-03-03 KST (00:00Z–09:00Z) and a task open since Tuesday 09:00 KST (3 h to now).
    const data = dailyCosts(
      [spotXs('feature-x', 'a', '2025-03-03T00:00:00.000Z', '2025-03-03T09:00:00.000Z'), spotXs('feature-x', 'b', '2025-03-04T00:00:00.000Z')],
      days,
      NOW,
      priceFor('us-east-1'),
    );
    expect(data.days).toEqual(['2025-02-26', '2025-02-27', '2025-02-28', '2025-03-01', '2025-03-02', '2025-03-03', '2025-03-04']);
    expect(data.series).toHaveLength(1);
    // 9 × 0.00406759 = 0.03660831; 3 × 0.00406759 = 0.01220277
    expect(data.series[0]!.values.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(data.series[0]!.values[5]).toBeCloseTo(0.03660831, 12);
    expect(data.series[0]!.values[6]).toBeCloseTo(0.01220277, 12);
  });

  it('keeps the top environments and sums the rest as "other"', () => {
    const days = lastDays(NOW, 'Asia/Seoul', 1);
    const intervals = ['a', 'b', 'c'].map((env, i) => spotXs(env, env, '2025-03-03T15:00:00.000Z', `2025-03-03T${16 + i}:00:00.000Z`));
    const data = dailyCosts(intervals, days, NOW, priceFor('us-east-1'), 1);
    expect(data.series.map((s) => s.env)).toEqual(['c', 'other']);
    // c ran 3 h; a and b 1 h + 2 h = 3 h.
    expect(data.series[0]!.values[0]).toBeCloseTo(data.series[1]!.values[0]!, 12);
  });
});

describe('SVG bar chart', () => {
  const data = {
    days: ['2025-03-03', '2025-03-04'],
    series: [
      { env: 'feature-<script>', values: [3, 1] },
      { env: 'other', values: [1, 0] },
    ],
  };

  it('draws one segment per non-zero value, stacked and scaled to a round maximum', () => {
    const svg = renderDailyCostSvg(data, { width: 400, height: 200, title: 'Last 7 days' });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200" viewBox="0 0 400 200"')).toBe(true);
    expect(svg.endsWith('</svg>')).toBe(true);
    // Plot: 400 − 64 − 170 = 166 wide, 200 − 32 − 28 = 140 high; max total 4 → axis 5.
    // Day 1 slot 83 px, bar 49.8 px at x = 64 + 16.6 = 80.6; $3 is 84 px tall ending at the baseline y = 172.
    expect(svg).toContain('<rect x="80.6" y="88" width="49.8" height="84" fill="#4e79a7"><title>feature-&lt;script&gt; 2025-03-03: $3.00</title></rect>');
    expect(svg).toContain('<rect x="80.6" y="60" width="49.8" height="28" fill="#bab0ac"><title>other 2025-03-03: $1.00</title></rect>');
    expect(svg.match(/<rect [^>]*><title>/g)).toHaveLength(3);
    expect(svg).toContain('>$5.00</text>');
    expect(svg).toContain('>03-04</text>');
    expect(svg).not.toContain('<script>');
  });

  it('is deterministic', () => {
    expect(renderDailyCostSvg(data)).toBe(renderDailyCostSvg(data));
  });

  it('says so when nothing ran', () => {
    const svg = renderDailyCostSvg({ days: ['2025-03-03'], series: [] });
    expect(svg).toContain('No environment ran in these days');
    expect(svg).not.toContain('<rect');
  });

  it('escapes and rounds', () => {
    expect(esc(`a&b<c>"d'`)).toBe('a&amp;b&lt;c&gt;&quot;d&#39;');
    expect([0, 0.03, 0.12, 4, 7.5, 12, 100].map(niceCeiling)).toEqual([0, 0.05, 0.2, 5, 10, 20, 100]);
  });
});
