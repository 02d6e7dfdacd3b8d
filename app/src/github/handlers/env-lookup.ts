import type { Command, GitHubTrigger } from '../../commands/types.js';
import { isOwnEvent } from '../../commands/access.js';
import { envNameFromBranch, hashedEnvName, validateEnvName } from '../../environments/names.js';
import type { EnvironmentRecord } from '../../environments/record.js';
import type { EnvironmentStore } from '../../environments/store-port.js';
import type { PullInfo } from '../connection/payloads.js';
import { sameRepo, type RepoRef } from '../connection/repo-ref.js';

const live = (r: EnvironmentRecord) => r.desired !== 'deleted';

/** Opened from (or reported to) this pull request. */
export function isLinkedTo(r: EnvironmentRecord, repo: RepoRef, pr: number): boolean {
  const gh = r.report.github;
  return gh !== undefined && gh.pr === pr && sameRepo(gh, repo);
}

/** The environments a pull request created through GitHub (its commands or previews); the only ones its events act on. */
export function envsOfPull(records: EnvironmentRecord[], repo: RepoRef, pr: number): EnvironmentRecord[] {
  return records.filter((r) => live(r) && isOwnEvent(r, { owner: repo.owner, repo: repo.repo, pr }));
}

/**
 * The environment a PR comment means when it names none: this PR's own, else the one for the
 * PR's branch, else the name `up` would derive from the branch (so "no such environment" names it).
 */
export function defaultEnvName(records: EnvironmentRecord[], repo: RepoRef, pull: PullInfo): string | undefined {
  const linked = envsOfPull(records, repo, pull.number);
  const own = linked.find((r) => r.branch === pull.headRef) ?? linked[0];
  if (own) return own.name;
  // A fork's branch name says nothing about this repository's branches.
  const byBranch = pull.fork ? undefined : records.find((r) => live(r) && r.branch === pull.headRef && !r.report.github);
  if (byBranch) return byBranch.name;
  const derived = envNameFromBranch(pull.headRef);
  return derived.ok ? derived.name : undefined;
}

/** The environments a branch of this repository created through GitHub (push, branch deletion). */
export function envsOfBranch(records: EnvironmentRecord[], because: GitHubTrigger): EnvironmentRecord[] {
  return records.filter((r) => live(r) && isOwnEvent(r, because));
}

/**
 * The name the core's `up` will use (mirrors its collision rule), so the status publisher knows
 * which rollout to expect before the reconciler reports on it. A wrong guess costs nothing.
 */
export async function expectedUpName(store: Pick<EnvironmentStore, 'get'>, cmd: Extract<Command, { verb: 'up' }>): Promise<string | undefined> {
  if (cmd.name) return cmd.name;
  if (!cmd.branch) return undefined;
  const derived = envNameFromBranch(cmd.branch);
  if (!derived.ok) return undefined;
  const taken = await store.get(derived.name);
  if ((taken && taken.branch !== cmd.branch) || !validateEnvName(derived.name).ok) {
    const hashed = hashedEnvName(cmd.branch);
    return hashed.ok ? hashed.name : undefined;
  }
  return derived.name;
}
