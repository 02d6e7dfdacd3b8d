import type { Octokit } from '@octokit/rest';
import { httpStatus } from './octokit.js';
import { fullName, type RepoRef } from './repo-ref.js';
import { DEFAULT_LIMITS, DEFAULT_SETTINGS, parseRepoSettings, SETTINGS_FILE, type SettingsLimits, type SettingsResult } from './repo-settings-schema.js';

const MAX_FILE_BYTES = 64 * 1024;
const CACHE_ENTRIES = 200;

/**
 * Reads `.envbot.yml` at a commit. A file at a commit never changes, so answers are cached by SHA
 * (bounded); a missing file means the defaults.
 */
export class RepoSettingsLoader {
  private readonly cache = new Map<string, SettingsResult>();

  constructor(
    private readonly octokit: Octokit,
    private readonly limits: SettingsLimits = DEFAULT_LIMITS,
  ) {}

  async at(repo: RepoRef, sha: string): Promise<SettingsResult> {
    const key = `${fullName(repo).toLowerCase()}@${sha}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const result = await this.read(repo, sha);
    if (this.cache.size >= CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, result);
    return result;
  }

  private async read(repo: RepoRef, sha: string): Promise<SettingsResult> {
    let data: unknown;
    try {
      ({ data } = await this.octokit.rest.repos.getContent({ ...repo, path: SETTINGS_FILE, ref: sha }));
    } catch (err) {
      if (httpStatus(err) === 404) return { ok: true, settings: DEFAULT_SETTINGS };
      throw err;
    }
    const file = data as { type?: string; encoding?: string; content?: string; size?: number };
    if (Array.isArray(data) || file.type !== 'file') return { ok: false, problems: [`${SETTINGS_FILE} must be a file`] };
    if ((file.size ?? 0) > MAX_FILE_BYTES || file.content === undefined) {
      return { ok: false, problems: [`${SETTINGS_FILE} is larger than ${MAX_FILE_BYTES / 1024} KB`] };
    }
    const text = file.encoding === 'base64' ? Buffer.from(file.content, 'base64').toString('utf8') : file.content;
    return parseRepoSettings(text, this.limits);
  }
}
