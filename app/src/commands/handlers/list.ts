import { ownedBy } from '../access.js';
import type { Command } from '../types.js';
import { info, type CommandContext, type CommandResult, type Invocation } from '../context.js';
import { renderList } from '../render-text.js';

export async function list(ctx: CommandContext, inv: Invocation, cmd: Extract<Command, { verb: 'list' }>): Promise<CommandResult> {
  const all = (await ctx.store.list()).filter((r) => r.desired !== 'deleted' || r.status === 'deleting');
  // `--mine` is one person's across doors: every linked id counts.
  const records = (cmd.mine ? ownedBy(inv.actor, all) : all).sort((a, b) => a.name.localeCompare(b.name));
  return info(renderList(records, cmd.mine), { records });
}
