import type { Octokit } from '@octokit/rest';
import type { CommitResolver } from '../../builds/commit-resolver.js';
import type { EnvironmentStore } from '../../environments/store-port.js';
import { httpStatus } from './octokit.js';
import { repoFromFullName, type RepoRef } from './repo-ref.js';

/**
 * Branch → head commit for the builds module, from GitHub's branches API. The repository is the
 * configured one, or else the one the branch's environment reports to (a GitHub App may serve
 * several repositories).
 */
export class GitHubCommitResolver implements CommitResolver {
  constructor(
    private readonly octokit: Octokit,
    private readonly store: Pick<EnvironmentStore, 'list'>,
    private readonly configured?: string,
  ) {}

  async headCommit(branch: string): Promise<string | undefined> {
    const repo = await this.repoFor(branch);
    if (!repo) return undefined;
    try {
      const { data } = await this.octokit.rest.repos.getBranch({ ...repo, branch });
      return data.commit.sha;
    } catch (err) {
      if (httpStatus(err) === 404) return undefined;
      throw err;
    }
  }

  private async repoFor(branch: string): Promise<RepoRef | undefined> {
    const configured = this.configured ? repoFromFullName(this.configured) : undefined;
    if (configured) return configured;
    const linked = (await this.store.list()).find((r) => r.branch === branch && r.report.github);
    return linked?.report.github && { owner: linked.report.github.owner, repo: linked.report.github.repo };
  }
}
