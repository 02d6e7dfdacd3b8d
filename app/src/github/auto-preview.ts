import type { GitHubDeps } from './deps.js';
import { deployPull } from './deploy-pull.js';
import { FORK_REFUSAL, writeAccessRefusal } from './render-reply.js';
import { fullName } from './repo-ref.js';
import type { RepoSettings } from './repo-settings-schema.js';
import { respond, type Asked } from './respond.js';
import { settingsOrReply } from './settings-reply.js';
import type { GitHubEvent } from './triage.js';

type PullEvent = Extract<GitHubEvent, { type: 'pull' }>;

/**
 * Optional previews: on open (ready for review, reopen) when the repo asks for it and the PR is
 * not a draft (unless drafts are asked for too), or when someone adds the preview label — adding
 * a label is an explicit request, so it works on drafts.
 */
export async function autoPreview(d: GitHubDeps, ev: PullEvent, trigger: 'open' | 'label'): Promise<void> {
  const { pull } = ev;
  if (!pull.open) return;
  const about = trigger === 'label' ? `label ${ev.label ?? ''}` : `pull request ${ev.action.replace(/_/g, ' ')}`;
  const asked: Asked = { repo: ev.repo, pr: pull.number, login: ev.sender, about };
  if (pull.fork && !d.allowForks) {
    // A fork's .envbot.yml is not even read; only an explicit label gets an answer.
    if (trigger === 'label' && ev.label?.toLowerCase() === 'preview') await respond(d, asked, { kind: 'refused', text: FORK_REFUSAL });
    return;
  }
  const settings = await settingsOrReply(d, ev.repo, pull, ev.sender, about);
  if (!settings || !wanted(settings, ev, trigger)) return;
  const permission = await d.permissions.of(ev.repo, ev.sender);
  if (!permission.canWrite) {
    if (trigger === 'label') await respond(d, asked, { kind: 'refused', text: writeAccessRefusal(ev.sender, fullName(ev.repo), permission.level) });
    return;
  }
  const actor = { id: `github:${ev.sender}`, source: 'github' as const, name: ev.sender };
  const result = await deployPull(d, { repo: ev.repo, pull, actor, command: { verb: 'up' }, settings, event: true });
  await respond(d, asked, result);
}

function wanted(s: RepoSettings, ev: PullEvent, trigger: 'open' | 'label'): boolean {
  if (trigger === 'label') return ev.label !== undefined && ev.label.toLowerCase() === s.autoPreview.label.toLowerCase();
  return s.autoPreview.onOpen && (!ev.pull.draft || s.autoPreview.drafts);
}

