import type { Octokit } from '@octokit/rest';
import { pullInfoFrom, pullSchema, type PullInfo } from './payloads.js';
import type { RepoRef } from './repo-ref.js';

/** A comment event names only the PR number; its head branch, commit and origin come from here. */
export async function fetchPull(octokit: Octokit, repo: RepoRef, pr: number): Promise<PullInfo> {
  const { data } = await octokit.rest.pulls.get({ ...repo, pull_number: pr });
  const parsed = pullSchema.safeParse(data);
  if (!parsed.success) throw new Error(`reading pull request #${pr}: GitHub's answer lacks ${parsed.error.issues[0]?.path.join('.')}`);
  return pullInfoFrom(parsed.data);
}
