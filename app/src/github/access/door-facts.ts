import type { GitHubCommentFacts } from '../../commands/access.js';
import type { GitHubDeps } from '../deps.js';
import type { PullInfo } from '../connection/payloads.js';
import type { RepoPermission } from './permissions.js';
import { fullName, type RepoRef } from '../connection/repo-ref.js';

/**
 * What the GitHub door knows about a request (who, their repository permission, the PR's state
 * and origin), handed to the command layer, which decides on it (commands/access.ts `doorDecision`).
 */
export function doorFacts(d: Pick<GitHubDeps, 'allowForks'>, repo: RepoRef, login: string, permission: RepoPermission, pull?: PullInfo): GitHubCommentFacts {
  return {
    door: 'github-comment',
    repo: fullName(repo),
    login,
    permission: permission.level,
    canWrite: permission.canWrite,
    forksAllowed: d.allowForks,
    ...(pull && { pull: { state: pull.merged ? 'merged' : pull.open ? 'open' : 'closed', fork: pull.fork } }),
  };
}
