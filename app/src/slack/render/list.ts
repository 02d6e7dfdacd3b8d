import { age, statusLabel } from '../../commands/render-text.js';
import { isAsleep, type EnvironmentRecord } from '../../environments/record.js';
import { context, section, type KnownBlock, type SlackMessage } from './block-kit.js';
import { openButton } from './buttons.js';
import { code, escapeText, link, ownerLabel } from './mrkdwn.js';
import { emojiFor } from './status-style.js';

/** A message holds at most 50 blocks; one goes to the heading, one to the "more" note. */
const MAX_ROWS = 45;

/** One line per environment: the same facts in the same order everywhere (list, home). */
export function envSummaryLine(r: EnvironmentRecord, now: Date): string {
  const where = (r.status === 'ready' || isAsleep(r)) && r.url ? ` · ${link(r.url)}` : '';
  return `${emojiFor(r)} *${escapeText(r.name)}* — ${statusLabel(r)}${where}\nOwner ${ownerLabel(r)} · branch ${code(r.branch)} · age ${age(r.createdAt, now)}`;
}

function row(r: EnvironmentRecord, now: Date): KnownBlock {
  const block: KnownBlock = { type: 'section', text: { type: 'mrkdwn', text: envSummaryLine(r, now) } };
  return r.status === 'ready' && r.url ? { ...block, accessory: openButton(r.url) } : block;
}

export function renderList(records: EnvironmentRecord[], mine: boolean, now: Date): SlackMessage {
  if (records.length === 0) {
    const text = mine ? 'You have no environments. Create one with `/env up <name>`.' : 'No environments yet. Create one with `/env up <name>`.';
    return { text, blocks: [section(text)] };
  }
  const title = `${records.length} environment${records.length === 1 ? '' : 's'}${mine ? ' of yours' : ''}`;
  const shown = records.slice(0, MAX_ROWS);
  const blocks: KnownBlock[] = [section(`*${title}*`), ...shown.map((r) => row(r, now))];
  if (records.length > shown.length) blocks.push(context(`…and ${records.length - shown.length} more. Open envbot's Home tab for all of them.`));
  return { text: title, blocks };
}
