import type { RepositoryImage } from '../aws/ecr.js';
import { COMMIT_TAG_PREFIX, commitTag, deployedTag, isDeployedTag } from './image-tags.js';
import type { ImageLocator, ImageRegistry } from './ports.js';

/**
 * The `deployed-<env>` tags that shield running images from the lifecycle policy, and the
 * clean-ups that must respect them and every image a live environment references (by digest).
 * Works in IMMUTABLE repositories: a tag is only ever added to an image after it was removed from
 * any other image.
 */
export class DeployedTags {
  constructor(
    private readonly ecr: ImageRegistry,
    private readonly repositoryName: string,
  ) {}

  /** Puts `deployed-<env>` on the image `at` names (a commit's image, or a pinned one by tag or digest). */
  async mark(env: string, at: ImageLocator): Promise<void> {
    const tag = deployedTag(env);
    const current = await this.ecr.findByTag(this.repositoryName, tag);
    if (current && ('tag' in at ? current.tags.includes(at.tag) : current.digest === at.digest)) return;
    // The env moved to another image: free the tag first (IMMUTABLE forbids re-pointing it).
    // Between the two calls the old image is unshielded; lifecycle runs are daily, so that is safe.
    if (current) await this.ecr.removeTag(this.repositoryName, tag);
    await this.ecr.addTag(this.repositoryName, 'tag' in at ? at.tag : { digest: at.digest }, tag);
  }

  async unmark(env: string, commit: string): Promise<boolean> {
    const tag = deployedTag(env);
    const current = await this.ecr.findByTag(this.repositoryName, tag);
    if (!current?.tags.includes(commitTag(commit))) return false;
    return this.ecr.removeTag(this.repositoryName, tag);
  }

  /** Teardown: the env is gone, so is its tag, whichever image carries it. */
  unmarkEnv(env: string): Promise<boolean> {
    return this.ecr.removeTag(this.repositoryName, deployedTag(env));
  }

  /**
   * Deletes the commit's image unless a live environment references its digest (`inUse`) or a
   * `deployed-*` tag still shields it. Returns the deleted image.
   */
  async deleteIfUnused(commit: string, inUse: ReadonlySet<string>): Promise<RepositoryImage | undefined> {
    const image = await this.ecr.findByTag(this.repositoryName, commitTag(commit));
    if (!image || inUse.has(image.digest) || image.tags.some(isDeployedTag)) return undefined;
    return (await this.ecr.deleteImage(this.repositoryName, image.digest)) ? image : undefined;
  }

  /** Deletes commit images nobody references, without a `deployed-*` tag, pushed more than `maxAgeDays` ago. */
  async pruneStale(maxAgeDays: number, nowMs: number, inUse: ReadonlySet<string>): Promise<RepositoryImage[]> {
    const cutoff = nowMs - maxAgeDays * 86_400_000;
    const stale = (await this.ecr.list(this.repositoryName)).filter(
      (img) =>
        img.tags.some((t) => t.startsWith(COMMIT_TAG_PREFIX)) &&
        !img.tags.some(isDeployedTag) &&
        !inUse.has(img.digest) &&
        img.pushedAt !== undefined &&
        img.pushedAt.getTime() < cutoff,
    );
    const deleted: RepositoryImage[] = [];
    for (const img of stale) if (await this.ecr.deleteImage(this.repositoryName, img.digest)) deleted.push(img);
    return deleted;
  }

  /**
   * Earlier images to reuse as Docker layer cache, best first: the one this environment runs now
   * (closest code), then commit images newest first. The caller checks their provenance.
   */
  async cacheCandidates(env: string, limit: number): Promise<RepositoryImage[]> {
    const mine = await this.ecr.findByTag(this.repositoryName, deployedTag(env));
    const newest = (await this.ecr.list(this.repositoryName))
      .filter((img) => img.tags.some((t) => t.startsWith(COMMIT_TAG_PREFIX)) && img.digest !== mine?.digest)
      .sort((a, b) => (b.pushedAt?.getTime() ?? 0) - (a.pushedAt?.getTime() ?? 0));
    return [...(mine?.tags.some((t) => t.startsWith(COMMIT_TAG_PREFIX)) ? [mine] : []), ...newest].slice(0, limit);
  }
}

/** The commit SHA in an image's `c-<sha>` tag, if it has one. */
export function commitOf(image: RepositoryImage): string | undefined {
  return image.tags.find((t) => t.startsWith(COMMIT_TAG_PREFIX))?.slice(COMMIT_TAG_PREFIX.length);
}
