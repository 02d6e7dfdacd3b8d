import type { webApi } from '@slack/bolt';
import { doorOf, localId } from '../../commands/actor.js';
import type { EmailDirectory } from '../../commands/identity.js';

type SlackUser = { id?: string; deleted?: boolean; is_bot?: boolean; is_email_confirmed?: boolean; profile?: { email?: string } };

/** Only a real, active person whose email Slack has confirmed can be matched by email. */
function trusted(user: SlackUser | undefined): user is SlackUser & { id: string } {
  return Boolean(user?.id) && !user!.deleted && !user!.is_bot && user!.is_email_confirmed !== false;
}

/**
 * Slack's side of linking by verified email (needs the `users:read.email` scope): the Slack user
 * with an email (`users.lookupByEmail`), and a Slack user's email (`users.info`).
 */
export class SlackEmailDirectory implements EmailDirectory {
  constructor(private readonly client: Pick<webApi.WebClient, 'users'>) {}

  async idForEmail(email: string): Promise<string | undefined> {
    try {
      const res = await this.client.users.lookupByEmail({ email });
      const user = res.user as SlackUser | undefined;
      return trusted(user) ? `slack:${user.id}` : undefined;
    } catch (err) {
      // No such person in this workspace is an answer, not a failure.
      if ((err as { data?: { error?: string } }).data?.error === 'users_not_found') return undefined;
      throw err;
    }
  }

  async emailOf(id: string): Promise<string | undefined> {
    if (doorOf(id) !== 'slack') return undefined;
    const res = await this.client.users.info({ user: localId(id) });
    const user = res.user as SlackUser | undefined;
    return trusted(user) ? user.profile?.email?.toLowerCase() : undefined;
  }
}
