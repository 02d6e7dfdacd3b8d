import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';

const REFUSED = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked']);

/** A wrong token is a configuration error worth failing on; an unreachable Slack is not. */
export async function checkToken(client: webApi.WebClient, log: Logger): Promise<void> {
  try {
    const me = await client.auth.test();
    log.info({ team: me.team, bot: me.user }, 'connected to Slack');
  } catch (err) {
    const code = (err as { data?: { error?: string } }).data?.error;
    if (code && REFUSED.has(code)) {
      throw new Error(`connecting to Slack: the bot token was refused (${code}) — check SLACK_BOT_TOKEN`);
    }
    log.warn({ err }, 'could not reach Slack to check the bot token; continuing');
  }
}
