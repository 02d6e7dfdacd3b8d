import type { AccessPolicy } from '../../engine/access.js';
import type { Actor } from '../../engine/actor.js';
import { isUserGroupId, type GroupMembership } from './group-membership.js';

/**
 * Turns a Slack user into the core's Actor. Group membership is only looked up when it can matter:
 * the allowlist names user groups and does not name the user directly. The decisions themselves
 * (allowlist, owner/admin, quotas) stay in the core's access policy.
 */
export class ActorResolver {
  constructor(
    private readonly policy: AccessPolicy,
    private readonly groups: GroupMembership,
  ) {}

  async resolve(id: string, name?: string): Promise<Actor> {
    const actor: Actor = { id, source: 'slack', ...(name && { name }) };
    const groupIds = this.policy.allowedUsers.filter(isUserGroupId);
    if (groupIds.length === 0 || this.policy.allowedUsers.includes(id) || this.policy.admins.includes(id)) return actor;
    const found = await Promise.all(groupIds.map(async (g) => ((await this.groups.members(g)).has(id) ? g : undefined)));
    return { ...actor, groups: found.filter((g): g is string => g !== undefined) };
  }
}
