import type { Config } from '../config.js';
import type { DynamoCostStore } from '../aws/cost-store.js';
import type { Profile } from '../environments/profiles.js';
import type { EnvironmentRecord } from '../environments/record.js';
import type { EnvironmentStore } from '../environments/store-port.js';
import type { TaskEvent } from '../environments/task-event.js';
import { renderDailyCostSvg } from './chart-svg.js';
import { priceFor, type RegionPrices } from './price-table.js';
import { renderEnvironmentCost, renderSummaryBlocks, renderSummaryText } from './render-summary.js';
import { lastDays } from './summary-schedule.js';
import { dailyCosts, summarize, type CostSummary, type EnvMeta } from './summary.js';
import { taskIdFromArn, type CostWindow } from '../environments/task-intervals.js';

const DAY = 86_400_000;

/**
 * The idle sleep a task event shows, if any: the task stopped while its environment is asleep by
 * idle sleep (record after the event: desired stopped, reason idle). Recorded here rather than in
 * the command layer because this hook runs again on every redelivery and the ledger item is keyed
 * by task, so the instant is written exactly once; a stop from before the last start (a late or
 * replayed event of an older task) is not this sleep.
 */
export function idleSleepOf(event: TaskEvent, record: EnvironmentRecord | undefined): { env: string; at: string; taskId: string } | undefined {
  if (!record || event.lastStatus !== 'STOPPED' || record.desired !== 'stopped' || record.stopReason !== 'idle') return undefined;
  const at = event.stoppedAt ?? event.at;
  if (record.startedAt && Date.parse(at) < Date.parse(record.startedAt)) return undefined;
  return { env: record.name, at: new Date(at).toISOString(), taskId: taskIdFromArn(event.taskArn) };
}
/** "So far" means the last 30 days: the ledger's day partitions cover that window cheaply. */
const SO_FAR_DAYS = 30;

/** The cost module as the rest of the bot sees it: `cost` replies, summaries, the dashboard chart. */
export class CostService {
  private readonly prices: RegionPrices;

  constructor(
    private readonly ledger: DynamoCostStore,
    private readonly store: EnvironmentStore,
    private readonly config: Config,
    private readonly profileOf: (record: EnvironmentRecord) => Profile,
  ) {
    this.prices = priceFor(config.aws.region);
  }

  /** TaskEventHandler hook: idempotent per event, so SQS redelivery never double-counts. */
  readonly onTaskEvent = async (event: TaskEvent, record: EnvironmentRecord | undefined): Promise<void> => {
    await this.ledger.recordEvent(event, record?.owner);
    const slept = idleSleepOf(event, record);
    if (slept) await this.ledger.recordSleep(slept.env, slept.at, slept.taskId);
  };

  async summary(window: CostWindow, now: Date): Promise<CostSummary> {
    const [intervals, records, sleeps] = await Promise.all([
      this.ledger.allIntervals(window.from, window.to),
      this.store.list(),
      this.ledger.sleepStarts(window.from, window.to),
    ]);
    const envs = records.map((r) => ({ ...this.meta(r), sleepStarts: sleeps.get(r.name) ?? [] }));
    return summarize({ intervals, envs, window, now, prices: this.prices });
  }

  async costText(name: string | undefined, now: Date): Promise<string> {
    const summary = await this.summary({ from: new Date(now.getTime() - SO_FAR_DAYS * DAY), to: now }, now);
    if (name) return renderEnvironmentCost(summary, name, this.config.timezone);
    return renderSummaryText(summary, { title: `Cost of the last ${SO_FAR_DAYS} days`, timezone: this.config.timezone });
  }

  async costSoFar(name: string, now: Date): Promise<number> {
    const record = await this.store.get(name);
    const from = new Date(Math.max(now.getTime() - SO_FAR_DAYS * DAY, record ? Date.parse(record.createdAt) : 0));
    const intervals = await this.ledger.intervals(name, from, now);
    const window = { from, to: now };
    const summary = summarize({ intervals, envs: record ? [this.meta(record)] : [], window, now, prices: this.prices });
    return summary.environments.find((e) => e.env === name)?.cost ?? 0;
  }

  async summaryMessage(title: string, window: CostWindow, now: Date) {
    return renderSummaryBlocks(await this.summary(window, now), { title, timezone: this.config.timezone });
  }

  /** Cost per environment per day for the last 7 days, as an SVG for the dashboard. */
  async weekChartSvg(now: Date): Promise<string> {
    const days = lastDays(now, this.config.timezone, 7);
    const intervals = await this.ledger.allIntervals(days[0]!.window.from, now);
    return renderDailyCostSvg(dailyCosts(intervals, days, now, this.prices));
  }

  private meta(record: EnvironmentRecord): EnvMeta {
    const provider = record.onDemandFallback ? 'FARGATE' : this.profileOf(record).capacity.find((c) => c.weight > 0)?.capacityProvider;
    return { name: record.name, owner: record.owner, size: record.size, createdAt: record.createdAt, ...(provider && { provider }) };
  }
}
