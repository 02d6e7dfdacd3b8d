import type { EnvironmentRecord } from '../environments/record.js';
import type { ImageSource } from '../reconcile/ports.js';
import type { CommitResolver } from './commit-resolver.js';
import { parseImageRef, sameRepository } from './image-ref.js';
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

  /**
   * For `up --image` (the command layer calls it, after checkImageAllowed): a commit image of
   * envbot's repository (`:c-<sha>`, or its digest) is deployed only if envbot's own build pushed
   * it. Returns the refusal to show, or undefined when the image may be pinned.
   */
  async pinnedImageProblem(uri: string): Promise<string | undefined> {
    const ref = parseImageRef(uri);
    if (!ref || !sameRepository(ref, this.images.repositoryUri)) return undefined;
    const found = await this.images.commitImageOf(ref.digest ? { digest: ref.digest } : { tag: ref.tag ?? 'latest' });
    if (!found || found.state === 'verified') return undefined;
    return (
      `${uri} is tagged as the image of commit ${found.commit.slice(0, 7)}, but envbot's build did not push it, so envbot will not run it` +
      ` — run /env up <name> --branch <branch> and envbot builds that commit itself`
    );
  }

  /**
   * After deploy: `deployed-<env>` on the image the environment runs, which shields it from the
   * lifecycle policy — a pinned image of envbot's repository too (by its tag or digest).
   */
  async markDeployed(record: EnvironmentRecord): Promise<void> {
    if (!record.imagePinned) {
      if (record.commit) await this.images.markDeployed(record.name, record.commit);
      return;
    }
    const ref = record.image ? parseImageRef(record.image) : undefined;
    if (!ref || !sameRepository(ref, this.images.repositoryUri)) {
      // Now running an image from elsewhere: whatever this env's tag still shields is no longer its.
      await this.images.unmarkEnv(record.name);
      return;
    }
    await this.images.markDeployedImage(record.name, ref.digest ? { digest: ref.digest } : { tag: ref.tag ?? 'latest' });
  }

  /**
   * ECR rules cannot combine a count and an age on the same images, so the age limit for commit
   * images no environment uses is enforced here, periodically. `live` are all environment
   * records: no image any of them references (by digest, pinned ones included) is deleted.
   */
  async pruneStale(maxAgeDays: number, live: EnvironmentRecord[]): Promise<string[]> {
    return this.images.pruneStaleCommitImages(maxAgeDays, await this.images.digestsInUse(live));
  }

  /**
   * Teardown: drop this environment's deployed tag; delete its commit image unless another
   * environment references that image's digest (by commit or by a pinned `--image`).
   */
  async release(record: EnvironmentRecord, others: EnvironmentRecord[]): Promise<void> {
    await this.images.unmarkEnv(record.name);
    if (!record.commit || record.imagePinned) return;
    await this.images.deleteUnusedImages(record.commit, await this.images.digestsInUse(others));
  }
}
