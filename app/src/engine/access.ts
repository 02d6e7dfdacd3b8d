import type { GitHubTrigger } from '../commands/types.js';
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
