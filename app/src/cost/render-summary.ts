import type { CostSummary, EnvCost } from './summary.js';
import { formatLocal } from './summary-schedule.js';

/**
 * Renders a cost summary as a Slack Block Kit message and as plain text / markdown (CLI, PR
 * comments, `cost` replies). Output is a pure function of the summary and options, so tests can
 * compare it exactly. Bars are block characters scaled to the most expensive environment, drawn
 * inside a code block so they line up in Slack's monospace font.
 */

export interface RenderOptions {
  /** Shown in the header, e.g. "Daily cost summary". */
  title: string;
  /** Timezone the window is shown in. */
  timezone: string;
  /** Environments and owners listed before "…and N more". */
  top?: number;
  /** Width of the longest bar, in characters. */
  barWidth?: number;
}

export type SlackBlock =
  | { type: 'header'; text: { type: 'plain_text'; text: string; emoji: boolean } }
  | { type: 'section'; text: { type: 'mrkdwn'; text: string } }
  | { type: 'context'; elements: { type: 'mrkdwn'; text: string }[] }
  | { type: 'divider' };

export interface SlackMessage {
  /** Notification / fallback text. */
  text: string;
  blocks: SlackBlock[];
}

const DEFAULT_TOP = 10;
const DEFAULT_BAR_WIDTH = 20;
const MAX_NAME = 24;
const PARTIAL_BLOCKS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** `$1,234.56`; amounts that would show as $0.00 but are not zero show as `<$0.01`. */
export function formatMoney(dollars: number): string {
  const sign = dollars < 0 ? '-' : '';
  const abs = Math.abs(dollars);
  if (abs > 0 && abs < 0.005) return `${sign}<$0.01`;
  const [whole, cents] = abs.toFixed(2).split('.') as [string, string];
  return `${sign}$${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents}`;
}

export function formatHours(hours: number): string {
  if (hours > 0 && hours < 0.05) return '<0.1 h';
  return `${hours.toFixed(1)} h`;
}

/** A bar of `width` eighth-blocks for `max`; any non-zero value shows at least a sliver. */
export function bar(value: number, max: number, width = DEFAULT_BAR_WIDTH): string {
  if (!(value > 0) || !(max > 0)) return '';
  const eighths = Math.max(1, Math.round((Math.min(value, max) / max) * width * 8));
  return '█'.repeat(Math.floor(eighths / 8)) + PARTIAL_BLOCKS[eighths % 8];
}

/** The environment chart as aligned lines: name, bar, amount. */
export function chartLines(summary: CostSummary, opts: Pick<RenderOptions, 'top' | 'barWidth'> = {}): string[] {
  const width = opts.barWidth ?? DEFAULT_BAR_WIDTH;
  const { shown, rest } = topAndRest(summary.environments.filter((e) => e.cost > 0), opts.top ?? DEFAULT_TOP);
  if (shown.length === 0) return [];
  const max = shown[0]!.cost;
  const names = shown.map((e) => truncate(e.env, MAX_NAME));
  const restLabel = rest.length > 0 ? `…and ${rest.length} more` : '';
  const nameWidth = Math.max(...names.map((n) => n.length), restLabel.length);
  const amounts = shown.map((e) => formatMoney(e.cost));
  const restAmount = formatMoney(rest.reduce((a, e) => a + e.cost, 0));
  const amountWidth = Math.max(...amounts.map((a) => a.length), rest.length > 0 ? restAmount.length : 0);
  const lines = shown.map(
    (e, i) => `${names[i]!.padEnd(nameWidth)}  ${bar(e.cost, max, width).padEnd(width)}  ${amounts[i]!.padStart(amountWidth)}`,
  );
  if (rest.length > 0) lines.push(`${restLabel.padEnd(nameWidth)}  ${''.padEnd(width)}  ${restAmount.padStart(amountWidth)}`);
  return lines;
}

function ownerLines(summary: CostSummary, top: number, escape: (s: string) => string): string[] {
  const { shown, rest } = topAndRest(summary.owners, top);
  const lines = shown.map((o) => `${escape(o.owner)}  ${formatMoney(o.cost)}  (${plural(o.envs, 'env')}, ${formatHours(o.runningHours)})`);
  if (rest.length > 0) lines.push(`…and ${rest.length} more  ${formatMoney(rest.reduce((a, o) => a + o.cost, 0))}`);
  return lines;
}

function totalsLine(summary: CostSummary): string {
  return `${formatMoney(summary.total)} · ${formatHours(summary.runningHours)} running · ${plural(summary.environments.length, 'environment')}`;
}

function savingsParts(summary: CostSummary): { spot: string; autoStop: string; sleep?: string } {
  return {
    spot: `${formatMoney(summary.spotSavings)} (on-demand would be ${formatMoney(summary.onDemandTotal)})`,
    autoStop: `${formatMoney(summary.autoStopSavings)} (always-on would be ${formatMoney(summary.alwaysOnTotal)})`,
    // Shown once idle sleep has saved something, so installations without it read as before.
    ...(summary.sleepSavings > 0 && { sleep: `${formatMoney(summary.sleepSavings)} (asleep while idle, woken on request)` }),
  };
}

function footer(summary: CostSummary, timezone: string): string {
  const from = formatLocal(new Date(summary.window.from), timezone);
  const to = formatLocal(new Date(Math.min(Date.parse(summary.window.to), Date.parse(summary.now))), timezone);
  return `${from} → ${to} (${timezone}) · Fargate Linux/x86 compute, ${summary.region} prices as of ${summary.priceAsOf}`;
}

export function renderSummaryBlocks(summary: CostSummary, opts: RenderOptions): SlackMessage {
  const top = opts.top ?? DEFAULT_TOP;
  const savings = savingsParts(summary);
  const chart = chartLines(summary, opts);
  const owners = ownerLines(summary, top, escapeMrkdwn);
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(opts.title, 150), emoji: true } },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*Total:* ${totalsLine(summary)}\n*Spot saved:* ${savings.spot}\n*Auto-stop saved:* ${savings.autoStop}${savings.sleep ? `\n*Sleep saved:* ${savings.sleep}` : ''}`,
      },
    },
  ];
  if (chart.length > 0) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*By environment*\n\`\`\`\n${chart.join('\n')}\n\`\`\`` } });
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*By owner*\n${owners.map((l) => `• ${l}`).join('\n')}` } });
  } else {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: 'No environment ran in this window.' } });
  }
  blocks.push({ type: 'divider' });
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: footer(summary, opts.timezone) }] });
  return {
    text: `${opts.title}: ${formatMoney(summary.total)} total, Spot saved ${formatMoney(summary.spotSavings)}, auto-stop saved ${formatMoney(summary.autoStopSavings)}`,
    blocks,
  };
}

/**
 * Plain text (terminal) or GitHub markdown: the same content, with a heading and a fenced chart
 * in markdown.
 */
export function renderSummaryText(summary: CostSummary, opts: RenderOptions & { format?: 'plain' | 'markdown' }): string {
  const md = opts.format === 'markdown';
  const top = opts.top ?? DEFAULT_TOP;
  const savings = savingsParts(summary);
  const chart = chartLines(summary, opts);
  const out = [md ? `### ${opts.title}` : opts.title, ''];
  out.push(`Total: ${totalsLine(summary)}`, `Spot saved: ${savings.spot}`, `Auto-stop saved: ${savings.autoStop}`, ...(savings.sleep ? [`Sleep saved: ${savings.sleep}`] : []), '');
  if (chart.length > 0) {
    out.push(md ? '**By environment**' : 'By environment', ...(md ? ['```', ...chart, '```'] : chart), '');
    out.push(md ? '**By owner**' : 'By owner', ...ownerLines(summary, top, md ? escapeMarkdown : (s) => s).map((l) => `- ${l}`), '');
  } else {
    out.push('No environment ran in this window.', '');
  }
  out.push(md ? `_${footer(summary, opts.timezone)}_` : footer(summary, opts.timezone));
  return out.join('\n');
}

/** The answer to `cost <name>`: one environment's figures for the window, in plain text. */
export function renderEnvironmentCost(summary: CostSummary, env: string, timezone: string): string {
  const e: EnvCost | undefined = summary.environments.find((x) => x.env === env);
  if (!e) return `${env}: no cost recorded — ${footer(summary, timezone)}`;
  return [
    `${e.env} (owner ${e.owner}): ${formatMoney(e.cost)} · ${formatHours(e.runningHours)} running · ${plural(e.tasks, 'task')}`,
    `Spot saved ${formatMoney(e.spotSavings)} (on-demand would be ${formatMoney(e.onDemandCost)}) · ` +
      `auto-stop saved ${formatMoney(e.autoStopSavings)} (always-on would be ${formatMoney(e.alwaysOnCost)})` +
      (e.sleepSavings > 0 ? ` · sleep saved ${formatMoney(e.sleepSavings)}` : ''),
    footer(summary, timezone),
  ].join('\n');
}

function topAndRest<T>(items: readonly T[], top: number): { shown: T[]; rest: T[] } {
  return { shown: items.slice(0, top), rest: items.slice(top) };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** Slack mrkdwn needs &, < and > escaped; owner names come from users. */
function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`);
}
