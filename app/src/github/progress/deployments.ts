import type { Octokit } from '@octokit/rest';
import type { RepoRef } from '../connection/repo-ref.js';

/** Enough for every live environment many times over; older entries are only a cache. */
const REMEMBERED = 1000;

function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  if (map.size >= REMEMBERED && !map.has(key)) map.delete(map.keys().next().value as K);
  map.set(key, value);
}

export type DeploymentState = 'queued' | 'in_progress' | 'success' | 'failure' | 'inactive';

/** GitHub groups deployments by this name; the PR page links the latest successful one. */
export function deploymentEnvironment(env: string): string {
  return `preview/${env}`;
}

/**
 * GitHub deployments, one per rollout of an environment, so the PR page shows "deployed to
 * preview/x" with the live link. Consecutive identical statuses are sent once.
 */
export class Deployments {
  private readonly shaById = new Map<number, string>();
  private readonly lastStatus = new Map<number, string>();

  constructor(private readonly octokit: Octokit) {}

  async create(repo: RepoRef, env: string, ref: string): Promise<number> {
    const { data } = await this.octokit.rest.repos.createDeployment({
      ...repo,
      ref,
      environment: deploymentEnvironment(env),
      description: `envbot preview environment ${env}`,
      transient_environment: true,
      production_environment: false,
      // Preview deployments must never merge the default branch in or wait for checks.
      auto_merge: false,
      required_contexts: [],
    });
    if (!('id' in data)) throw new Error(`creating a GitHub deployment for ${env}: ${data.message ?? 'GitHub did not create it'}`);
    remember(this.shaById, data.id, data.sha);
    return data.id;
  }

  async setStatus(repo: RepoRef, id: number, state: DeploymentState, opts: { environmentUrl?: string; description?: string } = {}): Promise<void> {
    const key = `${state}|${opts.environmentUrl ?? ''}`;
    if (this.lastStatus.get(id) === key) return;
    await this.octokit.rest.repos.createDeploymentStatus({
      ...repo,
      deployment_id: id,
      state,
      ...(opts.environmentUrl && { environment_url: opts.environmentUrl }),
      // GitHub caps descriptions at 140 characters.
      ...(opts.description && { description: opts.description.slice(0, 140) }),
    });
    remember(this.lastStatus, id, key);
  }

  /** The commit a deployment is for (remembered; asked of GitHub after a restart). */
  async shaOf(repo: RepoRef, id: number): Promise<string> {
    const known = this.shaById.get(id);
    if (known) return known;
    const { data } = await this.octokit.rest.repos.getDeployment({ ...repo, deployment_id: id });
    remember(this.shaById, id, data.sha);
    return data.sha;
  }
}
