import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';

/** Slack user group ids start with S (`S0123ABCD`); user ids with U or W. */
export const isUserGroupId = (id: string): boolean => /^S[A-Z0-9]{2,}$/.test(id);

interface Entry {
  members: Promise<Set<string>>;
  until: number;
}

/**
 * Members of Slack user groups (`usergroups.users.list`), cached briefly: the allowlist may name a
 * group, and asking Slack on every command would be slow and rate-limited. A failed look-up counts
 * as "no members" (fail closed) and is retried after a short while, not after the full TTL.
 */
export class GroupMembership {
  private readonly cache = new Map<string, Entry>();

  constructor(
    private readonly client: Pick<webApi.WebClient, 'usergroups'>,
    private readonly log: Logger,
    private readonly ttlMs = 5 * 60_000,
    private readonly nowMs: () => number = Date.now,
  ) {}

  members(groupId: string): Promise<Set<string>> {
    const now = this.nowMs();
    const hit = this.cache.get(groupId);
    if (hit && hit.until > now) return hit.members;
    const entry: Entry = { until: now + this.ttlMs, members: this.fetch(groupId, () => (entry.until = now + Math.min(this.ttlMs, 30_000))) };
    this.cache.set(groupId, entry);
    return entry.members;
  }

  private async fetch(groupId: string, onFailure: () => void): Promise<Set<string>> {
    try {
      const res = await this.client.usergroups.users.list({ usergroup: groupId });
      return new Set(res.users ?? []);
    } catch (err) {
      onFailure();
      this.log.warn({ err, usergroup: groupId }, 'reading Slack user group members failed; treating the group as empty');
      return new Set();
    }
  }
}
