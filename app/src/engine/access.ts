import type { EnvironmentRecord } from '../environments/record.js';
import type { Actor } from './actor.js';

export interface AccessPolicy {
  admins: string[];
  /** Empty = everyone may create. Entries are user ids or group ids. */
  allowedUsers: string[];
  maxPerUser: number;
  maxTotal: number;
}

export type Decision = { allowed: true } | { allowed: false; reason: string };

const ok: Decision = { allowed: true };

/** Operators at the terminal and the bot's own schedules act with admin rights. */
export function isAdmin(policy: AccessPolicy, actor: Actor): boolean {
  return actor.source === 'cli' || actor.source === 'system' || actor.source === 'schedule' || policy.admins.includes(actor.id);
}

export function canCreate(policy: AccessPolicy, actor: Actor): Decision {
  if (isAdmin(policy, actor) || policy.allowedUsers.length === 0) return ok;
  const ids = [actor.id, ...(actor.groups ?? [])];
  if (ids.some((id) => policy.allowedUsers.includes(id))) return ok;
  return { allowed: false, reason: 'you are not on envbot\'s allowlist — ask an envbot admin to add you (ENVBOT_ALLOWED_USERS)' };
}

/** Owners and admins may stop, start, destroy, extend and change config. */
export function canModify(policy: AccessPolicy, actor: Actor, record: EnvironmentRecord): Decision {
  if (isAdmin(policy, actor) || record.owner === actor.id) return ok;
  return { allowed: false, reason: `${record.name} belongs to ${record.owner}; only its owner or an envbot admin can change it` };
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
  const mine = active.filter((r) => r.owner === actor.id);
  if (mine.length >= policy.maxPerUser) {
    return {
      allowed: false,
      reason: `you already have ${mine.length} environments (limit ${policy.maxPerUser}): ${mine.map((r) => r.name).join(', ')} — destroy one first with \`/env down <name>\``,
    };
  }
  return ok;
}
