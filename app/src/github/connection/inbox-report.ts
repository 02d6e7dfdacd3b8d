import type { EnvironmentStore } from '../../environments/store-port.js';
import type { Conversation } from '../progress/conversation.js';
import type { GitHubEvent } from './triage.js';

export const FAILED_DELIVERY_MARKER = '<!-- envbot:failed-delivery -->';

export interface GaveUp {
  delivery: string;
  event: GitHubEvent | undefined;
  attempts: number;
  error: string;
}

/** What the event was about, for people: "pull request #7 (closed)", "branch `x` (deleted)". */
export function describeEvent(event: GitHubEvent | undefined): string {
  if (!event) return 'an unreadable event';
  switch (event.type) {
    case 'comment':
      return `the /env comment on pull request #${event.pr}`;
    case 'pull':
      return `pull request #${event.pull.number} (${event.action})`;
    case 'push':
      return `the push of ${event.sha.slice(0, 7)} to \`${event.branch}\``;
    case 'branch-deleted':
      return `the deletion of branch \`${event.branch}\``;
  }
}

function pullNumber(event: GitHubEvent | undefined): number | undefined {
  if (event?.type === 'comment') return event.pr;
  if (event?.type === 'pull') return event.pull.number;
  return undefined;
}

/**
 * A delivery that failed its last attempt is not dropped silently: an audit entry (outcome
 * `failed`, kept a year), and a comment on the pull request it was about, when there is one.
 * It stays in the inbox; GitHub's "Redeliver" runs it again with a fresh set of attempts.
 */
export async function reportGaveUp(d: { store: Pick<EnvironmentStore, 'audit'>; conversation: Conversation; now: () => Date }, f: GaveUp): Promise<void> {
  const what = describeEvent(f.event);
  const audit = d.store.audit({
    at: d.now().toISOString(),
    actor: 'github',
    source: 'github',
    action: 'delivery',
    detail: `delivery ${f.delivery} (${what}) failed ${f.attempts} times: ${f.error}`,
    outcome: 'failed',
  });
  const pr = pullNumber(f.event);
  const comment =
    pr === undefined || !f.event
      ? Promise.resolve()
      : d.conversation.reply(f.event.repo, pr, [
          FAILED_DELIVERY_MARKER,
          `⚠️ envbot could not act on ${what} after ${f.attempts} attempts: ${f.error.replace(/`/g, "'")}`,
          '',
          `Once the cause is fixed, redeliver it (Settings → Webhooks → Recent Deliveries, delivery \`${f.delivery}\`) and envbot will try again.`,
        ].join('\n'));
  // Either channel may be the one that is down: try both, then say what failed.
  const failed = (await Promise.allSettled([audit, comment])).filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length > 0) throw new AggregateError(failed.map((r) => r.reason), `reporting failed delivery ${f.delivery}`);
}
