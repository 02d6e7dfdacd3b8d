import { describe, expect, it } from 'vitest';
import type { TaskInterval } from '../../app/src/environments/task-intervals.js';
import { priceFor } from '../../app/src/cost/price-table.js';
import { bar, formatHours, formatMoney, renderEnvironmentCost, renderSummaryBlocks, renderSummaryText } from '../../app/src/cost/render-summary.js';
import { summarize, type EnvMeta } from '../../app/src/cost/summary.js';

/**
 * A small fleet over one Seoul day (Mon 09:00 → Tue 09:00 KST = 2025-03-03T00:00Z → 2025-03-04T00:00Z),
 * us-east-1 prices. Hourly rates (see cost-pricing.test.ts):
 *   xs Spot $0.00406759, xs on-demand $0.0123425
 *   s  Spot 0.5 × 0.01334058 + 1 × 0.00146489 = $0.00813518, on-demand 0.02024 + 0.004445 = $0.024685
 *   m  Spot 0.01334058 + 2 × 0.00146489 = $0.01627036,       on-demand 0.04048 + 0.00889 = $0.04937
 *
 * env             size provider  ran         cost          on-demand   always-on (24 h unless noted)
 * stage           m    FARGATE   24 h (open) 1.18488       1.18488     1.18488
 * feature-search  m    Spot      9 h (2 tasks) 0.14643324  0.44433     0.39048864
 * feature-login   s    Spot      9 h         0.07321662    0.222165    0.19524432
 * old-pr-12       xs   FARGATE   2 h, no record (deleted)  0.024685   0.024685 (exists 2 h)
 * fix-typo        xs   Spot      30 min      0.002033795   0.00617125  0.09762216
 * idle-branch     xs   (Spot)    never       0             0           0.04881108 (created 12:00Z: 12 h)
 *
 * total 1.431248655 → $1.43; on-demand 1.88223125 → $1.88; Spot saved 0.450982595 → $0.45;
 * always-on 1.9417312 → $1.94; auto-stop saved Σ max(0, always-on − cost) = 0.510482545 → $0.51;
 * running 24 + 9 + 9 + 2 + 0.5 = 44.5 h.
 */
const WINDOW = { from: new Date('2025-03-03T00:00:00Z'), to: new Date('2025-03-04T00:00:00Z') };
const NOW = new Date('2025-03-04T00:00:00Z');
const CREATED = '2025-01-01T00:00:00.000Z';

function interval(env: string, task: string, size: [number, number], provider: TaskInterval['provider'], startedAt: string, stoppedAt?: string, owner?: string): TaskInterval {
  return {
    env,
    taskArn: `arn:aws:ecs:us-east-1:123456789012:task/envbot/${task}`,
    taskId: task,
    cpu: size[0],
    memory: size[1],
    provider,
    startedAt,
    ...(stoppedAt && { stoppedAt }),
    ...(owner && { owner }),
  };
}
const XS: [number, number] = [256, 512];
const S: [number, number] = [512, 1024];
const M: [number, number] = [1024, 2048];

const intervals: TaskInterval[] = [
  interval('stage', 'st1', M, 'FARGATE', '2025-03-01T00:00:00.000Z'),
  interval('feature-search', 'fs1', M, 'FARGATE_SPOT', '2025-03-03T00:00:00.000Z', '2025-03-03T04:00:00.000Z'),
  interval('feature-search', 'fs2', M, 'FARGATE_SPOT', '2025-03-03T04:00:00.000Z', '2025-03-03T09:00:00.000Z'),
  interval('feature-login', 'fl1', S, 'FARGATE_SPOT', '2025-03-03T00:00:00.000Z', '2025-03-03T09:00:00.000Z'),
  interval('old-pr-12', 'op1', XS, 'FARGATE', '2025-03-03T02:00:00.000Z', '2025-03-03T04:00:00.000Z', 'dave'),
  interval('fix-typo', 'ft1', XS, 'FARGATE_SPOT', '2025-03-03T05:00:00.000Z', '2025-03-03T05:30:00.000Z'),
  // Stopped the day before: outside the window.
  interval('feature-login', 'fl0', S, 'FARGATE_SPOT', '2025-03-02T00:00:00.000Z', '2025-03-02T09:00:00.000Z'),
];

const envs: EnvMeta[] = [
  { name: 'stage', owner: 'alice', size: 'm', createdAt: CREATED, provider: 'FARGATE' },
  { name: 'feature-search', owner: 'bob', size: 'm', createdAt: CREATED },
  { name: 'feature-login', owner: 'alice', size: 's', createdAt: CREATED },
  { name: 'fix-typo', owner: 'carol', size: 'xs', createdAt: CREATED },
  { name: 'idle-branch', owner: 'bob', size: 'xs', createdAt: '2025-03-03T12:00:00.000Z' },
  // Created after the window: not part of this summary.
  { name: 'tomorrow', owner: 'erin', size: 'xs', createdAt: '2025-03-04T01:00:00.000Z' },
];

const summary = summarize({ intervals, envs, window: WINDOW, now: NOW, prices: priceFor('us-east-1') });
const OPTS = { title: 'Daily cost summary', timezone: 'Asia/Seoul', top: 4 };

describe('cost summary figures', () => {
  it('matches the hand-computed totals', () => {
    expect(summary.total).toBeCloseTo(1.431248655, 10);
    expect(summary.onDemandTotal).toBeCloseTo(1.88223125, 10);
    expect(summary.spotSavings).toBeCloseTo(0.450982595, 10);
    expect(summary.alwaysOnTotal).toBeCloseTo(1.9417312, 10);
    expect(summary.autoStopSavings).toBeCloseTo(0.510482545, 10);
    expect(summary.runningHours).toBeCloseTo(44.5, 10);
  });

  it('ranks environments by cost and keeps the ones that existed without running', () => {
    expect(summary.environments.map((e) => [e.env, e.owner, e.tasks])).toEqual([
      ['stage', 'alice', 1],
      ['feature-search', 'bob', 2],
      ['feature-login', 'alice', 1],
      ['old-pr-12', 'dave', 1],
      ['fix-typo', 'carol', 1],
      ['idle-branch', 'bob', 0],
    ]);
    const idle = summary.environments.find((e) => e.env === 'idle-branch')!;
    // 12 h × $0.00406759 = $0.04881108, all of it saved.
    expect(idle.alwaysOnCost).toBeCloseTo(0.04881108, 10);
    expect(idle.autoStopSavings).toBeCloseTo(0.04881108, 10);
    const stage = summary.environments.find((e) => e.env === 'stage')!;
    expect(stage.autoStopSavings).toBe(0);
    expect(stage.spotSavings).toBe(0);
  });

  it('totals per owner', () => {
    expect(summary.owners.map((o) => [o.owner, o.envs])).toEqual([
      ['alice', 2],
      ['bob', 2],
      ['dave', 1],
      ['carol', 1],
    ]);
    // alice = stage + feature-login = 1.18488 + 0.07321662
    expect(summary.owners.map((o) => o.cost)).toEqual([
      expect.closeTo(1.25809662, 10),
      expect.closeTo(0.14643324, 10),
      expect.closeTo(0.024685, 10),
      expect.closeTo(0.002033795, 10),
    ]);
  });
});

describe('cost summary rendering', () => {
  // Bars: scaled to stage ($1.18488) over 20 cells of 8 eighths = 160 eighths.
  //   feature-search 0.14643324 / 1.18488 × 160 = 19.77 → 20 eighths = 2 full + ▌
  //   feature-login  0.07321662 / 1.18488 × 160 =  9.89 → 10 eighths = 1 full + ▎
  //   old-pr-12      0.024685   / 1.18488 × 160 =  3.33 →  3 eighths = ▍
  const chart = [
    'stage           ████████████████████   $1.18',
    'feature-search  ██▌                    $0.15',
    'feature-login   █▎                     $0.07',
    'old-pr-12       ▍                      $0.02',
    '…and 1 more                           <$0.01',
  ];
  const owners = [
    'alice  $1.26  (2 envs, 33.0 h)',
    'bob  $0.15  (2 envs, 9.0 h)',
    'dave  $0.02  (1 env, 2.0 h)',
    'carol  <$0.01  (1 env, 0.5 h)',
  ];
  const footer = '2025-03-03 09:00 → 2025-03-04 09:00 (Asia/Seoul) · Fargate Linux/x86 compute, us-east-1 prices as of 2025';

  it('renders the Slack Block Kit message exactly', () => {
    expect(renderSummaryBlocks(summary, OPTS)).toEqual({
      text: 'Daily cost summary: $1.43 total, Spot saved $0.45, auto-stop saved $0.51',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Daily cost summary', emoji: true } },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text:
              '*Total:* $1.43 · 44.5 h running · 6 environments\n' +
              '*Spot saved:* $0.45 (on-demand would be $1.88)\n' +
              '*Auto-stop saved:* $0.51 (always-on would be $1.94)',
          },
        },
        { type: 'section', text: { type: 'mrkdwn', text: `*By environment*\n\`\`\`\n${chart.join('\n')}\n\`\`\`` } },
        { type: 'section', text: { type: 'mrkdwn', text: `*By owner*\n${owners.map((o) => `• ${o}`).join('\n')}` } },
        { type: 'divider' },
        { type: 'context', elements: [{ type: 'mrkdwn', text: footer }] },
      ],
    });
  });

  it('renders plain text exactly', () => {
    expect(renderSummaryText(summary, OPTS)).toBe(
      [
        'Daily cost summary',
        '',
        'Total: $1.43 · 44.5 h running · 6 environments',
        'Spot saved: $0.45 (on-demand would be $1.88)',
        'Auto-stop saved: $0.51 (always-on would be $1.94)',
        '',
        'By environment',
        ...chart,
        '',
        'By owner',
        ...owners.map((o) => `- ${o}`),
        '',
        footer,
      ].join('\n'),
    );
  });

  it('renders markdown for PR comments exactly', () => {
    expect(renderSummaryText(summary, { ...OPTS, format: 'markdown' })).toBe(
      [
        '### Daily cost summary',
        '',
        'Total: $1.43 · 44.5 h running · 6 environments',
        'Spot saved: $0.45 (on-demand would be $1.88)',
        'Auto-stop saved: $0.51 (always-on would be $1.94)',
        '',
        '**By environment**',
        '```',
        ...chart,
        '```',
        '',
        '**By owner**',
        ...owners.map((o) => `- ${o}`),
        '',
        `_${footer}_`,
      ].join('\n'),
    );
  });

  it('answers `cost <name>` for one environment', () => {
    // feature-login: on-demand 9 × 0.024685 = 0.222165; Spot saved 0.14894838; always-on 24 × 0.00813518 = 0.19524432
    expect(renderEnvironmentCost(summary, 'feature-login', 'Asia/Seoul')).toBe(
      [
        'feature-login (owner alice): $0.07 · 9.0 h running · 1 task',
        'Spot saved $0.15 (on-demand would be $0.22) · auto-stop saved $0.12 (always-on would be $0.20)',
        footer,
      ].join('\n'),
    );
    expect(renderEnvironmentCost(summary, 'nope', 'Asia/Seoul')).toBe(`nope: no cost recorded — ${footer}`);
  });

  it('says so when nothing ran', () => {
    const empty = summarize({ intervals: [], envs: [], window: WINDOW, now: NOW, prices: priceFor('us-east-1') });
    const message = renderSummaryBlocks(empty, OPTS);
    expect(message.blocks[2]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: 'No environment ran in this window.' } });
    expect(message.text).toBe('Daily cost summary: $0.00 total, Spot saved $0.00, auto-stop saved $0.00');
  });

  it('escapes owner names in Slack mrkdwn', () => {
    const odd = summarize({
      intervals: [interval('x', 't', XS, 'FARGATE', '2025-03-03T00:00:00.000Z', '2025-03-03T01:00:00.000Z')],
      envs: [{ name: 'x', owner: '<!channel> & co', size: 'xs', createdAt: CREATED }],
      window: WINDOW,
      now: NOW,
      prices: priceFor('us-east-1'),
    });
    const text = JSON.stringify(renderSummaryBlocks(odd, OPTS));
    expect(text).toContain('&lt;!channel&gt; &amp; co');
    expect(text).not.toContain('<!channel>');
  });
});

describe('number formatting', () => {
  it.each([
    [0, '$0.00'],
    [0.004, '<$0.01'],
    [0.005, '$0.01'],
    [1.5, '$1.50'],
    [1234567.891, '$1,234,567.89'],
    [-2.5, '-$2.50'],
  ])('formatMoney(%s) = %s', (value, text) => expect(formatMoney(value)).toBe(text));

  it('formats hours and bars', () => {
    expect(formatHours(0)).toBe('0.0 h');
    expect(formatHours(0.01)).toBe('<0.1 h');
    expect(formatHours(12.25)).toBe('12.3 h');
    expect(bar(1, 1, 4)).toBe('████');
    expect(bar(0.5, 1, 3)).toBe('█▌');
    expect(bar(0.0001, 1, 20)).toBe('▏');
    expect(bar(0, 1, 20)).toBe('');
  });
});
