import { SECRET_MASK } from '../../environments/config-layers.js';
import type { Command } from '../types.js';
import { accepted, info, type CommandContext, type CommandResult, type Invocation } from '../context.js';
import { findEnv, findModifiable, isResult } from './lookup.js';

type ConfigCmd = Extract<Command, { verb: 'config' }>;

export async function config(ctx: CommandContext, inv: Invocation, cmd: ConfigCmd): Promise<CommandResult> {
  if (cmd.action.kind === 'show') {
    const found = await findEnv(ctx, 'config', cmd.name);
    if (isResult(found)) return found;
    const entries = await ctx.configPort.effective(found);
    if (entries.length === 0) return info(`*${found.name}* has no config. Add some with \`/env config ${found.name} set KEY=VALUE\`.`);
    const lines = entries.map((e) => {
      const value = e.secure ? SECRET_MASK : e.value;
      const shadow = e.overrides.length ? ` (overrides ${e.overrides.join(', ')})` : '';
      return `${e.key}=${value}  [${e.layer}${e.secure ? ', secret' : ''}]${shadow}`;
    });
    // Secret values never leave Parameter Store: only masks are in `data`.
    const data = entries.map((e) => ({ key: e.key, layer: e.layer, secure: e.secure, value: e.secure ? SECRET_MASK : e.value, overrides: e.overrides }));
    return info(`Config of *${found.name}* (later layers win: base → profile → env):\n${lines.join('\n')}`, { record: found, data });
  }
  const found = await findModifiable(ctx, inv, 'config', cmd.name);
  if (isResult(found)) return found;
  if (cmd.action.kind === 'set') {
    await ctx.configPort.set(found, cmd.action.key, cmd.action.value, cmd.action.secret);
  } else if (!(await ctx.configPort.unset(found, cmd.action.key))) {
    return info(`*${found.name}* has no key ${cmd.action.key} in its own layer; nothing changed.`);
  }
  const key = cmd.action.key;
  const record = await ctx.store.mutate(found.name, (r) => ({
    ...r,
    ...(r.desired === 'running' && r.status === 'ready' && { status: 'queued' as const }),
    touchedAt: ctx.now().toISOString(),
  }));
  if (record) await ctx.notifier.notify(record, { kind: 'config-changed', keys: [key] });
  ctx.kick(found.name);
  const verb = cmd.action.kind === 'set' ? (cmd.action.secret ? 'Set secret' : 'Set') : 'Removed';
  const roll = found.desired === 'running' ? ' Rolling the service with the new config.' : ' It takes effect at the next start.';
  return accepted(`${verb} ${key} on *${found.name}*.${roll}`, { ...(record && { record }) });
}
