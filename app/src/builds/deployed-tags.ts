import { COMMIT_TAG_PREFIX, commitTag, deployedTag, isDeployedTag } from './image-tags.js';
import type { ImageRegistry } from './ports.js';

/**
 * The `deployed-<env>` tags that shield running images from the lifecycle policy, and the
 * clean-ups that must respect them. Works in IMMUTABLE repositories: a tag is only ever added
 * to an image after it was removed from any other image.
 */
export class DeployedTags {
  constructor(
    private readonly ecr: ImageRegistry,
    private readonly repositoryName: string,
  ) {}

  async mark(env: string, commit: string): Promise<void> {
    const target = commitTag(commit);
    const tag = deployedTag(env);
    const current = await this.ecr.findByTag(this.repositoryName, tag);
    if (current?.tags.includes(target)) return;
    // The env moved to another commit: free the tag first (IMMUTABLE forbids re-pointing it).
    // Between the two calls the old image is unshielded; lifecycle runs are daily, so that is safe.
    if (current) await this.ecr.removeTag(this.repositoryName, tag);
    await this.ecr.addTag(this.repositoryName, target, tag);
  }

  async unmark(env: string, commit: string): Promise<boolean> {
    const tag = deployedTag(env);
    const current = await this.ecr.findByTag(this.repositoryName, tag);
    if (!current?.tags.includes(commitTag(commit))) return false;
    return this.ecr.removeTag(this.repositoryName, tag);
  }

  async deleteIfUnused(commit: string, stillUsedByOtherEnvs: boolean): Promise<boolean> {
    if (stillUsedByOtherEnvs) return false;
    const image = await this.ecr.findByTag(this.repositoryName, commitTag(commit));
    if (!image || image.tags.some(isDeployedTag)) return false;
    return this.ecr.deleteImage(this.repositoryName, image.digest);
  }

  /** Deletes commit images without a `deployed-*` tag pushed more than `maxAgeDays` ago. */
  async pruneStale(maxAgeDays: number, nowMs: number): Promise<string[]> {
    const cutoff = nowMs - maxAgeDays * 86_400_000;
    const stale = (await this.ecr.list(this.repositoryName)).filter(
      (img) =>
        img.tags.some((t) => t.startsWith(COMMIT_TAG_PREFIX)) &&
        !img.tags.some(isDeployedTag) &&
        img.pushedAt !== undefined &&
        img.pushedAt.getTime() < cutoff,
    );
    const deleted: string[] = [];
    for (const img of stale) if (await this.ecr.deleteImage(this.repositoryName, img.digest)) deleted.push(img.digest);
    return deleted;
  }

  /**
   * An earlier image to reuse as Docker layer cache: the one this environment runs now (closest
   * code), else the newest commit image. Undefined for an empty repository.
   */
  async cacheSource(env: string, repositoryUri: string): Promise<string | undefined> {
    const mine = await this.ecr.findByTag(this.repositoryName, deployedTag(env));
    const pick =
      mine ??
      (await this.ecr.list(this.repositoryName))
        .filter((img) => img.tags.some((t) => t.startsWith(COMMIT_TAG_PREFIX)))
        .sort((a, b) => (b.pushedAt?.getTime() ?? 0) - (a.pushedAt?.getTime() ?? 0))[0];
    const tag = pick?.tags.find((t) => t.startsWith(COMMIT_TAG_PREFIX));
    return tag ? `${repositoryUri}:${tag}` : undefined;
  }
}
