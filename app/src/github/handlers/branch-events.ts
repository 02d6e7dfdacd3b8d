import type { GitHubTrigger } from '../../commands/types.js';
import type { Actor } from '../../commands/actor.js';
import type { GitHubDeps } from '../deps.js';
import { envsOfBranch } from './env-lookup.js';
import { tearDown } from './teardown.js';
import type { GitHubEvent } from '../connection/triage.js';

type PushEvent = Extract<GitHubEvent, { type: 'push' }>;
type DeletedEvent = Extract<GitHubEvent, { type: 'branch-deleted' }>;

const actorOf = (sender: string | undefined): Actor =>
  sender ? { id: `github:${sender}`, source: 'github', name: sender } : { id: 'system:github', source: 'github', name: 'GitHub' };

/**
 * A push to a branch: rebuild and roll the environments this branch created through GitHub and no
 * PR tracks (a PR's environments roll on its own `synchronize` event). Environments made in Slack,
 * the CLI or the dashboard are never touched by a branch event, whatever their branch is called.
 */
export async function handlePush(d: GitHubDeps, ev: PushEvent): Promise<void> {
  const because: GitHubTrigger = { owner: ev.repo.owner, repo: ev.repo.repo, branch: ev.branch };
  const envs = envsOfBranch(await d.engine.store.list(), because).filter((r) => r.desired === 'running' && !r.report.github);
  if (envs.length === 0) return;
  const result = await d.settings.at(ev.repo, ev.sha);
  if (!result.ok) {
    d.log.warn({ branch: ev.branch, sha: ev.sha, problems: result.problems }, 'not rolling: .envbot.yml is invalid');
    return;
  }
  if (!result.settings.rebuildOnPush) return;
  for (const record of envs) {
    const from = { owner: ev.repo.owner, repo: ev.repo.repo, appSettings: result.settings.appSettings };
    const res = await d.engine.run({ actor: actorOf(ev.sender) }, { verb: 'up', name: record.name, from, because });
    d.log.info({ env: record.name, sha: ev.sha, outcome: res.kind }, 'rolling after push');
  }
}

/** A deleted branch takes the environments it created through GitHub (its PRs' ones included). */
export async function handleBranchDeleted(d: GitHubDeps, ev: DeletedEvent): Promise<void> {
  const because: GitHubTrigger = { owner: ev.repo.owner, repo: ev.repo.repo, branch: ev.branch };
  const envs = envsOfBranch(await d.engine.store.list(), because);
  const event = `Branch \`${ev.branch}\` was deleted: destroying the environment.`;
  for (const record of envs) await tearDown(d, record, 'branch-deleted', because, ev.sender, event);
}
