import type { Command } from '../types.js';
import { accepted, refused, type CommandContext, type CommandResult, type Invocation } from '../context.js';
import { findModifiable, isResult } from './lookup.js';

export async function extend(ctx: CommandContext, inv: Invocation, cmd: Extract<Command, { verb: 'extend' }>): Promise<CommandResult> {
  const found = await findModifiable(ctx, inv, 'extend', cmd.name);
  if (isResult(found)) return found;
  if (!ctx.extendPort) return refused('Auto-stop schedules are not configured here (no EventBridge Scheduler role), so there is nothing to postpone.');
  let until: string;
  let display: string;
  try {
    ({ until, display } = await ctx.extendPort.extend(found, cmd.duration, ctx.now()));
  } catch (err) {
    return refused(`Can't extend ${found.name}: ${(err as Error).message}`);
  }
  const record = await ctx.store.mutate(found.name, (r) => ({ ...r, autoStopPostponedUntil: until, touchedAt: ctx.now().toISOString() }));
  if (record) await ctx.notifier.notify(record, { kind: 'extended', until });
  return accepted(`*${found.name}* stays up until ${display}; the auto-stop is postponed.`, { ...(record && { record }) });
}
