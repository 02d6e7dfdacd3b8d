import {
  BatchDeleteImageCommand,
  BatchGetImageCommand,
  DescribeImagesCommand,
  PutImageCommand,
  PutLifecyclePolicyCommand,
  type ECRClient,
  type ImageDetail,
} from '@aws-sdk/client-ecr';
import { AwsActionError, errorName, isNotFound } from './errors.js';

/** An ECR call failed; `cause` keeps the SDK exception. */
export class EcrError extends AwsActionError {
  override readonly name = 'EcrError';
}

export interface RepositoryImage {
  digest: string;
  tags: string[];
  pushedAt?: Date;
}

/**
 * Manifest types we ask BatchGetImage for. Without them ECR may hand back a converted (schema 1)
 * manifest, and re-putting that under a new tag would create a *different* digest instead of
 * adding a tag to the image that exists.
 */
const MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
];

/** Thin adapter over the images of one ECR repository (the repository is per call). */
export class EcrImages {
  constructor(private readonly ecr: ECRClient) {}

  /** The image carrying `tag`, or undefined when no image has it (or the repository is missing). */
  async findByTag(repositoryName: string, tag: string): Promise<RepositoryImage | undefined> {
    try {
      const out = await this.ecr.send(new DescribeImagesCommand({ repositoryName, imageIds: [{ imageTag: tag }] }));
      const detail = out.imageDetails?.[0];
      return detail ? toImage(detail) : undefined;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw new EcrError(`looking up image ${repositoryName}:${tag}`, err);
    }
  }

  /** Every image of the repository, all pages. */
  async list(repositoryName: string): Promise<RepositoryImage[]> {
    const images: RepositoryImage[] = [];
    let nextToken: string | undefined;
    try {
      do {
        const out = await this.ecr.send(new DescribeImagesCommand({ repositoryName, nextToken, maxResults: 1000 }));
        images.push(...(out.imageDetails ?? []).map(toImage));
        nextToken = out.nextToken;
      } while (nextToken);
    } catch (err) {
      throw new EcrError(`listing images of ${repositoryName}`, err);
    }
    return images;
  }

  /**
   * Adds `newTag` to the image that has the tag (or digest) `existing`, by putting the same manifest again (no
   * layers move). Allowed in IMMUTABLE repositories as long as `newTag` is not on another image.
   * Idempotent: 'already' when the tag is already on this image.
   */
  async addTag(repositoryName: string, existing: string | { digest: string }, newTag: string): Promise<'added' | 'already'> {
    const imageId = typeof existing === 'string' ? { imageTag: existing } : { imageDigest: existing.digest };
    const action = `tagging ${repositoryName}${typeof existing === 'string' ? `:${existing}` : `@${existing.digest}`} as ${newTag}`;
    let manifest: { imageManifest?: string; imageManifestMediaType?: string; digest?: string };
    try {
      const out = await this.ecr.send(
        new BatchGetImageCommand({ repositoryName, imageIds: [imageId], acceptedMediaTypes: MANIFEST_TYPES }),
      );
      const image = out.images?.[0];
      if (!image?.imageManifest) throw new EcrError(action, out.failures?.[0]?.failureReason ?? 'image not found', 'build the commit first');
      manifest = { imageManifest: image.imageManifest, imageManifestMediaType: image.imageManifestMediaType, digest: image.imageId?.imageDigest };
    } catch (err) {
      if (err instanceof EcrError) throw err;
      throw new EcrError(action, err);
    }
    try {
      await this.ecr.send(
        new PutImageCommand({
          repositoryName,
          imageManifest: manifest.imageManifest,
          imageManifestMediaType: manifest.imageManifestMediaType,
          imageDigest: manifest.digest,
          imageTag: newTag,
        }),
      );
      return 'added';
    } catch (err) {
      if (!/ImageAlreadyExists|ImageTagAlreadyExists/.test(errorName(err))) throw new EcrError(action, err);
      const holder = await this.findByTag(repositoryName, newTag);
      if (holder && holder.digest === manifest.digest) return 'already';
      throw new EcrError(action, err, `${newTag} is on another image; remove it first`);
    }
  }

  /**
   * Removes one tag. The image stays while it has other tags; ECR deletes it with its last tag.
   * Returns false when no image had the tag (already done).
   */
  async removeTag(repositoryName: string, tag: string): Promise<boolean> {
    return this.batchDelete(repositoryName, { imageTag: tag }, `removing tag ${tag} from ${repositoryName}`);
  }

  /** Deletes an image with all its tags. Returns false when it was already gone. */
  async deleteImage(repositoryName: string, digest: string): Promise<boolean> {
    return this.batchDelete(repositoryName, { imageDigest: digest }, `deleting image ${digest} from ${repositoryName}`);
  }

  /** Attaches the lifecycle policy (local mode and tests; the CDK stack does it in an account). */
  async putLifecyclePolicy(repositoryName: string, policy: { rules: Array<Record<string, unknown>> }): Promise<void> {
    try {
      await this.ecr.send(new PutLifecyclePolicyCommand({ repositoryName, lifecyclePolicyText: JSON.stringify(policy) }));
    } catch (err) {
      throw new EcrError(`setting the lifecycle policy of ${repositoryName}`, err);
    }
  }

  private async batchDelete(repositoryName: string, imageId: { imageTag?: string; imageDigest?: string }, action: string): Promise<boolean> {
    let out;
    try {
      out = await this.ecr.send(new BatchDeleteImageCommand({ repositoryName, imageIds: [imageId] }));
    } catch (err) {
      if (isNotFound(err)) return false;
      throw new EcrError(action, err);
    }
    const failure = out.failures?.[0];
    if (!failure) return (out.imageIds ?? []).length > 0;
    if (failure.failureCode === 'ImageNotFound') return false;
    throw new EcrError(action, `${failure.failureCode}: ${failure.failureReason}`);
  }
}

function toImage(detail: ImageDetail): RepositoryImage {
  return { digest: detail.imageDigest ?? '', tags: detail.imageTags ?? [], pushedAt: detail.imagePushedAt };
}
