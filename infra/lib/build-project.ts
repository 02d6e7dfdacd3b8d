import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ArnFormat, Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { parse as parseYaml } from 'yaml';
import { BRANCH_CACHE_PREFIX, PROTECTED_CACHE_PREFIX } from '../../app/src/builds/build-isolation.js';
import type { InfraConfig } from './config.js';
import { createLogGroup } from './log-group.js';
import { NAMES } from './names.js';
import { ANY_RESOURCE, suppress, wildcardResource } from './nag.js';

/** envbot's own buildspec, carried inline by the project (see the class comment). */
export const BUILDSPEC_PATH = fileURLToPath(new URL('../../buildspec.yml', import.meta.url));

export interface BuildProjectProps {
  config: InfraConfig;
  repository: ecr.IRepository;
  accessLogs: s3.IBucket;
}

/**
 * The CodeBuild project that turns a commit into an image. The bot starts every build (no webhook),
 * so pull requests from strangers cannot run code here.
 *
 * The buildspec is envbot's own (buildspec.yml of this repository, inline in the project), not the
 * one in the commit being built: a branch must not be able to change what the build does with the
 * push role — skip the push and "reuse" an image someone planted, or report a false digest
 * (app/src/builds/image-provenance.ts). Trade-off: an application cannot customise the build
 * steps; it still chooses its own Dockerfile, build tool wrapper and JAR_FILE. The branch's build
 * scripts do run with the build role, which is why protected branches get a role of their own.
 *
 * Two roles: the project's own (every other branch; writes `<bucket>/branches/*` only) and
 * `protectedRole` (protected branches, default main, started with serviceRoleOverride; the only
 * role that writes `<bucket>/protected/*`). A branch's build scripts can therefore poison only the
 * cache other branches use, never the one main builds with.
 *
 * Caching: a project has exactly one cache setting (`build.cache`). Default S3: the buildspec's
 * `cache.paths` (Gradle/Maven jars) survive on any build host, which is what turns a 15-minute
 * build into 2. `local` uses LOCAL_SOURCE_CACHE, LOCAL_DOCKER_LAYER_CACHE and LOCAL_CUSTOM_CACHE
 * instead (faster, but only on a warm host). The bucket exists either way (CACHE_BUCKET), so the bot
 * can also pick it per build with StartBuild `cacheOverride`. Docker layers are reused through
 * CACHE_FROM_IMAGE from ECR in both modes.
 */
export class BuildProject extends Construct {
  readonly project: codebuild.Project;
  readonly cacheBucket: s3.Bucket;
  readonly logGroup: logs.LogGroup;
  /** The role protected branches build with (the bot passes it with serviceRoleOverride). */
  readonly protectedRole: iam.Role;

  constructor(scope: Construct, id: string, { config, repository, accessLogs }: BuildProjectProps) {
    super(scope, id);
    this.cacheBucket = new s3.Bucket(this, 'CacheBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      lifecycleRules: [
        { expiration: Duration.days(config.build.cacheExpirationDays), abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'build-cache/',
      // A cache is rebuildable: `cdk destroy` empties and removes it.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });
    this.logGroup = createLogGroup(this, 'Logs', NAMES.buildsLogGroup, config);
    this.project = this.createProject(config, repository);
    this.protectedRole = new iam.Role(this, 'ProtectedRole', {
      assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com'),
      description: `envbot: builds of protected branches; the only role that writes ${PROTECTED_CACHE_PREFIX}/ of the build cache`,
    });
    for (const grantee of [this.project, this.protectedRole]) {
      repository.grantPullPush(grantee);
      // The buildspec refuses to build over a commit tag that already exists (the repository is IMMUTABLE).
      grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ecr:DescribeImages'], resources: [repository.repositoryArn] }));
    }
    this.logGroup.grantWrite(this.protectedRole);
    this.grantCache(this.project, BRANCH_CACHE_PREFIX);
    this.grantCache(this.protectedRole, PROTECTED_CACHE_PREFIX);
    this.acknowledgeGrants();

    suppress(
      this.project,
      'The project produces no artifacts (the image goes to ECR, logs to CloudWatch); the only S3 data is a ' +
        'dependency cache of public packages in an SSE-S3 bucket. A customer-managed KMS key would add cost and no protection.',
      'AwsSolutions-CB4',
    );
  }

  /** The one CodeBuild project: GitHub source without a webhook (only the bot starts builds), privileged for docker build. */
  private createProject(config: BuildProjectProps['config'], repository: BuildProjectProps['repository']): codebuild.Project {
    const [owner, repo] = config.github.repository.split('/') as [string, string];

    const project = new codebuild.Project(this, 'Project', {
      projectName: NAMES.buildProject,
      description: `envbot: builds ${config.github.repository} commits into ${NAMES.repository} images`,
      source: codebuild.Source.gitHub({ owner, repo, webhook: false, reportBuildStatus: false }),
      buildSpec: codebuild.BuildSpec.fromObjectToYaml(parseYaml(readFileSync(BUILDSPEC_PATH, 'utf8')) as Record<string, unknown>),
      environment: {
        buildImage: codebuild.LinuxBuildImage.STANDARD_7_0,
        computeType: codebuild.ComputeType[config.build.computeType],
        // docker build inside the build container needs the Docker daemon. Safe here: only the bot
        // starts builds (no webhook), for the one configured repository, and the role can push only to envbot's repository.
        privileged: true,
      },
      environmentVariables: {
        // buildspec.yml reads IMAGE_REPO_URI (the bot also passes it); the rest are for custom buildspecs.
        IMAGE_REPO_URI: { value: repository.repositoryUri },
        ECR_REPOSITORY_URI: { value: repository.repositoryUri },
        ECR_REPOSITORY_NAME: { value: repository.repositoryName },
        AWS_ACCOUNT_ID: { value: Aws.ACCOUNT_ID },
        CACHE_BUCKET: { value: this.cacheBucket.bucketName },
      },
      cache:
        config.build.cache === 'local'
          ? codebuild.Cache.local(codebuild.LocalCacheMode.SOURCE, codebuild.LocalCacheMode.DOCKER_LAYER, codebuild.LocalCacheMode.CUSTOM)
          : codebuild.Cache.none(),
      timeout: Duration.minutes(config.build.timeoutMinutes),
      // Unset = no project limit: every branch builds at once (the old "build queue of one" is the pain).
      ...(config.build.concurrentBuildLimit && { concurrentBuildLimit: config.build.concurrentBuildLimit }),
      logging: { cloudWatch: { logGroup: this.logGroup } },
    });
    if (config.build.cache === 's3') {
      // Set on the L1 resource: Cache.bucket() would also grant s3:*Object* wildcards; grantCache() is exact.
      (project.node.defaultChild as codebuild.CfnProject).cache = { type: 'S3', location: `${this.cacheBucket.bucketName}/${BRANCH_CACHE_PREFIX}` };
    }
    return project;
  }

  /** Object read/write/delete under one prefix of the cache bucket, listing it; nothing else in S3. */
  private grantCache(grantee: iam.IGrantable, prefix: string): void {
    const objects = this.cacheBucket.arnForObjects(`${prefix}/*`);
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'], resources: [objects] }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:ListBucket', 's3:GetBucketLocation'], resources: [this.cacheBucket.bucketArn] }),
    );
  }

  private acknowledgeGrants(): void {
    const stack = Stack.of(this);
    const name = this.project.projectName;
    suppress(
      this.project,
      'The objects under branches/ of the build cache bucket: cache keys are chosen by the build.',
      wildcardResource(this, this.cacheBucket.arnForObjects(`${BRANCH_CACHE_PREFIX}/*`)),
    );
    suppress(
      this.protectedRole,
      'The objects under protected/ of the build cache bucket: cache keys are chosen by the build.',
      wildcardResource(this, this.cacheBucket.arnForObjects(`${PROTECTED_CACHE_PREFIX}/*`)),
    );
    suppress(
      this.protectedRole,
      'Only ecr:GetAuthorizationToken, which has no resource-level permissions; pushes are limited to the envbot repository.',
      ANY_RESOURCE,
    );
    suppress(
      this.project,
      "CodeBuild's own default grants for this project: its report groups (<project>-*) and log streams of /aws/codebuild/<project>.",
      wildcardResource(this, stack.formatArn({ service: 'codebuild', resource: 'report-group', resourceName: `${name}-*` })),
      wildcardResource(this, stack.formatArn({ service: 'logs', resource: 'log-group', arnFormat: ArnFormat.COLON_RESOURCE_NAME, resourceName: `/aws/codebuild/${name}:*` })),
    );
    suppress(
      this.project,
      'Only ecr:GetAuthorizationToken, which has no resource-level permissions; pushes are limited to the envbot repository.',
      ANY_RESOURCE,
    );
  }
}
