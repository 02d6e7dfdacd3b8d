import { ownerOf } from '../../commands/actor.js';
import type { EnvironmentRecord } from '../../environments/record.js';

/**
 * mrkdwn helpers. Slack treats `&`, `<` and `>` as control characters (links, mentions), so any
 * text that came from users or AWS (branch names, error messages) is escaped before it is shown.
 */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Inline code; backticks inside would end the span early, so they become a look-alike. */
export function code(text: string): string {
  return `\`${escapeText(text).replace(/`/g, 'ˋ')}\``;
}

/** A link with a label; the URL is ours (https://<env>.<domain>), the label is escaped. */
export function link(url: string, label = url): string {
  return `<${url.replace(/[<>|]/g, '')}|${escapeText(label).replace(/\|/g, '¦')}>`;
}

/** Slack user ids become mentions; GitHub logins and CLI users are shown as names. */
export function ownerLabel(record: Pick<EnvironmentRecord, 'owner' | 'source'>): string {
  const owner = ownerOf(record);
  const slackUser = owner.startsWith('slack:') ? owner.slice('slack:'.length) : undefined;
  // Only a Slack-door id becomes a mention: a GitHub login that looks like U0… stays a name.
  return slackUser && /^[UW][A-Z0-9]+$/.test(slackUser) ? `<@${slackUser}>` : escapeText(record.owner.replace(/^(slack|github|cli):/, ''));
}

/**
 * A time every reader sees in their own time zone (`<!date^…>`); the fallback (old clients,
 * notifications) is the ISO instant so nothing depends on the server's zone.
 */
export function slackDate(iso: string): string {
  const seconds = Math.floor(Date.parse(iso) / 1000);
  if (!Number.isFinite(seconds)) return escapeText(iso);
  return `<!date^${seconds}^{date_short_pretty} {time}|${new Date(seconds * 1000).toISOString()}>`;
}

export function dollars(amount: number): string {
  return `$${amount.toFixed(2)}`;
}

export function seconds(total: number): string {
  const s = Math.max(0, Math.round(total));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return s % 60 === 0 ? `${m}m` : `${m}m ${s % 60}s`;
}
