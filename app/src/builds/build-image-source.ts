import type { EnvironmentRecord } from '../environments/record.js';
import type { ImageSource } from '../reconcile/ports.js';
import type { CommitResolver } from './commit-resolver.js';
import type { ImageService } from './image-service.js';

export class BranchNotFoundError extends Error {
  readonly code = 'BRANCH_NOT_FOUND';
}

/**
 * The reconciler's image source when builds are configured: branch → head commit (GitHub) →
 * the commit's image, built at most once. Pinned images (`--image`) never reach here.
 */
export class BuildImageSource implements ImageSource {
  constructor(
    private readonly images: ImageService,
    private readonly commits: CommitResolver,
    private readonly repository: string,
  ) {}

  async imageFor(record: EnvironmentRecord, onProgress: Parameters<ImageSource['imageFor']>[1]) {
    const commit = await this.commits.headCommit(record.branch);
    if (!commit) {
      throw new BranchNotFoundError(
        `building ${record.name}: branch \`${record.branch}\` was not found in ${this.repository} — push it, or run \`/env up ${record.name} --branch <branch>\``,
      );
    }
    const result = await this.images.ensureImage({ env: record.name, branch: record.branch, commit, onProgress });
    return {
      image: result.image,
      commit,
      built: result.built,
      ...(result.buildSeconds !== undefined && { buildSeconds: result.buildSeconds }),
      ...(result.cacheHit !== undefined && { cacheHit: result.cacheHit }),
    };
  }

  async markDeployed(record: EnvironmentRecord): Promise<void> {
    if (record.commit && !record.imagePinned) await this.images.markDeployed(record.name, record.commit);
  }

  /**
   * ECR rules cannot combine a count and an age on the same images, so the age limit for commit
   * images no environment uses is enforced here, periodically.
   */
  pruneStale(maxAgeDays: number): Promise<string[]> {
    return this.images.pruneStaleCommitImages(maxAgeDays);
  }

  /** Teardown: drop this environment's deployed tag; delete the image if no other environment uses the commit. */
  async release(record: EnvironmentRecord, others: EnvironmentRecord[]): Promise<void> {
    if (!record.commit || record.imagePinned) return;
    await this.images.unmarkDeployed(record.name, record.commit);
    await this.images.deleteUnusedImages(record.commit, others.some((o) => o.commit === record.commit));
  }
}
