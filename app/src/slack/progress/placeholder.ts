import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { ReportTargets } from '../../environments/record.js';
import { renderPlaceholder } from '../render/env-message.js';

type SlackRef = NonNullable<ReportTargets['slack']>;

/**
 * Posts the message `up` will keep updating, before the core runs, so its channel and ts can go
 * into the Invocation (and thus the record) from the first notice on. Where the bot may not post
 * (a private channel it is not in, a DM between people), the progress goes to the requester's
 * DM with the bot instead; if even that fails, the command runs without a progress message.
 */
export async function postPlaceholder(
  client: webApi.WebClient,
  log: Logger,
  where: { channel: string; user: string; name: string | undefined },
): Promise<SlackRef | undefined> {
  const message = renderPlaceholder(where.name, where.user);
  for (const channel of [where.channel, where.user]) {
    try {
      const res = await client.chat.postMessage({ channel, text: message.text, blocks: message.blocks });
      if (res.ts) return { channel: res.channel ?? channel, messageTs: res.ts, threadTs: res.ts };
    } catch (err) {
      log.warn({ err, channel }, 'could not post the progress message here');
    }
  }
  return undefined;
}

/** `up` was refused (quota, allowlist…): the refusal goes to the requester only, so the public placeholder goes. */
export async function removePlaceholder(client: webApi.WebClient, log: Logger, ref: SlackRef): Promise<void> {
  try {
    await client.chat.delete({ channel: ref.channel, ts: ref.messageTs! });
  } catch (err) {
    log.warn({ err, channel: ref.channel }, 'could not remove the progress message');
  }
}
