import { age } from '../../commands/render-text.js';
import type { EnvironmentRecord } from '../../environments/record.js';
import { mrkdwn, type KnownBlock, type SlackMessage } from './block-kit.js';
import { renderEnvMessage } from './env-message.js';
import { code, dollars, escapeText, slackDate } from './mrkdwn.js';
import { activeScheduleFailure, scheduleFailureLabel } from '../../schedules/schedule-failure.js';

export interface StatusExtras {
  nextStop?: string;
  cost?: number;
}

/** `/env status`: the environment's card plus the facts one asks about when debugging. */
export function renderStatus(r: EnvironmentRecord, extras: StatusExtras, now: Date): SlackMessage {
  const card = renderEnvMessage({ record: r });
  const fields = [
    `*Image*\n${r.image ? code(r.image) : '(not chosen yet)'}`,
    `*Age*\n${age(r.createdAt, now)} · changed ${age(r.updatedAt, now)} ago`,
  ];
  if (r.lastBuildSeconds !== undefined) {
    const cache = r.lastBuildCacheHit === undefined ? '' : r.lastBuildCacheHit ? ' (cache hit)' : ' (cache miss)';
    fields.push(`*Last build*\n${r.lastBuildSeconds}s${cache}`);
  }
  if (r.autoStopPostponedUntil) fields.push(`*Auto-stop*\npostponed until ${slackDate(r.autoStopPostponedUntil)}`);
  else if (extras.nextStop) fields.push(`*Auto-stop*\n${slackDate(extras.nextStop)}`);
  if (extras.cost !== undefined) fields.push(`*Cost so far*\n${dollars(extras.cost)}`);
  const failure = activeScheduleFailure(r);
  if (failure) fields.push(`*:warning: ${scheduleFailureLabel(failure)}*\n${slackDate(failure.at)}: ${escapeText(failure.reason)}`);
  const facts: KnownBlock = { type: 'section', fields: fields.map(mrkdwn) };
  // The card's first block is the headline; the facts go right under it, buttons stay last.
  const [head, ...rest] = card.blocks;
  return { text: card.text, blocks: [head!, facts, ...rest] };
}
