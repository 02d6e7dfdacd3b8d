import type { BuildInfo, StartBuildRequest } from '../aws/codebuild.js';
import type { RepositoryImage } from '../aws/ecr.js';

/**
 * What the image service needs from AWS, as small interfaces. The adapters in aws/ (EcrImages,
 * CodeBuildBuilds, BuildLogs) satisfy them structurally; tests may hand in fakes.
 */
/** One image of the repository, by one of its tags or by its digest. */
export type ImageLocator = { tag: string } | { digest: string };

export interface ImageRegistry {
  findByTag(repositoryName: string, tag: string): Promise<RepositoryImage | undefined>;
  list(repositoryName: string): Promise<RepositoryImage[]>;
  addTag(repositoryName: string, existing: string | { digest: string }, newTag: string): Promise<'added' | 'already'>;
  removeTag(repositoryName: string, tag: string): Promise<boolean>;
  deleteImage(repositoryName: string, digest: string): Promise<boolean>;
}

export interface BuildRunner {
  start(req: StartBuildRequest): Promise<string>;
  get(buildId: string): Promise<BuildInfo>;
  stop(buildId: string): Promise<void>;
}

export interface BuildLogReader {
  tail(group: string, stream: string, lines?: number): Promise<string[]>;
}

export interface Clock {
  now(): number;
}

export type Sleep = (ms: number) => Promise<void>;
