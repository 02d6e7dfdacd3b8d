import type { AccessPolicy } from '../../commands/access.js';
import type { Actor } from '../../commands/actor.js';
import { isUserGroupId, type GroupMembership } from './group-membership.js';

/**
 * Turns a Slack user into the core's Actor (`slack:U…`). Group membership is only looked up when
 * it can matter: the allowlist names user groups (`slack:S…`) and does not name the user directly.
 * The decisions themselves (allowlist, owner/admin, quotas, linked ids) stay in the command layer.
 */
export class ActorResolver {
  constructor(
    private readonly policy: AccessPolicy,
    private readonly groups: GroupMembership,
  ) {}

  async resolve(userId: string, name?: string): Promise<Actor> {
    const id = `slack:${userId}`;
    const actor: Actor = { id, source: 'slack', ...(name && { name }) };
    const groupIds = this.policy.allowedUsers.filter((g) => g.startsWith('slack:') && isUserGroupId(g.slice('slack:'.length)));
    if (groupIds.length === 0 || this.policy.allowedUsers.includes(id) || this.policy.admins.includes(id)) return actor;
    const found = await Promise.all(groupIds.map(async (g) => ((await this.groups.members(g.slice('slack:'.length))).has(userId) ? g : undefined)));
    return { ...actor, groups: found.filter((g): g is string => g !== undefined) };
  }
}
