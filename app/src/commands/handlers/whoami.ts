import { isAdmin } from '../access.js';
import { idsOf } from '../actor.js';
import { info, type CommandContext, type CommandResult, type Invocation } from '../context.js';

/** Who envbot thinks you are: this door's id, the ids linked to it, admin or not. */
export async function whoami(ctx: CommandContext, inv: Invocation): Promise<CommandResult> {
  const { actor } = inv;
  const linked = idsOf(actor).filter((id) => id !== actor.id);
  const admin = isAdmin(ctx.access, actor);
  const lines = [
    `You are ${actor.id}${actor.name && actor.name !== actor.id ? ` (${actor.name})` : ''}.`,
    linked.length > 0
      ? `Linked ids (the same person; your environments, --mine and quota count across them): ${linked.join(', ')}.`
      : 'No other ids are linked to you (an admin can link them with ENVBOT_IDENTITY_LINKS, or they match by verified email).',
    admin ? 'You are an envbot admin: you may change any environment.' : 'You are not an envbot admin: you may change the environments you own.',
  ];
  return info(lines.join('\n'), { data: { id: actor.id, linked, admin } });
}
