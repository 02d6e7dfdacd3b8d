import { commitTag } from './image-tags.js';
import { parseImageRef, sameRepository } from './image-ref.js';
import type { ImageRegistry } from './ports.js';

/** What an environment record says about the image it runs (a subset of EnvironmentRecord). */
export interface ImageUser {
  commit?: string;
  image?: string;
}

/**
 * The digests in this repository that any of `users` references: its commit's image
 * (`c-<sha>`) and the image URI it deploys — pinned ones (`--image`) included, by tag or by
 * digest. Read from one listing of the repository, so a reference by tag resolves to the image
 * that carries the tag now (tags are IMMUTABLE: that is the image the service was given).
 */
export async function digestsInUse(
  ecr: ImageRegistry,
  repositoryName: string,
  repositoryUri: string,
  users: readonly ImageUser[],
): Promise<Set<string>> {
  const inUse = new Set<string>();
  const tags = new Set<string>();
  for (const user of users) {
    if (user.commit && /^[0-9a-f]{40}$/.test(user.commit)) tags.add(commitTag(user.commit));
    const ref = user.image ? parseImageRef(user.image) : undefined;
    if (!ref || !sameRepository(ref, repositoryUri)) continue;
    if (ref.digest) inUse.add(ref.digest);
    else tags.add(ref.tag ?? 'latest');
  }
  if (tags.size === 0) return inUse;
  for (const image of await ecr.list(repositoryName)) {
    if (image.tags.some((t) => tags.has(t))) inUse.add(image.digest);
  }
  return inUse;
}
