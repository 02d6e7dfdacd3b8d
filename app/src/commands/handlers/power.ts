import type { Command } from '../types.js';
import { accepted, info, type CommandContext, type CommandResult, type Invocation } from '../context.js';
import { findModifiable, isResult } from './lookup.js';

/** `stop` and `start` only change the desired count; nothing is rebuilt. */
export async function power(
  ctx: CommandContext,
  inv: Invocation,
  cmd: Extract<Command, { verb: 'stop' | 'start' }>,
): Promise<CommandResult> {
  const found = await findModifiable(ctx, inv, cmd.verb, cmd.name);
  if (isResult(found)) return found;
  const desired = cmd.verb === 'stop' ? 'stopped' : 'running';
  if (found.desired === desired && (found.status === 'ready' || found.status === 'stopped')) {
    return info(`*${found.name}* is already ${desired === 'stopped' ? 'stopped' : 'running'}.`, { record: found });
  }
  const updated = await ctx.store.mutate(found.name, (r) => ({
    ...r,
    desired,
    status: desired === 'stopped' ? 'stopping' : 'queued',
    // Why it stopped decides whether a request may wake it (record.ts wakeableByRequest).
    stopReason: desired === 'stopped' ? stopReasonOf(inv, cmd) : undefined,
    touchedAt: ctx.now().toISOString(),
  }));
  ctx.kick(found.name);
  const text = desired === 'stopped' ? `Stopping *${found.name}* (scaling to zero; \`/env start ${found.name}\` brings it back).` : `Starting *${found.name}* with the same image and config.`;
  return accepted(text, { ...(updated && { record: updated }) });
}

/** Only envbot itself may say a stop was for idleness; a person's stop is always `user`. */
function stopReasonOf(inv: Invocation, cmd: Extract<Command, { verb: 'stop' | 'start' }>): 'idle' | 'user' {
  return cmd.verb === 'stop' && cmd.reason === 'idle' && inv.actor.source === 'system' ? 'idle' : 'user';
}
