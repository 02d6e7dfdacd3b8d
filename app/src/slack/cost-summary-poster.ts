import { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { CostService } from '../cost/cost-service.js';
import { DEFAULT_SUMMARY_SCHEDULE, dueSummaries } from '../cost/summary-schedule.js';
import type { DoorPort } from '../frontdoor/door-port.js';

export interface CostSummaryPoster {
  /** One pass: posts every summary that is due and not yet posted (by any replica). */
  tick(now: Date): Promise<string[]>;
  stop(): Promise<void>;
}

/**
 * Posts the daily and weekly cost summary to the configured channel. Each period is claimed once
 * in the store (`markOnce`), so two replicas or a restart never post it twice.
 */
export function startCostSummaries(o: {
  engine: DoorPort;
  config: Config;
  log: Logger;
  cost: CostService;
  post?: (channel: string, message: { text: string; blocks: unknown[] }) => Promise<void>;
  intervalMs?: number;
  now?: () => Date;
}): CostSummaryPoster {
  const channel = o.config.slack.costChannel!;
  const client = new webApi.WebClient(o.config.slack.botToken, { ...(o.config.slack.apiUrl && { slackApiUrl: o.config.slack.apiUrl }) });
  const post =
    o.post ??
    (async (ch: string, message: { text: string; blocks: unknown[] }) => {
      await client.chat.postMessage({ channel: ch, text: message.text, blocks: message.blocks as webApi.KnownBlock[] });
    });
  const schedule = { timezone: o.config.timezone, ...DEFAULT_SUMMARY_SCHEDULE };

  const tick = async (now: Date): Promise<string[]> => {
    const posted: string[] = [];
    for (const period of dueSummaries(now, schedule)) {
      if (!(await o.engine.store.markOnce('cost-summary', period.periodKey, 9 * 86400))) continue;
      const title = period.kind === 'daily' ? 'Daily cost summary' : 'Weekly cost summary';
      const message = await o.cost.summaryMessage(title, period.window, now);
      await post(channel, message);
      posted.push(period.periodKey);
    }
    return posted;
  };
  const timer = setInterval(() => {
    tick((o.now ?? (() => new Date()))()).catch((err) => o.log.error({ err }, 'posting the cost summary failed'));
  }, o.intervalMs ?? 300_000);
  timer.unref();
  return { tick, stop: async () => clearInterval(timer) };
}
