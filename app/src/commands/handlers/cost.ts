import type { Command } from '../types.js';
import { info, refused, type CommandContext, type CommandResult } from '../context.js';
import { findEnv, isResult } from './lookup.js';

export async function cost(ctx: CommandContext, cmd: Extract<Command, { verb: 'cost' }>): Promise<CommandResult> {
  if (!ctx.costPort) return refused('Cost tracking is not configured here.');
  if (cmd.name) {
    const found = await findEnv(ctx, 'cost', cmd.name);
    if (isResult(found)) return found;
  }
  return info(await ctx.costPort.costText(cmd.name, ctx.now()));
}
