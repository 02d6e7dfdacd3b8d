import { refused, type CommandResult, type Invocation } from '../../commands/context.js';
import { parseCommand } from '../../commands/grammar.js';
import type { Command } from '../../commands/types.js';
import { doorDecision, type GitHubCommentFacts } from '../../commands/access.js';
import type { Actor } from '../../commands/actor.js';
import { MAX_COMMANDS_PER_COMMENT } from './comment-lines.js';
import type { GitHubDeps } from '../deps.js';
import { defaultEnvName } from './env-lookup.js';
import { deployPull } from './deploy-pull.js';
import type { PullInfo } from '../connection/payloads.js';
import { fetchPull } from '../connection/pulls.js';
import { doorFacts } from '../access/door-facts.js';
import { settingsProblemText } from '../render/render-reply.js';
import { fullName } from '../connection/repo-ref.js';
import { respond, type Asked } from '../progress/respond.js';
import type { GitHubEvent } from '../connection/triage.js';

type CommentEvent = Extract<GitHubEvent, { type: 'comment' }>;

/**
 * `/env …` lines in a PR comment: 👀 at once, then who-may (write access, no forks), then each
 * line through the same grammar and core as Slack, with the PR's branch as the default name.
 */
export async function handleComment(d: GitHubDeps, ev: CommentEvent): Promise<void> {
  const log = d.log.child({ repo: fullName(ev.repo), pr: ev.pr, comment: ev.commentId, login: ev.login });
  await d.conversation.react(ev.repo, ev.commentId, 'eyes').catch((err) => log.warn({ err }, 'adding 👀 failed'));
  const asked = (line: string): Asked => ({ repo: ev.repo, pr: ev.pr, login: ev.login, about: line, commentId: ev.commentId });
  const looked = await lookUp(d, ev).catch((err): CommandResult => {
    log.error({ err }, 'checking a PR command failed');
    return { kind: 'error', text: `Sorry, I couldn't check this command with GitHub (${(err as Error).message}). Nothing was changed; try again in a moment.` };
  });
  if ('kind' in looked) return respond(d, asked(ev.lines.join(' · ')), looked);
  // Someone without write access gets one answer (and one audit entry), not one per line.
  const lines = ev.lines.slice(0, looked.facts.canWrite ? MAX_COMMANDS_PER_COMMENT : 1);
  for (const line of lines) {
    try {
      await runLine(d, ev, looked, line, asked(line));
    } catch (err) {
      log.error({ err, line }, 'PR command failed');
      await respond(d, asked(line), { kind: 'error', text: `Sorry, that failed: ${(err as Error).message}. Try again in a moment.` });
    }
  }
}

interface LookedUp {
  facts: GitHubCommentFacts;
  pull?: PullInfo;
}

/** The facts the command layer decides on: the commenter's permission, then (for writers) the PR. */
async function lookUp(d: GitHubDeps, ev: CommentEvent): Promise<LookedUp> {
  const permission = await d.permissions.of(ev.repo, ev.login);
  const pull = permission.canWrite ? await fetchPull(d.octokit, ev.repo, ev.pr) : undefined;
  return { facts: doorFacts(d, ev.repo, ev.login, permission, pull), ...(pull && { pull }) };
}

async function runLine(d: GitHubDeps, ev: CommentEvent, looked: LookedUp, line: string, asked: Asked): Promise<void> {
  const parsed = parseCommand(line);
  const actor: Actor = { id: `github:${ev.login}`, source: 'github', name: ev.login };
  const inv = { actor, door: looked.facts };
  // Someone without write access hears only that, even for a line that does not parse.
  if (!looked.facts.canWrite) return respond(d, asked, await d.engine.run(inv, parsed.ok ? parsed.command : { verb: 'help' }));
  if (!parsed.ok) return respond(d, asked, refused(parsed.reply));
  const cmd = parsed.command;
  const { pull } = looked;
  if (cmd.verb === 'help') return respond(d, { ...asked, preformatted: true }, await d.engine.run(inv, cmd));
  if (!pull || !doorDecision(looked.facts, cmd.verb).allowed) return respond(d, asked, await d.engine.run(inv, cmd));
  if (cmd.verb === 'up') return respond(d, { ...asked, onAccepted: 'rocket' }, await up(d, ev, pull, cmd, inv));
  const named = withDefaultName(cmd, await d.engine.store.list().then((all) => defaultEnvName(all, ev.repo, pull)));
  const onAccepted = cmd.verb === 'start' ? 'rocket' : '+1';
  return respond(d, { ...asked, onAccepted }, await d.engine.run(inv, named));
}

async function up(d: GitHubDeps, ev: CommentEvent, pull: PullInfo, cmd: Extract<Command, { verb: 'up' }>, inv: Invocation): Promise<CommandResult> {
  const settings = await d.settings.at(ev.repo, pull.headSha);
  if (!settings.ok) return refused(settingsProblemText(pull.headSha, settings.problems));
  return deployPull(d, { repo: ev.repo, pull, actor: inv.actor, ...(inv.door && { door: inv.door }), command: cmd, settings: settings.settings });
}

/** Verbs that act on one environment default to the PR's; `list`, `help` and `up` do not. */
function withDefaultName(cmd: Command, name: string | undefined): Command {
  if (name === undefined) return cmd;
  switch (cmd.verb) {
    case 'down':
    case 'stop':
    case 'start':
    case 'status':
    case 'extend':
    case 'cost':
      return cmd.name === undefined ? { ...cmd, name } : cmd;
    default:
      return cmd;
  }
}
