import type { Octokit } from '@octokit/rest';
import type { RepoRef } from '../connection/repo-ref.js';

export type Reaction = 'eyes' | 'rocket' | '+1' | 'confused';

/** The bot's side of the PR conversation: reactions on a command, replies to it. */
export class Conversation {
  constructor(private readonly octokit: Octokit) {}

  async react(repo: RepoRef, commentId: number, content: Reaction): Promise<void> {
    await this.octokit.rest.reactions.createForIssueComment({ ...repo, comment_id: commentId, content });
  }

  async reply(repo: RepoRef, pr: number, body: string): Promise<void> {
    await this.octokit.rest.issues.createComment({ ...repo, issue_number: pr, body });
  }
}
