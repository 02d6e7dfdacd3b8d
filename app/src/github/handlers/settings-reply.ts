import type { GitHubDeps } from '../deps.js';
import type { PullInfo } from '../connection/payloads.js';
import { renderReply, settingsProblemText } from '../render/render-reply.js';
import { fullName, type RepoRef } from '../connection/repo-ref.js';
import type { RepoSettings } from '../connection/repo-settings-schema.js';

const WEEK_SECONDS = 7 * 24 * 3600;

/** Settings at the PR's head; an invalid file gets one reply per commit (events repeat). */
export async function settingsOrReply(d: GitHubDeps, repo: RepoRef, pull: PullInfo, login: string, about: string): Promise<RepoSettings | undefined> {
  const result = await d.settings.at(repo, pull.headSha);
  if (result.ok) return result.settings;
  const first = await d.engine.store.markOnce('github-settings-reply', `${fullName(repo)}#${pull.number}@${pull.headSha}`, WEEK_SECONDS);
  if (first) {
    await d.conversation.reply(repo, pull.number, renderReply({ login, about, kind: 'refused', text: settingsProblemText(pull.headSha, result.problems) }));
  }
  return undefined;
}

