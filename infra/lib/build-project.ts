import { ArnFormat, Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { InfraConfig } from './config.js';
import { createLogGroup } from './log-group.js';
import { NAMES } from './names.js';
import { ANY_RESOURCE, suppress, wildcardResource } from './nag.js';

const CACHE_PREFIX = 'codebuild-cache';

export interface BuildProjectProps {
  config: InfraConfig;
  repository: ecr.IRepository;
  accessLogs: s3.IBucket;
}

/**
 * The CodeBuild project that turns a commit into an image. The bot starts every build (no webhook),
 * so pull requests from strangers cannot run code here. The buildspec lives in the app repository.
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
    const [owner, repo] = config.github.repository.split('/') as [string, string];

    this.project = new codebuild.Project(this, 'Project', {
      projectName: NAMES.buildProject,
      description: `envbot: builds ${config.github.repository} commits into ${NAMES.repository} images`,
      source: codebuild.Source.gitHub({ owner, repo, webhook: false, reportBuildStatus: false }),
      buildSpec: codebuild.BuildSpec.fromSourceFilename('buildspec.yml'),
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
      (this.project.node.defaultChild as codebuild.CfnProject).cache = { type: 'S3', location: `${this.cacheBucket.bucketName}/${CACHE_PREFIX}` };
    }
    repository.grantPullPush(this.project);
    // The buildspec skips commits whose image already exists (the repository is IMMUTABLE).
    this.project.addToRolePolicy(new iam.PolicyStatement({ actions: ['ecr:DescribeImages'], resources: [repository.repositoryArn] }));
    this.grantCache();
    this.acknowledgeGrants();

    suppress(
      this.project,
      'The project produces no artifacts (the image goes to ECR, logs to CloudWatch); the only S3 data is a ' +
        'dependency cache of public packages in an SSE-S3 bucket. A customer-managed KMS key would add cost and no protection.',
      'AwsSolutions-CB4',
    );
  }

  /** Object read/write/delete in the cache bucket, listing it; nothing else in S3. */
  private grantCache(): void {
    const objects = this.cacheBucket.arnForObjects('*');
    this.project.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'], resources: [objects] }),
    );
    this.project.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket', 's3:GetBucketLocation'], resources: [this.cacheBucket.bucketArn] }));
  }

  private acknowledgeGrants(): void {
    const stack = Stack.of(this);
    const name = this.project.projectName;
    suppress(this.project, 'The objects of the build cache bucket: cache keys are chosen by the build.', wildcardResource(this, this.cacheBucket.arnForObjects('*')));
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
