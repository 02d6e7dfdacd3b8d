import type { EnvironmentRecord } from '../../environments/record.js';
import { canModify } from '../access.js';
import type { GitHubTrigger } from '../types.js';
import type { CommandContext, CommandResult, Invocation } from '../context.js';
import { refused } from '../context.js';

/** Loads an environment named in a command, or explains what is wrong. */
export async function findEnv(ctx: CommandContext, verb: string, name: string | undefined): Promise<EnvironmentRecord | CommandResult> {
  if (!name) return refused(`Which environment? Use \`/env ${verb} <name>\` (\`/env list\` shows them).`);
  const record = await ctx.store.get(name);
  if (!record || record.desired === 'deleted') {
    return refused(`There is no environment called ${name}. \`/env list\` shows the environments; \`/env up ${name}\` creates it.`);
  }
  return record;
}

/** Loads an environment and checks the actor may change it (the audit entry is written by `execute`). */
export async function findModifiable(
  ctx: CommandContext,
  inv: Invocation,
  verb: string,
  name: string | undefined,
  because?: GitHubTrigger,
): Promise<EnvironmentRecord | CommandResult> {
  const found = await findEnv(ctx, verb, name);
  if (isResult(found)) return found;
  const decision = canModify(ctx.access, inv.actor, found, because);
  if (!decision.allowed) return refused(`You can't ${verb} ${found.name}: ${decision.reason}.`);
  return found;
}

export function isResult(value: EnvironmentRecord | CommandResult): value is CommandResult {
  return 'kind' in value && 'text' in value;
}
