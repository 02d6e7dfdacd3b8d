import { profileFor } from '../../config.js';
import { envNameFromBranch, hashedEnvName, validateEnvName } from '../../environments/names.js';
import type { EnvironmentRecord, ReportTargets } from '../../environments/record.js';
import { canCreate, canModify, canRelink, withinQuota } from '../access.js';
import { ownerOf } from '../actor.js';
import { checkImageAllowed } from '../../builds/image-allow-list.js';
import type { AppSettings, Command } from '../types.js';
import { grantFrontDoor } from '../front-door-grant.js';
import { withCreationLock } from './creation-lock.js';
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
  const imageRefusal = cmd.image ? await imageProblem(ctx, cmd.image) : undefined;
  if (imageRefusal) return refused(`Not deploying that image: ${imageRefusal}.`);
  const chosen = await chooseName(ctx, cmd);
  if ('kind' in chosen) return chosen;
  const { name, branch } = chosen;
  const existing = await ctx.store.get(name);
  if (existing) return redeploy(ctx, inv, cmd, existing);

  const may = canCreate(ctx.access, inv.actor);
  if (!may.allowed) return refused(`You can't create environments: ${may.reason}.`);
  const locked = await withCreationLock(ctx, () => createWithinQuota(ctx, inv, cmd, name, branch));
  if (locked.kind === 'busy') return refused(`Not creating ${name}: envbot is busy creating other environments — try again in a moment.`);
  const outcome = locked.value;
  if ('kind' in outcome) return outcome;
  // Lost a race with an identical `up`: the other request created it; treat as a redeploy.
  if (!outcome.created) {
    const winner = await ctx.store.get(name);
    if (winner) return redeploy(ctx, inv, cmd, winner);
  }
  const record = outcome.record;
  ctx.kick(name);
  await ctx.notifier.notify(record, { kind: 'progress', stage: 'queued' });
  return accepted(
    `Bringing up *${name}* (branch \`${branch}\`, ${record.profile}, size ${record.size}). I'll report progress here.${refusedNote(ctx, record.profile, cmd)}`,
    { record },
  );
}

function newRecord(ctx: CommandContext, inv: Invocation, cmd: Up, name: string, branch: string): EnvironmentRecord {
  const profileName = cmd.profile ?? 'dev';
  const profile = profileFor(ctx.config, profileName);
  const now = ctx.now().toISOString();
  const from = cmd.from;
  const granted = grantFrontDoor(ctx.config, profileName, from?.appSettings ?? {});
  const app = granted.appSettings;
  return {
    name,
    owner: inv.actor.id,
    branch,
    ...(cmd.image && { image: cmd.image, imagePinned: true }),
    profile: profileName,
    size: cmd.size ?? cmd.from?.size ?? profile.size,
    ...(Object.keys(app).length > 0 && { appSettings: app }),
    ...(granted.idleSleepOptOut && { idleSleepOptOut: true }),
    desired: 'running',
    status: 'queued',
    source: inv.actor.source,
    origin: from
      ? { door: 'github', github: { owner: from.owner, repo: from.repo, ...(from.pr !== undefined && { pr: from.pr }), ...(!from.fork && { branch }) } }
      : { door: inv.actor.source },
    report: { ...inv.report, ...(from?.pr !== undefined && { github: { owner: from.owner, repo: from.repo, pr: from.pr } }) },
    createdAt: now,
    updatedAt: now,
    touchedAt: now,
    version: 1,
  };
}

/**
 * `up` of an environment that exists. Anyone may make sure it runs; only its owner or an admin
 * may change it (image, profile, size, app settings, or start it when it is not running), and
 * only its owner moves where it reports (Slack channel, pull request).
 */
async function redeploy(ctx: CommandContext, inv: Invocation, cmd: Up, existing: EnvironmentRecord): Promise<CommandResult> {
  if (existing.desired === 'deleted') {
    return refused(`${existing.name} is being destroyed right now; run \`/env up ${existing.name}\` again in a minute.`);
  }
  if (cmd.branch && cmd.branch !== existing.branch) {
    return refused(
      `${existing.name} already exists for branch \`${existing.branch}\`. Pick another name, or destroy it first with \`/env down ${existing.name}\`.`,
    );
  }
  const settings = cmd.from && !sameSettings(existing.appSettings, cmd.from.appSettings) ? cmd.from.appSettings : undefined;
  const changes = Boolean(cmd.image || cmd.profile || cmd.size || settings);
  if (changes || existing.desired !== 'running') {
    const may = canModify(ctx.access, inv.actor, existing, cmd.because);
    if (!may.allowed) return refused(`You can't change ${existing.name}: ${may.reason}.`);
  }
  const relink = canRelink(inv.actor, existing, cmd.because);
  const report = relink ? reportTargets(existing, inv, cmd) : undefined;
  const updated = await ctx.store.mutate(existing.name, (r) => {
    // A repeated `up` of a running environment changes nothing worth a write (retries, double clicks).
    const recentlyTouched = ctx.now().getTime() - Date.parse(r.touchedAt) < 60_000;
    if (!changes && !report && r.desired === 'running' && r.status !== 'failed' && recentlyTouched) return undefined;
    return {
      ...r,
      desired: 'running',
      ...(r.status === 'failed' || r.status === 'stopped' ? { status: 'queued' as const } : {}),
      ...(cmd.image && { image: cmd.image, imagePinned: true }),
      ...(cmd.profile && { profile: cmd.profile }),
      ...(cmd.size && { size: cmd.size }),
      // Replaced as a whole: a key removed from .envbot.yml falls back to the profile's value.
      ...(settings && grantedSettings(ctx, r.profile, settings)),
      ...(report && { report: report(r) }),
      touchedAt: ctx.now().toISOString(),
    };
  });
  ctx.kick(existing.name);
  const url = updated?.url ? ` It lives at ${updated.url}.` : '';
  const theirs = relink ? '' : ` It belongs to ${ownerOf(existing)}: its settings and where it reports stay as they are.`;
  return accepted(`*${existing.name}* already exists; making sure it is up to date and running.${url}${theirs}`, {
    ...(updated && { record: updated }),
  });
}

function sameSettings(a: AppSettings | undefined, b: AppSettings): boolean {
  const keys = ['containerPort', 'healthCheckPath', 'protection', 'sleepAfterIdleMinutes', 'idleSleep'] as const;
  return keys.every((k) => (a?.[k] ?? undefined) === b[k]);
}

/** The repository's settings as granted (front door within the admin's limits), replacing the old ones. */
function grantedSettings(ctx: CommandContext, profile: EnvironmentRecord['profile'], asked: AppSettings): Partial<EnvironmentRecord> {
  const g = grantFrontDoor(ctx.config, profile, asked);
  return { appSettings: Object.keys(g.appSettings).length > 0 ? g.appSettings : undefined, idleSleepOptOut: g.idleSleepOptOut || undefined };
}

/** What `.envbot.yml` asked for that the admin's limits refused, for the reply. */
function refusedNote(ctx: CommandContext, profile: EnvironmentRecord['profile'], cmd: Up): string {
  const refusals = cmd.from ? grantFrontDoor(ctx.config, profile, cmd.from.appSettings).refused : [];
  return refusals.length > 0 ? ` From ${'`'}.envbot.yml${'`'}, not applied: ${refusals.join('; ')}.` : '';
}

/** The owner's `up` moves reporting here; the living PR comment and deployment stay when it is the same PR. */
function reportTargets(existing: EnvironmentRecord, inv: Invocation, cmd: Up): ((r: EnvironmentRecord) => ReportTargets) | undefined {
  const pr = cmd.from?.pr;
  if (!inv.report && pr === undefined) return undefined;
  return (r) => {
    const gh = r.report.github;
    const samePr = gh && cmd.from && gh.pr === pr && gh.owner.toLowerCase() === cmd.from.owner.toLowerCase() && gh.repo.toLowerCase() === cmd.from.repo.toLowerCase();
    return {
      ...r.report,
      ...inv.report,
      ...(pr !== undefined && cmd.from && { github: samePr ? { ...gh, owner: cmd.from.owner, repo: cmd.from.repo, pr } : { owner: cmd.from.owner, repo: cmd.from.repo, pr } }),
    };
  };
}

/**
 * Counts the live environments and creates this one, under the creation lock (so two `up`s never
 * both see the last free place). One write carries everything (settings, origin, report targets).
 */
async function createWithinQuota(
  ctx: CommandContext,
  inv: Invocation,
  cmd: Up,
  name: string,
  branch: string,
): Promise<CommandResult | { created: boolean; record: EnvironmentRecord }> {
  const quota = withinQuota(ctx.access, inv.actor, await ctx.store.list());
  if (!quota.allowed) return refused(`Not creating ${name}: ${quota.reason}.`);
  const record = newRecord(ctx, inv, cmd, name, branch);
  return { created: await ctx.store.create(record), record };
}

/**
 * `--image` runs with the base and profile secrets, so only allowed registries, and never a commit
 * image envbot's own build did not push (issue 13, image provenance). Checked before anything is written.
 */
async function imageProblem(ctx: CommandContext, image: string): Promise<string | undefined> {
  const allowed = checkImageAllowed(image, ctx.config);
  if (!allowed.ok) return allowed.reason;
  return ctx.pinnedImages?.pinnedImageProblem(image);
}
