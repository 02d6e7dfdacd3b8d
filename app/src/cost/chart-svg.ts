import { formatMoney } from './render-summary.js';
import type { DailyCosts } from './summary.js';

/**
 * A small stacked bar chart for the dashboard: one bar per day, one coloured segment per
 * environment (the most expensive few; the rest as "other"), a legend on the right. Pure and
 * deterministic (coordinates rounded to 0.1 px) so it can be compared in tests and cached. Every
 * label is escaped: environment names are DNS-safe, but the chart should not rely on that.
 */

export interface SvgChartOptions {
  width?: number;
  height?: number;
  title?: string;
}

const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7'];
const OTHER_COLOUR = '#bab0ac';
const MARGIN = { top: 32, right: 170, bottom: 28, left: 64 };
const TICKS = 4;

export function renderDailyCostSvg(data: DailyCosts, opts: SvgChartOptions = {}): string {
  const width = opts.width ?? 640;
  const height = opts.height ?? 280;
  const title = opts.title ?? 'Cost per environment per day';
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const totals = data.days.map((_, i) => data.series.reduce((a, s) => a + (s.values[i] ?? 0), 0));
  const max = niceCeiling(Math.max(0, ...totals));
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(title)}" font-family="sans-serif" font-size="11">`,
    `<title>${esc(title)}</title>`,
    `<text x="${MARGIN.left}" y="18" font-size="13" font-weight="bold">${esc(title)}</text>`,
  ];
  if (max === 0) {
    out.push(`<text x="${n(MARGIN.left + plotW / 2)}" y="${n(MARGIN.top + plotH / 2)}" text-anchor="middle" fill="#666">No environment ran in these days</text>`);
    out.push('</svg>');
    return out.join('\n');
  }
  const y = (v: number) => MARGIN.top + plotH - (v / max) * plotH;
  for (let t = 0; t <= TICKS; t++) {
    const v = (max * t) / TICKS;
    out.push(
      `<line x1="${MARGIN.left}" y1="${n(y(v))}" x2="${MARGIN.left + plotW}" y2="${n(y(v))}" stroke="#ddd"/>`,
      `<text x="${MARGIN.left - 6}" y="${n(y(v) + 4)}" text-anchor="end" fill="#444">${esc(formatMoney(v))}</text>`,
    );
  }
  const slot = plotW / Math.max(1, data.days.length);
  const barW = slot * 0.6;
  data.days.forEach((day, i) => {
    const x = MARGIN.left + slot * i + (slot - barW) / 2;
    let base = 0;
    data.series.forEach((s, k) => {
      const v = s.values[i] ?? 0;
      if (v <= 0) return;
      out.push(
        `<rect x="${n(x)}" y="${n(y(base + v))}" width="${n(barW)}" height="${n(y(base) - y(base + v))}" fill="${colour(s.env, k)}">` +
          `<title>${esc(`${s.env} ${day}: ${formatMoney(v)}`)}</title></rect>`,
      );
      base += v;
    });
    out.push(`<text x="${n(x + barW / 2)}" y="${height - 10}" text-anchor="middle" fill="#444">${esc(shortDay(day))}</text>`);
  });
  data.series.forEach((s, k) => {
    const ly = MARGIN.top + k * 18;
    const lx = MARGIN.left + plotW + 16;
    out.push(
      `<rect x="${lx}" y="${ly}" width="10" height="10" fill="${colour(s.env, k)}"/>`,
      `<text x="${lx + 16}" y="${ly + 9}">${esc(truncate(s.env, 22))}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('\n');
}

/** Escapes text for SVG/XML content and attribute values. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Rounds an axis maximum up to 1, 2 or 5 × a power of ten. */
export function niceCeiling(v: number): number {
  if (!(v > 0)) return 0;
  const p = 10 ** Math.floor(Math.log10(v));
  const m = v / p;
  const nice = m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10;
  return Number((nice * p).toPrecision(12));
}

function colour(env: string, index: number): string {
  return env === 'other' ? OTHER_COLOUR : PALETTE[index % PALETTE.length]!;
}

function shortDay(day: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(day) ? day.slice(5) : day;
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

function n(v: number): string {
  return String(Math.round(v * 10) / 10);
}
