import { fileURLToPath } from 'node:url';
import { IgnoreMode } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type { Construct } from 'constructs';
import type { InfraConfig } from './config.js';

/** The repository root: the Dockerfile and .dockerignore live there. */
export const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The bot's image. By default `cdk deploy` builds ./Dockerfile and pushes it to the CDK asset
 * repository (synth only fingerprints the files .dockerignore lets through: no Docker needed until
 * deploy). With `bot.imageRepository` set, the stack runs a tag pushed to that ECR repository
 * instead (CI builds, or machines without Docker).
 */
export function botImage(scope: Construct, config: InfraConfig): ecs.ContainerImage {
  if (config.bot.imageRepository) {
    const repository = ecr.Repository.fromRepositoryName(scope, 'BotImageRepository', config.bot.imageRepository);
    return ecs.ContainerImage.fromEcrRepository(repository, config.bot.imageTag);
  }
  return ecs.ContainerImage.fromAsset(REPOSITORY_ROOT, {
    file: 'Dockerfile',
    platform: Platform.LINUX_AMD64,
    ignoreMode: IgnoreMode.DOCKER,
  });
}
