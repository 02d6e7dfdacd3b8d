import type { GitHubTrigger } from './types.js';
import { originOf, type EnvironmentRecord } from '../environments/record.js';
import { idsOf, ownerOf, type Actor } from './actor.js';

export interface AccessPolicy {
  /** Door-qualified ids (`slack:U…`, `github:login`, `oidc:email`, `cli:user`). */
  admins: string[];
  /** Empty = everyone may create. Door-qualified user ids, or Slack user groups (`slack:S…`). */
  allowedUsers: string[];
  maxPerUser: number;
  maxTotal: number;
}

export type Decision = { allowed: true } | { allowed: false; reason: string };

const ok: Decision = { allowed: true };

/** Operators at the terminal and the bot's own schedules act with admin rights. */
export function isAdmin(policy: AccessPolicy, actor: Actor): boolean {
  if (actor.source === 'cli' || actor.source === 'system' || actor.source === 'schedule') return true;
  return idsOf(actor).some((id) => policy.admins.includes(id));
}

export function canCreate(policy: AccessPolicy, actor: Actor): Decision {
  if (isAdmin(policy, actor) || policy.allowedUsers.length === 0) return ok;
  const ids = [...idsOf(actor), ...(actor.groups ?? [])];
  if (ids.some((id) => policy.allowedUsers.includes(id))) return ok;
  return { allowed: false, reason: 'you are not on envbot\'s allowlist — ask an envbot admin to add you (ENVBOT_ALLOWED_USERS)' };
}

/** The record's owner is this person, under any of their linked ids. */
export function isOwner(actor: Actor, record: EnvironmentRecord): boolean {
  return idsOf(actor).includes(ownerOf(record));
}

/** A GitHub event of the PR or branch that created this environment through GitHub in that repository. */
export function isOwnEvent(record: EnvironmentRecord, because: GitHubTrigger | undefined): boolean {
  const gh = originOf(record).github;
  if (!because || !gh) return false;
  const sameRepo = gh.owner.toLowerCase() === because.owner.toLowerCase() && gh.repo.toLowerCase() === because.repo.toLowerCase();
  if (!sameRepo) return false;
  if (because.pr !== undefined) return gh.pr === because.pr;
  return because.branch !== undefined && gh.branch === because.branch;
}

/**
 * Who may change an existing environment: its owner, an admin, or the GitHub event of the PR or
 * branch that created it.
 */
export function canModify(policy: AccessPolicy, actor: Actor, record: EnvironmentRecord, because?: GitHubTrigger): Decision {
  if (isAdmin(policy, actor) || isOwner(actor, record) || isOwnEvent(record, because)) return ok;
  return { allowed: false, reason: `${record.name} belongs to ${ownerOf(record)}; only its owner or an envbot admin can change it` };
}

/** Where an environment reports (Slack channel, PR link) changes only with its owner's consent. */
export function canRelink(actor: Actor, record: EnvironmentRecord, because?: GitHubTrigger): boolean {
  return isOwner(actor, record) || isOwnEvent(record, because);
}

export function ownedBy(actor: Actor, records: EnvironmentRecord[]): EnvironmentRecord[] {
  const ids = idsOf(actor);
  return records.filter((r) => ids.includes(ownerOf(r)));
}

export function withinQuota(policy: AccessPolicy, actor: Actor, live: EnvironmentRecord[]): Decision {
  const active = live.filter((r) => r.desired !== 'deleted');
  if (active.length >= policy.maxTotal) {
    return {
      allowed: false,
      reason: `envbot is at its limit of ${policy.maxTotal} environments — destroy one you no longer need (\`/env list\`, then \`/env down <name>\`)`,
    };
  }
  if (isAdmin(policy, actor)) return ok;
  const mine = ownedBy(actor, active);
  if (mine.length >= policy.maxPerUser) {
    return {
      allowed: false,
      reason: `you already have ${mine.length} environments (limit ${policy.maxPerUser}): ${mine.map((r) => r.name).join(', ')} — destroy one first with \`/env down <name>\``,
    };
  }
  return ok;
}

/**
 * Facts a door resolved about where a request comes from (a GitHub PR comment: the commenter's
 * repository permission, whether the PR is from a fork). The door only looks them up; the command
 * layer decides on them here, answers and audits, like every other refusal.
 */
export interface GitHubCommentFacts {
  door: 'github-comment';
  /** `owner/name` of the repository the comment is in. */
  repo: string;
  login: string;
  /** GitHub's permission (or finer role) for the commenter, `none` for outsiders. */
  permission: string;
  canWrite: boolean;
  /** The PR's state and origin; unknown (not fetched) for commenters without write access. */
  pull?: { state: 'open' | 'closed' | 'merged'; fork: boolean };
  forksAllowed: boolean;
}

export type DoorFacts = GitHubCommentFacts;

export const FORK_REFUSAL =
  "This pull request comes from a fork, and envbot doesn't deploy forks: their code would run with the environment's secrets. " +
  'An envbot admin can allow it (ENVBOT_ALLOW_FORKS=true).';

export const CONFIG_REFUSAL =
  '`/env config` is not available in PR comments: comments are public and config may hold secrets. Use Slack or the envbot CLI.';

export const BYPASS_REFUSAL =
  '`/env bypass` is not available in PR comments: comments are public and it shows a secret. Ask in a Slack DM with envbot or use the envbot CLI (admins only).';

export function writeAccessRefusal(login: string, repo: string, level: string): string {
  return `You need write access to ${repo} to run envbot commands (GitHub says ${login} has ${level === 'none' ? 'no access' : `"${level}"`}).`;
}

/** May a request with these door facts run `verb` at all? (Ownership is decided after, per record.) */
export function doorDecision(facts: DoorFacts | undefined, verb: string): Decision {
  if (!facts) return ok;
  if (!facts.canWrite) return { allowed: false, reason: writeAccessRefusal(facts.login, facts.repo, facts.permission) };
  if (verb === 'help' || verb === 'whoami') return ok;
  if (verb === 'config') return { allowed: false, reason: CONFIG_REFUSAL };
  if (verb === 'bypass') return { allowed: false, reason: BYPASS_REFUSAL };
  if (!facts.pull) return { allowed: false, reason: 'envbot could not read this pull request; nothing was changed.' };
  if (facts.pull.fork && !facts.forksAllowed) return { allowed: false, reason: FORK_REFUSAL };
  if ((verb === 'up' || verb === 'start') && facts.pull.state !== 'open') {
    return { allowed: false, reason: `This pull request is ${facts.pull.state}; envbot only deploys open pull requests.` };
  }
  return ok;
}
