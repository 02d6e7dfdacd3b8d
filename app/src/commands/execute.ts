import { qualifyActor, type Actor } from './actor.js';
import { canModify, doorDecision } from './access.js';
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
import { whoami } from './handlers/whoami.js';
import { bypass } from './handlers/bypass.js';

const CHANGES_STATE = new Set(['up', 'down', 'stop', 'start', 'config', 'extend']);
/** Read verbs audited anyway: `bypass` hands out a secret, so who saw it (or was refused) is kept. */
const AUDITED_READS = new Set(['bypass']);

/**
 * Runs a parsed command: the one place where the actor's identity is resolved (linked ids across
 * doors), access is decided (in the handlers, through commands/access.ts) and the audit entry is
 * written, for every verb and every door. Never throws: failures become a user-facing `error`.
 */
export async function execute(ctx: CommandContext, invocation: Invocation, command: Command): Promise<CommandResult> {
  let result: CommandResult;
  let inv = { ...invocation, actor: qualifyActor(invocation.actor) };
  const atDoor = doorDecision(inv.door, command.verb);
  try {
    inv = { ...inv, actor: await resolveActor(ctx, inv.actor) };
    result = atDoor.allowed ? await dispatch(ctx, inv, command) : refused(atDoor.reason);
  } catch (err) {
    ctx.log.error({ err, verb: command.verb }, 'command failed');
    result = {
      kind: 'error',
      text: `Sorry, \`${command.verb}\` failed: ${(err as Error).message}. Nothing was changed if this happened before I answered; try again in a moment.`,
    };
  }
  // Every change is audited; so is every refusal of who-may-ask, whatever the verb.
  if (!atDoor.allowed || AUDITED_READS.has(command.verb) || (CHANGES_STATE.has(command.verb) && !(command.verb === 'config' && command.action.kind === 'show'))) {
    await audit(ctx, inv, command, result);
  }
  return result;
}

/** Text in, result out: the one entry every front end uses. */
export async function executeText(ctx: CommandContext, inv: Invocation, text: string): Promise<CommandResult> {
  const parsed = parseCommand(text);
  if (!parsed.ok) return refused(parsed.reply);
  return execute(ctx, inv, parsed.command);
}

/** The actor with its door-qualified id and every id linked to it. */
export async function resolveActor(ctx: Pick<CommandContext, 'identities'>, actor: Actor): Promise<Actor> {
  const q = qualifyActor(actor);
  return ctx.identities ? ctx.identities.resolve(q) : { ...q, aliases: [q.id] };
}

/**
 * Refuses (and audits the refusal) when this actor may not `verb` the environment `name`; for
 * front ends that offer a form before the command runs (Slack's Extend modal). The command still
 * decides again when it runs.
 */
export async function refusalToChange(ctx: CommandContext, invocation: Invocation, verb: 'extend', name: string): Promise<CommandResult | undefined> {
  const inv = { ...invocation, actor: await resolveActor(ctx, invocation.actor) };
  const record = await ctx.store.get(name);
  const decision =
    !record || record.desired === 'deleted' ? { allowed: false as const, reason: `there is no environment called ${name}` } : canModify(ctx.access, inv.actor, record);
  if (decision.allowed) return undefined;
  const result = refused(`You can't ${verb} ${name}: ${decision.reason}.`);
  await writeAudit(ctx, inv, verb, name, result, []);
  return result;
}

async function audit(ctx: CommandContext, inv: Invocation, command: Command, result: CommandResult): Promise<void> {
  const detail = [
    // Never the config value: it may be a secret.
    command.verb === 'config' && command.action.kind !== 'show' ? `${command.action.kind} ${command.action.key}` : undefined,
    command.verb === 'down' && command.reason ? `reason ${command.reason}` : undefined,
    'because' in command && command.because ? `GitHub ${command.because.owner}/${command.because.repo} ${command.because.pr ? `PR #${command.because.pr}` : `branch ${command.because.branch}`}` : undefined,
  ].filter((d): d is string => typeof d === 'string' && d !== '');
  const env = result.record?.name ?? ('name' in command ? command.name : undefined);
  await writeAudit(ctx, inv, command.verb, env, result, detail);
}

async function writeAudit(ctx: CommandContext, inv: Invocation, action: string, env: string | undefined, result: CommandResult, detail: string[]): Promise<void> {
  const outcome = result.kind === 'accepted' || result.kind === 'info' ? 'accepted' : result.kind === 'refused' ? 'refused' : 'failed';
  // A refusal says why in the log as it did to the person.
  if (outcome === 'refused') detail = [...detail, result.text.slice(0, 300)];
  await ctx.store
    .audit({
      at: ctx.now().toISOString(),
      actor: inv.actor.id,
      source: inv.actor.source,
      action,
      ...(env !== undefined && { env }),
      ...(detail.length > 0 && { detail: detail.join('; ') }),
      outcome,
    })
    .catch((err) => ctx.log.warn({ err }, 'audit write failed'));
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
    case 'whoami':
      return whoami(ctx, inv);
    case 'bypass':
      return bypass(ctx, inv);
    case 'help':
      return Promise.resolve(info(helpText(command.topic)));
  }
}
