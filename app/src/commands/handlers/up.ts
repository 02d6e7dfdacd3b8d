import { profileFor } from '../../config.js';
import { envNameFromBranch, hashedEnvName, validateEnvName } from '../../environments/names.js';
import type { EnvironmentRecord } from '../../environments/record.js';
import { canCreate, canModify, withinQuota } from '../../engine/access.js';
import type { Command } from '../types.js';
import { accepted, refused, type CommandContext, type CommandResult, type Invocation } from '../context.js';

type Up = Extract<Command, { verb: 'up' }>;

/** Picks the environment name: given, or derived from the branch (collision-safe). */
async function chooseName(ctx: CommandContext, cmd: Up): Promise<{ name: string; branch: string } | CommandResult> {
  if (cmd.name) return { name: cmd.name, branch: cmd.branch ?? cmd.name };
  if (!cmd.branch) return refused('Which environment? Use `/env up <name>` or `/env up --branch <branch>`.');
  const derived = envNameFromBranch(cmd.branch);
  if (!derived.ok) return refused(`I can't make an environment name from that branch: ${derived.reason}.`);
  const taken = await ctx.store.get(derived.name);
  const reserved = !validateEnvName(derived.name).ok;
  if ((taken && taken.branch !== cmd.branch) || reserved) {
    // Another branch already slugs to this name: the hashed variant is stable for this branch.
    const hashed = hashedEnvName(cmd.branch);
    if (!hashed.ok) return refused(hashed.reason);
    return { name: hashed.name, branch: cmd.branch };
  }
  return { name: derived.name, branch: cmd.branch };
}

export async function up(ctx: CommandContext, inv: Invocation, cmd: Up): Promise<CommandResult> {
  const chosen = await chooseName(ctx, cmd);
  if ('kind' in chosen) return chosen;
  const { name, branch } = chosen;
  const existing = await ctx.store.get(name);
  if (existing) return redeploy(ctx, inv, cmd, existing);

  const may = canCreate(ctx.access, inv.actor);
  if (!may.allowed) return refused(`You can't create environments: ${may.reason}.`);
  const quota = withinQuota(ctx.access, inv.actor, await ctx.store.list());
  if (!quota.allowed) return refused(`Not creating ${name}: ${quota.reason}.`);

  const profileName = cmd.profile ?? 'dev';
  const profile = profileFor(ctx.config, profileName);
  const now = ctx.now().toISOString();
  const record: EnvironmentRecord = {
    name,
    owner: inv.actor.id,
    branch,
    ...(cmd.image && { image: cmd.image, imagePinned: true }),
    profile: profileName,
    size: cmd.size ?? profile.size,
    desired: 'running',
    status: 'queued',
    source: inv.actor.source,
    report: inv.report ?? {},
    createdAt: now,
    updatedAt: now,
    touchedAt: now,
    version: 1,
  };
  const created = await ctx.store.create(record);
  // Lost a race with an identical `up`: the other request created it; treat as a redeploy.
  if (!created) {
    const winner = await ctx.store.get(name);
    if (winner) return redeploy(ctx, inv, cmd, winner);
  }
  ctx.kick(name);
  await ctx.notifier.notify(record, { kind: 'progress', stage: 'queued' });
  return accepted(
    `Bringing up *${name}* (branch \`${branch}\`, ${profileName}, size ${record.size}). I'll report progress here.`,
    { record },
  );
}

async function redeploy(ctx: CommandContext, inv: Invocation, cmd: Up, existing: EnvironmentRecord): Promise<CommandResult> {
  if (existing.desired === 'deleted') {
    return refused(`${existing.name} is being destroyed right now; run \`/env up ${existing.name}\` again in a minute.`);
  }
  if (cmd.branch && cmd.branch !== existing.branch) {
    return refused(
      `${existing.name} already exists for branch \`${existing.branch}\`. Pick another name, or destroy it first with \`/env down ${existing.name}\`.`,
    );
  }
  const changes = cmd.image || cmd.profile || cmd.size;
  if (changes || existing.desired !== 'running') {
    const may = canModify(ctx.access, inv.actor, existing);
    if (!may.allowed) return refused(`You can't change ${existing.name}: ${may.reason}.`);
  }
  const updated = await ctx.store.mutate(existing.name, (r) => {
    // A repeated `up` of a running environment changes nothing worth a write (retries, double clicks).
    const recentlyTouched = ctx.now().getTime() - Date.parse(r.touchedAt) < 60_000;
    if (!changes && !inv.report && r.desired === 'running' && r.status !== 'failed' && recentlyTouched) return undefined;
    return {
      ...r,
      desired: 'running',
      ...(r.status === 'failed' || r.status === 'stopped' ? { status: 'queued' as const } : {}),
      ...(cmd.image && { image: cmd.image, imagePinned: true }),
      ...(cmd.profile && { profile: cmd.profile }),
      ...(cmd.size && { size: cmd.size }),
      ...(inv.report && { report: { ...r.report, ...inv.report } }),
      touchedAt: ctx.now().toISOString(),
    };
  });
  ctx.kick(existing.name);
  const url = updated?.url ? ` It lives at ${updated.url}.` : '';
  return accepted(`*${existing.name}* already exists; making sure it is up to date and running.${url}`, {
    ...(updated && { record: updated }),
  });
}
