import type { CommandResult } from '../../commands/context.js';
import type { Reaction } from './conversation.js';
import type { GitHubDeps } from '../deps.js';
import { isLinkedTo } from '../handlers/env-lookup.js';
import { renderReply, slackToMarkdown } from '../render/render-reply.js';
import type { RepoRef } from '../connection/repo-ref.js';

export interface Asked {
  repo: RepoRef;
  pr: number;
  /** Who asked (a login), and what: the command line or the triggering event. */
  login: string;
  about: string;
  /** The comment to react on, when a comment asked. */
  commentId?: number;
  /** Reaction for an accepted command. */
  onAccepted?: Reaction;
  preformatted?: boolean;
}

/**
 * Shows a command's outcome on the PR. Accepted work on this PR's environment shows in its living
 * comment (plus a reaction) — no new comment per event; answers, refusals and errors are replies
 * that say why.
 */
export async function respond(d: GitHubDeps, a: Asked, result: CommandResult): Promise<void> {
  const record = result.record;
  if (result.kind === 'accepted' && record && isLinkedTo(record, a.repo, a.pr)) {
    await d.publisher.update(record, { event: `${slackToMarkdown(firstSentence(result.text))} (\`${a.about}\` by @${a.login})` });
    await react(d, a, a.onAccepted ?? '+1');
    return;
  }
  const body = renderReply({ login: a.login, about: a.about, kind: result.kind, text: result.text, ...(a.preformatted && { preformatted: true }) });
  await d.conversation.reply(a.repo, a.pr, body);
  if (result.kind === 'refused' || result.kind === 'error') await react(d, a, 'confused');
  else if (result.kind === 'accepted') await react(d, a, a.onAccepted ?? '+1');
}

async function react(d: GitHubDeps, a: Asked, content: Reaction): Promise<void> {
  if (a.commentId === undefined) return;
  await d.conversation.react(a.repo, a.commentId, content).catch((err) => d.log.warn({ err }, 'adding a reaction failed'));
}

function firstSentence(text: string): string {
  const line = text.split('\n')[0] ?? text;
  const end = line.search(/\.(\s|$)/);
  return end < 0 ? line : line.slice(0, end + 1);
}
