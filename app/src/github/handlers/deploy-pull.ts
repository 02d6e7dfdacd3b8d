import type { CommandResult } from '../../commands/context.js';
import type { Command, GitHubTrigger } from '../../commands/types.js';
import type { DoorFacts } from '../../commands/access.js';
import type { Actor } from '../../commands/actor.js';
import type { GitHubDeps } from '../deps.js';
import { expectedUpName } from './env-lookup.js';
import type { PullInfo } from '../connection/payloads.js';
import type { RepoRef } from '../connection/repo-ref.js';
import type { RepoSettings } from '../connection/repo-settings-schema.js';

type Up = Extract<Command, { verb: 'up' }>;

export interface DeployRequest {
  repo: RepoRef;
  pull: PullInfo;
  actor: Actor;
  /** What the door looked up (permission, fork); the command layer decides on it. */
  door?: DoorFacts;
  /** From the grammar (`/env up …`) or made up by an automatic trigger. */
  command: Up;
  /** `.envbot.yml` at the PR's head commit, already validated. */
  settings: RepoSettings;
  /** Set when a PR event (not a person's comment) asks: it may act on the PR's own environments. */
  event?: boolean;
}

/**
 * Deploys a pull request's head through the core's `up`: the command carries the repository's app
 * settings and the PR, and the core decides (access, quota, naming, who may change what) and
 * writes them in the same write as the rest of the request. This door takes no lease and writes
 * no record.
 */
export async function deployPull(d: GitHubDeps, req: DeployRequest): Promise<CommandResult> {
  const cmd = forPull(req);
  const guess = await expectedUpName(d.engine.store, cmd);
  if (guess) d.publisher.expectRollout(guess, req.pull.headSha);
  const result = await d.engine.run({ actor: req.actor, ...(req.door && { door: req.door }) }, cmd);
  if (guess && (result.kind !== 'accepted' || !result.record)) d.publisher.forgetRollout(guess);
  return result;
}

/**
 * In a PR, `/env up` and `/env up <name>` deploy the PR's head branch; the file's size applies
 * to new environments only (an existing one keeps its size unless the user typed --size).
 */
function forPull(req: DeployRequest): Up {
  const { command: cmd, pull, repo, settings } = req;
  const because: GitHubTrigger = { owner: repo.owner, repo: repo.repo, pr: pull.number };
  return {
    ...cmd,
    ...(cmd.branch === undefined && { branch: pull.headRef }),
    from: { owner: repo.owner, repo: repo.repo, pr: pull.number, appSettings: settings.appSettings, ...(pull.fork && { fork: true }), ...(settings.size && { size: settings.size }) },
    ...(req.event && { because }),
  };
}
