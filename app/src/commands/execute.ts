import { parseCommand } from './grammar.js';
import { helpText } from './help.js';
import type { Command } from './types.js';
import { info, refused, type CommandContext, type CommandResult, type Invocation } from './context.js';
import { config } from './handlers/config.js';
import { cost } from './handlers/cost.js';
import { down } from './handlers/down.js';
import { extend } from './handlers/extend.js';
import { list } from './handlers/list.js';
import { power } from './handlers/power.js';
import { status } from './handlers/status.js';
import { up } from './handlers/up.js';

const CHANGES_STATE = new Set(['up', 'down', 'stop', 'start', 'config', 'extend']);

/** Runs a parsed command. Never throws: failures become a user-facing `error` result. */
export async function execute(ctx: CommandContext, inv: Invocation, command: Command): Promise<CommandResult> {
  let result: CommandResult;
  try {
    result = await dispatch(ctx, inv, command);
  } catch (err) {
    ctx.log.error({ err, verb: command.verb }, 'command failed');
    result = {
      kind: 'error',
      text: `Sorry, \`${command.verb}\` failed: ${(err as Error).message}. Nothing was changed if this happened before I answered; try again in a moment.`,
    };
  }
  if (CHANGES_STATE.has(command.verb) && !(command.verb === 'config' && command.action.kind === 'show')) {
    await ctx.store
      .audit({
        at: ctx.now().toISOString(),
        actor: inv.actor.id,
        source: inv.actor.source,
        action: command.verb,
        ...('name' in command && command.name !== undefined && { env: command.name }),
        ...(result.record && { env: result.record.name }),
        // Never the config value: it may be a secret.
        ...(command.verb === 'config' && command.action.kind !== 'show' && { detail: `${command.action.kind} ${command.action.key}` }),
        outcome: result.kind === 'accepted' || result.kind === 'info' ? 'accepted' : result.kind === 'refused' ? 'refused' : 'failed',
      })
      .catch((err) => ctx.log.warn({ err }, 'audit write failed'));
  }
  return result;
}

/** Text in, result out: the one entry every front end uses. */
export async function executeText(ctx: CommandContext, inv: Invocation, text: string): Promise<CommandResult> {
  const parsed = parseCommand(text);
  if (!parsed.ok) return refused(parsed.reply);
  return execute(ctx, inv, parsed.command);
}

function dispatch(ctx: CommandContext, inv: Invocation, command: Command): Promise<CommandResult> {
  switch (command.verb) {
    case 'up':
      return up(ctx, inv, command);
    case 'down':
      return down(ctx, inv, command);
    case 'stop':
    case 'start':
      return power(ctx, inv, command);
    case 'list':
      return list(ctx, inv, command);
    case 'status':
      return status(ctx, command);
    case 'config':
      return config(ctx, inv, command);
    case 'extend':
      return extend(ctx, inv, command);
    case 'cost':
      return cost(ctx, command);
    case 'help':
      return Promise.resolve(info(helpText(command.topic)));
  }
}
