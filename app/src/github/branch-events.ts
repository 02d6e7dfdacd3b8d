import type { GitHubDeps } from './deps.js';
import { envsOfBranch } from './env-lookup.js';
import { tearDown } from './teardown.js';
import type { GitHubEvent } from './triage.js';

type PushEvent = Extract<GitHubEvent, { type: 'push' }>;
type DeletedEvent = Extract<GitHubEvent, { type: 'branch-deleted' }>;

/** A push to a branch whose environment no PR tracks (e.g. made from Slack): rebuild and roll it. */
export async function handlePush(d: GitHubDeps, ev: PushEvent): Promise<void> {
  const envs = envsOfBranch(await d.engine.store.list(), ev.repo, ev.branch).filter((r) => !r.report.github && r.desired === 'running');
  if (envs.length === 0) return;
  const result = await d.settings.at(ev.repo, ev.sha);
  if (!result.ok) {
    d.log.warn({ branch: ev.branch, sha: ev.sha, problems: result.problems }, 'not rolling: .envbot.yml is invalid');
    return;
  }
  if (!result.settings.rebuildOnPush) return;
  const app = result.settings.appSettings;
  for (const record of envs) {
    // The record exists, so writing the settings before `up` kicks the reconciler is race-free.
    await d.engine.store.mutate(record.name, (r) => ({ ...r, appSettings: Object.keys(app).length > 0 ? app : undefined }));
    const res = await d.engine.run({ actor: { id: 'github', source: 'system', name: 'GitHub push' } }, { verb: 'up', name: record.name });
    d.log.info({ env: record.name, sha: ev.sha, outcome: res.kind }, 'rolling after push');
  }
}

export async function handleBranchDeleted(d: GitHubDeps, ev: DeletedEvent): Promise<void> {
  const envs = envsOfBranch(await d.engine.store.list(), ev.repo, ev.branch);
  for (const record of envs) await tearDown(d, record, 'branch-deleted', 'github', `Branch \`${ev.branch}\` was deleted: destroying the environment.`);
}
