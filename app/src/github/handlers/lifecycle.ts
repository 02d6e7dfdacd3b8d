import { autoPreview } from './auto-preview.js';
import type { GitHubDeps } from '../deps.js';
import { envsOfPull } from './env-lookup.js';
import { deployPull } from './deploy-pull.js';
import { respond, type Asked } from '../progress/respond.js';
import { settingsOrReply } from './settings-reply.js';
import { tearDown } from './teardown.js';
import type { GitHubEvent } from '../connection/triage.js';

type PullEvent = Extract<GitHubEvent, { type: 'pull' }>;

export async function handlePull(d: GitHubDeps, ev: PullEvent): Promise<void> {
  switch (ev.action) {
    case 'closed':
      return closed(d, ev);
    case 'synchronize':
      return pushedToPull(d, ev);
    case 'labeled':
      return autoPreview(d, ev, 'label');
    case 'opened':
    case 'reopened':
    case 'ready_for_review':
      return autoPreview(d, ev, 'open');
  }
}

/** Merged or not, a closed PR's environments go away. */
async function closed(d: GitHubDeps, ev: PullEvent): Promise<void> {
  const envs = envsOfPull(await d.engine.store.list(), ev.repo, ev.pull.number);
  const event = `Pull request ${ev.pull.merged ? 'merged' : 'closed'} by @${ev.sender}: destroying the environment.`;
  const because = { owner: ev.repo.owner, repo: ev.repo.repo, pr: ev.pull.number };
  for (const record of envs) await tearDown(d, record, 'pr-closed', because, ev.sender, event);
}

/** New commits on a PR that has a running environment: rebuild and roll it (unless the repo opts out). */
async function pushedToPull(d: GitHubDeps, ev: PullEvent): Promise<void> {
  if (ev.pull.fork && !d.allowForks) return;
  const envs = envsOfPull(await d.engine.store.list(), ev.repo, ev.pull.number).filter(
    (r) => r.desired === 'running' && r.branch === ev.pull.headRef,
  );
  if (envs.length === 0) return;
  const settings = await settingsOrReply(d, ev.repo, ev.pull, ev.sender, 'new commits');
  if (!settings?.rebuildOnPush) return;
  for (const record of envs) {
    const asked: Asked = { repo: ev.repo, pr: ev.pull.number, login: ev.sender, about: `push of ${ev.pull.headSha.slice(0, 7)}` };
    const result = await deployPull(d, {
      repo: ev.repo,
      pull: ev.pull,
      actor: { id: `github:${ev.sender}`, source: 'github', name: ev.sender },
      command: { verb: 'up', name: record.name },
      settings,
      event: true,
    });
    if (result.kind === 'accepted' && result.record) {
      await d.publisher.update(result.record, { event: `New commits pushed (${ev.pull.headSha.slice(0, 7)}): rebuilding and rolling out.` });
    } else {
      await respond(d, asked, result);
    }
  }
}
