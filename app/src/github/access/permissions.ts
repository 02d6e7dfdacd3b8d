import type { Octokit } from '@octokit/rest';
import { httpStatus } from '../connection/octokit.js';
import { fullName, type RepoRef } from '../connection/repo-ref.js';

/** What GitHub says a user may do in a repository (its `permission`, or `role_name` when finer). */
export interface RepoPermission {
  level: string;
  canWrite: boolean;
}

const WRITE_LEVELS = new Set(['admin', 'maintain', 'write']);

/**
 * "Does this commenter have write access?" — asked of GitHub, remembered briefly so a burst of
 * commands costs one call, yet a revoked collaborator loses access within a minute.
 */
export class WritePermissions {
  private readonly cache = new Map<string, { at: number; value: RepoPermission }>();

  constructor(
    private readonly octokit: Octokit,
    private readonly ttlMs = 60_000,
    private readonly clock: () => number = Date.now,
  ) {}

  async of(repo: RepoRef, login: string): Promise<RepoPermission> {
    const key = `${fullName(repo).toLowerCase()}:${login.toLowerCase()}`;
    const hit = this.cache.get(key);
    if (hit && this.clock() - hit.at < this.ttlMs) return hit.value;
    const value = await this.ask(repo, login);
    // Bounded by the number of people who comment; a full cache just starts over.
    if (this.cache.size >= 1000) this.cache.clear();
    this.cache.set(key, { at: this.clock(), value });
    return value;
  }

  private async ask(repo: RepoRef, login: string): Promise<RepoPermission> {
    try {
      const { data } = await this.octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: login });
      const levels = [data.permission, data.role_name].filter((l): l is string => typeof l === 'string');
      return { level: data.role_name || data.permission, canWrite: levels.some((l) => WRITE_LEVELS.has(l)) };
    } catch (err) {
      // 404: not a collaborator (or the user does not exist) — no access.
      if (httpStatus(err) === 404) return { level: 'none', canWrite: false };
      throw err;
    }
  }
}
