import { renderDailyCostSvg } from '../cost/chart-svg.js';
import { lastDays } from '../cost/summary-schedule.js';

/** The cost module's week chart (cost/cost-service.ts `weekChartSvg`), when the engine has one. */
export interface WeekChartSource {
  weekChartSvg(now: Date): Promise<string>;
}

/** The engine only knows its cost port as a `CostPort`; the chart is an optional extra of it. */
export function weekChartSourceOf(costPort: unknown): WeekChartSource | undefined {
  const candidate = costPort as Partial<WeekChartSource> | undefined;
  return typeof candidate?.weekChartSvg === 'function' ? (candidate as WeekChartSource) : undefined;
}

/**
 * Cost per environment per day for the last 7 days. Without cost tracking the chart is drawn
 * empty (with its days) rather than made up; the page says why next to it.
 */
export async function costChartSvg(source: WeekChartSource | undefined, now: Date, timezone: string): Promise<string> {
  if (source) return source.weekChartSvg(now);
  const days = lastDays(now, timezone, 7).map((d) => d.label);
  return renderDailyCostSvg({ days, series: [] }, { title: 'Cost per environment per day' });
}

export function chartCaption(o: { local: boolean; tracked: boolean }): string {
  if (o.local) return 'Locally no container really runs, so nothing is charged: the chart stays empty.';
  if (!o.tracked) return 'Cost tracking is not configured: the bot needs the ECS task events queue (ENVBOT_EVENTS_QUEUE_URL).';
  return 'Fargate compute (vCPU and memory) from ECS task events, per day in the bot\'s time zone.';
}
