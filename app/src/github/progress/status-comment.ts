import type { Octokit } from '@octokit/rest';
import { httpStatus } from '../connection/octokit.js';
import type { RepoRef } from '../connection/repo-ref.js';
import { statusMarker } from '../render/render-status.js';

export interface PullTarget extends RepoRef {
  pr: number;
}

/**
 * The one living status comment per environment on a PR. Its id is remembered on the record;
 * when it is not (or the comment was deleted), the hidden marker finds it again, so a restart or a
 * second replica edits the same comment instead of adding one.
 */
export class StatusComments {
  /** Our own login, learnt from a comment we wrote (a token's machine user is not a `Bot`). */
  private self: string | undefined;

  constructor(private readonly octokit: Octokit) {}

  /** Edits the comment (or creates it) and returns its id. */
  async upsert(target: PullTarget, env: string, body: string, knownId?: number): Promise<number> {
    if (knownId !== undefined && (await this.edit(target, knownId, body))) return knownId;
    const found = await this.find(target, env);
    if (found !== undefined && (await this.edit(target, found, body))) return found;
    const { data } = await this.octokit.rest.issues.createComment({ owner: target.owner, repo: target.repo, issue_number: target.pr, body });
    if (data.user?.login) this.self = data.user.login;
    return data.id;
  }

  /** False when the comment is gone (someone deleted it). */
  private async edit(target: PullTarget, id: number, body: string): Promise<boolean> {
    try {
      await this.octokit.rest.issues.updateComment({ owner: target.owner, repo: target.repo, comment_id: id, body });
      return true;
    } catch (err) {
      if (httpStatus(err) === 404) return false;
      throw err;
    }
  }

  private async find(target: PullTarget, env: string): Promise<number | undefined> {
    const marker = statusMarker(env);
    const pages = this.octokit.paginate.iterator(this.octokit.rest.issues.listComments, {
      owner: target.owner,
      repo: target.repo,
      issue_number: target.pr,
      per_page: 100,
    });
    for await (const page of pages) {
      // Anyone can paste the hidden marker into a comment; only one envbot wrote counts.
      const mine = page.data.find((c) => c.body?.includes(marker) && this.wrote(c.user));
      if (mine) return mine.id;
    }
    return undefined;
  }

  private wrote(user: { login: string; type: string } | null | undefined): boolean {
    return user?.type === 'Bot' || (this.self !== undefined && user?.login === this.self);
  }
}
