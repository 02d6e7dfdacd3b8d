import type { ZodError } from 'zod';
import { BOT_MARKER, commandLines, MAX_COMMANDS_PER_COMMENT } from '../handlers/comment-lines.js';
import {
  deleteSchema,
  describeIssue,
  issueCommentSchema,
  pullInfoFrom,
  pullRequestEventSchema,
  pushSchema,
  type PullInfo,
} from './payloads.js';
import { repoFromFullName, sameRepo, type RepoRef } from './repo-ref.js';

/** A delivery envbot acts on, reduced to what the handlers need. */
export type GitHubEvent =
  | { type: 'comment'; repo: RepoRef; pr: number; commentId: number; login: string; lines: string[] }
  | { type: 'pull'; action: PullAction; repo: RepoRef; pull: PullInfo; sender: string; label?: string }
  | { type: 'push'; repo: RepoRef; branch: string; sha: string; sender?: string }
  | { type: 'branch-deleted'; repo: RepoRef; branch: string; sender?: string };

export const PULL_ACTIONS = ['opened', 'reopened', 'ready_for_review', 'labeled', 'synchronize', 'closed'] as const;
export type PullAction = (typeof PULL_ACTIONS)[number];

/** The events to subscribe the webhook to (docs/github-setup.md lists the same). */
export const HANDLED_EVENTS = ['issue_comment', 'pull_request', 'push', 'delete'] as const;

export type Triage =
  | { kind: 'handle'; event: GitHubEvent }
  | { kind: 'ping' }
  | { kind: 'ignore'; reason: string }
  | { kind: 'malformed'; reason: string };

const ignore = (reason: string): Triage => ({ kind: 'ignore', reason });

/**
 * Decides at the door, before answering GitHub, what a verified delivery means: act on it, ignore
 * it (with the reason, shown in GitHub's delivery log), or refuse it as malformed. Pure and quick.
 */
export function triage(name: string, payload: unknown, served?: RepoRef): Triage {
  if (name === 'ping') return { kind: 'ping' };
  if (!(HANDLED_EVENTS as readonly string[]).includes(name)) return ignore(`event "${name}" is not handled`);
  const parsed = parseEvent(name as (typeof HANDLED_EVENTS)[number], payload);
  if (parsed.kind !== 'handle') return parsed;
  if (served && !sameRepo(parsed.event.repo, served)) {
    return ignore(`repository ${parsed.event.repo.owner}/${parsed.event.repo.repo} is not served by this envbot`);
  }
  return parsed;
}

function parseEvent(name: (typeof HANDLED_EVENTS)[number], payload: unknown): Triage {
  switch (name) {
    case 'issue_comment':
      return commentEvent(payload);
    case 'pull_request':
      return pullEvent(payload);
    case 'push':
      return pushEvent(payload);
    case 'delete':
      return deleteEvent(payload);
  }
}

function malformed(name: string, error: ZodError): Triage {
  return { kind: 'malformed', reason: `malformed ${name} payload: ${describeIssue(error)}` };
}

function commentEvent(payload: unknown): Triage {
  const p = issueCommentSchema.safeParse(payload);
  if (!p.success) return malformed('issue_comment', p.error);
  const { action, issue, comment, repository, sender } = p.data;
  if (action !== 'created') return ignore(`issue_comment.${action} is not handled (only new comments carry commands)`);
  if (!issue.pull_request) return ignore('the comment is on an issue, not a pull request');
  if (sender.type === 'Bot' || comment.user.type === 'Bot') return ignore('comments by bots are not commands');
  const body = comment.body ?? '';
  if (body.includes(BOT_MARKER)) return ignore("envbot's own comment");
  // Only what will run is recorded: the inbox item stays small whoever comments.
  const lines = commandLines(body).slice(0, MAX_COMMANDS_PER_COMMENT);
  if (lines.length === 0) return ignore('no /env command in the comment');
  return {
    kind: 'handle',
    event: { type: 'comment', repo: repoFromFullName(repository.full_name)!, pr: issue.number, commentId: comment.id, login: sender.login, lines },
  };
}

function pullEvent(payload: unknown): Triage {
  const p = pullRequestEventSchema.safeParse(payload);
  if (!p.success) return malformed('pull_request', p.error);
  const { action, pull_request, label, repository, sender } = p.data;
  if (!(PULL_ACTIONS as readonly string[]).includes(action)) return ignore(`pull_request.${action} is not handled`);
  return {
    kind: 'handle',
    event: {
      type: 'pull',
      action: action as PullAction,
      repo: repoFromFullName(repository.full_name)!,
      pull: pullInfoFrom(pull_request),
      sender: sender.login,
      ...(label && { label: label.name }),
    },
  };
}

function pushEvent(payload: unknown): Triage {
  const p = pushSchema.safeParse(payload);
  if (!p.success) return malformed('push', p.error);
  const { ref, after, deleted, repository, sender } = p.data;
  if (!ref.startsWith('refs/heads/')) return ignore('pushes of tags are not handled');
  if (deleted) return ignore('branch deletion is handled by the delete event');
  const event = { type: 'push' as const, repo: repoFromFullName(repository.full_name)!, branch: ref.slice('refs/heads/'.length), sha: after };
  return { kind: 'handle', event: { ...event, ...(sender && { sender: sender.login }) } };
}

function deleteEvent(payload: unknown): Triage {
  const p = deleteSchema.safeParse(payload);
  if (!p.success) return malformed('delete', p.error);
  if (p.data.ref_type !== 'branch') return ignore(`deleting a ${p.data.ref_type} is not handled`);
  const event = { type: 'branch-deleted' as const, repo: repoFromFullName(p.data.repository.full_name)!, branch: p.data.ref };
  return { kind: 'handle', event: { ...event, ...(p.data.sender && { sender: p.data.sender.login }) } };
}
