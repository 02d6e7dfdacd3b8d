import type { Actor } from '../../commands/actor.js';
import type { GitHubDeps } from '../deps.js';
import { deployPull } from './deploy-pull.js';
import { doorFacts } from '../access/door-facts.js';
import type { RepoSettings } from '../connection/repo-settings-schema.js';
import { respond, type Asked } from '../progress/respond.js';
import { settingsOrReply } from './settings-reply.js';
import type { GitHubEvent } from '../connection/triage.js';

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
  const actor = { id: `github:${ev.sender}`, source: 'github' as const, name: ev.sender };
  const explicit = trigger === 'label' && ev.label?.toLowerCase() === 'preview';
  if (pull.fork && !d.allowForks) {
    // A fork's .envbot.yml is not even read; only an explicit label gets an answer (the command layer's refusal).
    if (explicit) await refuseThroughCore(d, ev, asked, actor);
    return;
  }
  const settings = await settingsOrReply(d, ev.repo, pull, ev.sender, about);
  if (!settings || !wanted(settings, ev, trigger)) return;
  const permission = await d.permissions.of(ev.repo, ev.sender);
  // Opening a PR without write access is not a request: nothing to answer. A label is one.
  if (!permission.canWrite && trigger !== 'label') return;
  const door = doorFacts(d, ev.repo, ev.sender, permission, pull);
  const result = await deployPull(d, { repo: ev.repo, pull, actor, door, command: { verb: 'up' }, settings, event: true });
  await respond(d, asked, result);
}

/** The command layer answers (and audits) the refusal; the door only says what it knows. */
async function refuseThroughCore(d: GitHubDeps, ev: PullEvent, asked: Asked, actor: Actor): Promise<void> {
  const permission = await d.permissions.of(ev.repo, ev.sender);
  await respond(d, asked, await d.engine.run({ actor, door: doorFacts(d, ev.repo, ev.sender, permission, ev.pull) }, { verb: 'up' }));
}

function wanted(s: RepoSettings, ev: PullEvent, trigger: 'open' | 'label'): boolean {
  if (trigger === 'label') return ev.label !== undefined && ev.label.toLowerCase() === s.autoPreview.label.toLowerCase();
  return s.autoPreview.onOpen && (!ev.pull.draft || s.autoPreview.drafts);
}

