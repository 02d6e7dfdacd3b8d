import { createHash } from 'node:crypto';
import { CreateRepositoryCommand, PutImageCommand, type ECRClient } from '@aws-sdk/client-ecr';

/** Creates an IMMUTABLE repository like the shared infrastructure does; returns its URI. */
export async function createRepository(ecr: ECRClient, name: string): Promise<string> {
  const out = await ecr.send(new CreateRepositoryCommand({ repositoryName: name, imageTagMutability: 'IMMUTABLE' }));
  return out.repository!.repositoryUri!;
}

/**
 * What `docker push` of a commit's image leaves in ECR: one manifest tagged c-<sha>. Returns its
 * digest. `variant` makes a different image under the same tag (what someone else's push would be).
 */
export async function pushCommitImage(ecr: ECRClient, repositoryName: string, commit: string, variant = ''): Promise<string> {
  const digest = (s: string) => `sha256:${createHash('sha256').update(s).digest('hex')}`;
  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 1000, digest: digest(`config-${commit}`) },
    layers: [
      { mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 50_000_000, digest: digest('dependencies') },
      { mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 20_000, digest: digest(`application-${commit}${variant}`) },
    ],
  };
  const out = await ecr.send(new PutImageCommand({ repositoryName, imageManifest: JSON.stringify(manifest), imageTag: `c-${commit}` }));
  return out.image!.imageId!.imageDigest!;
}
