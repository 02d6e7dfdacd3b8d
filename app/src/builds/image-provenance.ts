import type { RepositoryImage } from '../aws/ecr.js';
import { UserFacingError } from '../reconcile/errors.js';
import type { BuildClaimStore, BuiltImage } from './build-claims.js';
import { commitTag } from './image-tags.js';
import type { ImageRegistry } from './ports.js';

/**
 * "envbot deploys a commit image only if its own build produced it." The build role can push any
 * tag (a branch's build scripts run with it), so the tag `c-<sha>` alone proves nothing. What
 * does: envbot started the build of that commit, the build succeeded, and right after it the
 * IMMUTABLE tag carried the digest the build itself exported. Only envbot can delete an image
 * (the build role has no ecr:BatchDeleteImage), so nobody can re-point the tag afterwards.
 */
export class ImageProvenanceError extends UserFacingError {
  override readonly name = 'ImageProvenanceError';
  readonly code = 'IMAGE_PROVENANCE';
}

export type CommitImageState =
  | { state: 'absent' }
  | { state: 'verified'; image: RepositoryImage; built: BuiltImage }
  /** Something is tagged `c-<sha>` that envbot's build did not push (or envbot does not remember). */
  | { state: 'unverified'; image: RepositoryImage };

export async function inspectCommitImage(
  ecr: ImageRegistry,
  claims: BuildClaimStore,
  repositoryName: string,
  commit: string,
): Promise<CommitImageState> {
  const image = await ecr.findByTag(repositoryName, commitTag(commit));
  if (!image) return { state: 'absent' };
  const built = await claims.built(commit);
  return built && built.digest === image.digest ? { state: 'verified', image, built } : { state: 'unverified', image };
}

export interface BuildOutcome {
  commit: string;
  buildId: string;
  /** The buildspec's exported variables (IMAGE_DIGEST among them). */
  exported: Record<string, string>;
  protectedBranch: boolean;
  nowMs: number;
}

/** After a successful build: reads the digest under the commit tag, checks it against the build's own word, remembers it. */
export async function recordBuiltImage(ecr: ImageRegistry, claims: BuildClaimStore, repositoryName: string, o: BuildOutcome): Promise<BuiltImage> {
  const short = o.commit.slice(0, 7);
  const image = await ecr.findByTag(repositoryName, commitTag(o.commit));
  if (!image) {
    throw new ImageProvenanceError(
      `build ${o.buildId} of ${o.commit} succeeded but ${commitTag(o.commit)} is not in ${repositoryName}`,
      `building ${short} succeeded but its image is not in ECR — run /env up again`,
    );
  }
  const reported = o.exported.IMAGE_DIGEST;
  if (!reported || reported !== image.digest) {
    throw new ImageProvenanceError(
      `build ${o.buildId} of ${o.commit} reported digest ${reported || '(none)'} but ${commitTag(o.commit)} is ${image.digest}`,
      `the image tagged for ${short} is not the one envbot's build pushed (another push raced it), so it will not be deployed` +
        ' — run /env up again to rebuild; tell an admin if it happens again',
    );
  }
  const known = await claims.built(o.commit);
  // A replica that only followed the build must not downgrade what the starting replica recorded.
  if (known?.digest === image.digest && known.buildId === o.buildId && !o.protectedBranch) return known;
  const built: BuiltImage = { commit: o.commit, digest: image.digest, buildId: o.buildId, builtAtMs: o.nowMs, protectedBranch: o.protectedBranch };
  await claims.recordBuilt(built);
  return built;
}
