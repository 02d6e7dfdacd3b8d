import { handleComment } from '../handlers/comment-commands.js';
import type { GitHubDeps } from '../deps.js';
import { handleBranchDeleted, handlePush } from '../handlers/branch-events.js';
import { handlePull } from '../handlers/lifecycle.js';
import type { GitHubEvent } from './triage.js';

/** One accepted delivery → its handler (runs after GitHub got its answer). */
export function handleEvent(d: GitHubDeps, event: GitHubEvent): Promise<void> {
  switch (event.type) {
    case 'comment':
      return handleComment(d, event);
    case 'pull':
      return handlePull(d, event);
    case 'push':
      return handlePush(d, event);
    case 'branch-deleted':
      return handleBranchDeleted(d, event);
  }
}
