import type { Command } from '../types.js';
import { accepted, type CommandContext, type CommandResult, type Invocation } from '../context.js';
import { findModifiable, isResult } from './lookup.js';

export async function down(ctx: CommandContext, inv: Invocation, cmd: Extract<Command, { verb: 'down' }>): Promise<CommandResult> {
  const found = await findModifiable(ctx, inv, 'down', cmd.name, cmd.because);
  if (isResult(found)) return found;
  const reason = cmd.reason ?? 'user';
  // The first reason stays: the final notice says why the teardown started.
  const updated = await ctx.store.mutate(found.name, (r) => ({ ...r, desired: 'deleted', status: 'deleting', destroyReason: r.destroyReason ?? reason }));
  ctx.kick(found.name);
  return accepted(`Destroying *${found.name}*: service, load balancer rule, schedules and its own config. I'll confirm when it's gone.`, {
    ...(updated && { record: updated }),
  });
}
