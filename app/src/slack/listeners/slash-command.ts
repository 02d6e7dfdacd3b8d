import type { App, RespondFn } from '@slack/bolt';
import { parseCommand } from '../../commands/grammar.js';
import type { Command } from '../../commands/types.js';
import type { SlackDeps } from '../deps.js';
import { postPlaceholder, removePlaceholder } from '../progress/placeholder.js';
import { renderCommandReply } from '../render/command-reply.js';
import { renderHelp } from '../render/help.js';
import { renderRefusal, renderResultText, renderWorking } from '../render/reply.js';

export const SLASH_COMMAND = '/env';

interface Origin {
  user: string;
  userName: string | undefined;
  channel: string;
}

/**
 * `/env <command>`. Slack wants an answer within 3 seconds, so the acknowledgement never waits for
 * AWS: bad input and `help` are answered in the ack itself (no I/O), everything else is acked with
 * "Working on …" and then run in the background; the answer replaces that ephemeral message.
 */
export function registerSlashCommand(app: App, d: SlackDeps): void {
  app.command(SLASH_COMMAND, async ({ command, ack, respond }) => {
    const parsed = parseCommand(command.text ?? '');
    if (!parsed.ok) return ack({ response_type: 'ephemeral', ...renderRefusal(parsed.reply) });
    if (parsed.command.verb === 'help') return ack({ response_type: 'ephemeral', ...renderHelp(parsed.command.topic) });
    await ack({ response_type: 'ephemeral', ...renderWorking(parsed.command) });
    const origin: Origin = { user: command.user_id, userName: command.user_name, channel: command.channel_id };
    d.background.run(`/env ${parsed.command.verb}`, () => runCommand(d, origin, parsed.command, respond));
  });
}

async function runCommand(d: SlackDeps, origin: Origin, command: Command, respond: RespondFn): Promise<void> {
  let reply;
  try {
    const actor = await d.actors.resolve(origin.user, origin.userName);
    const progress =
      command.verb === 'up'
        ? await postPlaceholder(d.client, d.log, { channel: origin.channel, user: origin.user, name: command.name ?? command.branch })
        : undefined;
    const result = await d.engine.run({ actor, ...(progress && { report: { slack: progress } }) }, command);
    // Someone else's environment keeps reporting where its owner asked: this placeholder goes.
    const taken = result.record?.report.slack?.messageTs === progress?.messageTs;
    if (progress && (result.kind === 'refused' || result.kind === 'error' || !taken)) await removePlaceholder(d.client, d.log, progress);
    else if (result.kind === 'accepted' && result.record) d.notifier.refresh(result.record);
    reply = renderCommandReply(command, result, d.engine.ctx.now());
  } catch (err) {
    // Slack or the core failed outside a command's own error handling; the user still hears back.
    d.log.error({ err, verb: command.verb }, 'slash command failed');
    reply = renderResultText({ kind: 'error', text: `Sorry, \`/env ${command.verb}\` failed: ${(err as Error).message}. Try again in a moment.` });
  }
  await respond({ response_type: 'ephemeral', replace_original: true, ...reply });
}
