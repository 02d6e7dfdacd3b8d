import { randomUUID } from 'node:crypto';
import type { CommandResult } from '../commands/context.js';
import type { Command } from '../commands/types.js';
import type { Actor } from '../engine/actor.js';
import type { EnvironmentRecord } from '../environments/record.js';
import type { GitHubDeps } from './deps.js';
import { expectedUpName, isLinkedTo } from './env-lookup.js';
import type { PullInfo } from './payloads.js';
import type { RepoRef } from './repo-ref.js';
import type { RepoSettings } from './repo-settings-schema.js';

type Up = Extract<Command, { verb: 'up' }>;

export interface DeployRequest {
  repo: RepoRef;
  pull: PullInfo;
  actor: Actor;
  /** From the grammar (`/env up …`) or made up by an automatic trigger. */
  command: Up;
  /** `.envbot.yml` at the PR's head commit, already validated. */
  settings: RepoSettings;
}

/** Long enough for `up` plus two store writes; short enough to heal quickly if we crash. */
const LEASE_MS = 30_000;

/**
 * Deploys a pull request's head through the core's `up` (same rules as Slack: access, quota,
 * naming), then writes the repository's app settings onto the record. The environment's
 * reconcile lease is held across both writes, so the reconciler never builds the target group
 * or task definition from a record that lacks the settings.
 */
export async function deployPull(d: GitHubDeps, req: DeployRequest): Promise<CommandResult> {
  const { engine } = d;
  const cmd = forPull(req.command, req.pull, req.settings);
  const guess = await expectedUpName(engine.store, cmd);
  const existing = guess ? await engine.store.get(guess) : undefined;
  const holder = `github-${randomUUID().slice(0, 8)}`;
  const leased = guess ? await engine.store.acquireLease(guess, holder, LEASE_MS).catch(() => false) : false;
  let deployed: string | undefined;
  try {
    if (guess) d.publisher.expectRollout(guess, req.pull.headSha);
    const result = await engine.run({ actor: req.actor, report: { github: targetFor(existing, req) } }, existing ? withoutFileSize(cmd, req) : cmd);
    if (result.kind !== 'accepted' || !result.record) {
      if (guess) d.publisher.forgetRollout(guess);
      return result;
    }
    deployed = result.record.name;
    const updated = await engine.store.mutate(deployed, (r) => withSettings(r, req));
    return { ...result, ...(updated && { record: updated }) };
  } finally {
    if (leased) await engine.store.releaseLease(guess!, holder).catch(() => undefined);
    // The core's own kick may have found the lease taken; this one runs with the settings in place.
    if (deployed) engine.queue.kick(deployed);
  }
}

/** In a PR, `/env up` and `/env up <name>` deploy the PR's head branch; the file's size applies to new environments. */
function forPull(cmd: Up, pull: PullInfo, settings: RepoSettings): Up {
  return {
    ...cmd,
    ...(cmd.branch === undefined && { branch: pull.headRef }),
    ...(cmd.size === undefined && settings.size && { size: settings.size }),
  };
}

/** An existing environment keeps its size unless the user typed --size (a size change needs its owner). */
function withoutFileSize(cmd: Up, req: DeployRequest): Up {
  if (req.command.size !== undefined || cmd.size === undefined) return cmd;
  const { size: _fromFile, ...rest } = cmd;
  return rest;
}

/** Keep the ids of the living comment and deployment when the environment already reports to this PR. */
function targetFor(existing: EnvironmentRecord | undefined, req: DeployRequest) {
  const same = existing && isLinkedTo(existing, req.repo, req.pull.number) ? existing.report.github : undefined;
  return { ...same, ...req.repo, pr: req.pull.number };
}

function withSettings(r: EnvironmentRecord, req: DeployRequest): EnvironmentRecord {
  const app = req.settings.appSettings;
  return {
    ...r,
    // Replaced as a whole: a key removed from .envbot.yml falls back to the profile's value.
    appSettings: Object.keys(app).length > 0 ? app : undefined,
    report: { ...r.report, github: { ...r.report.github, ...req.repo, pr: req.pull.number } },
  };
}
