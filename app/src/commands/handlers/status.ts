import type { Command } from '../types.js';
import { info, type CommandContext, type CommandResult } from '../context.js';
import { renderStatus } from '../render-text.js';
import { findEnv, isResult } from './lookup.js';

export async function status(ctx: CommandContext, cmd: Extract<Command, { verb: 'status' }>): Promise<CommandResult> {
  const found = await findEnv(ctx, 'status', cmd.name);
  if (isResult(found)) return found;
  const now = ctx.now();
  const nextStop = ctx.extendPort?.nextStop?.(found, now);
  const cost = await ctx.costPort?.costSoFar?.(found.name, now).catch(() => undefined);
  return info(renderStatus(found, { ...(nextStop && { nextStop }), ...(cost !== undefined && { cost }) }), {
    record: found,
    data: { nextStop, cost },
  });
}
