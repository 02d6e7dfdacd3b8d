import { RemovalPolicy } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Construct } from 'constructs';
import { buildLifecyclePolicy } from '../../app/src/builds/lifecycle-policy.js';
import type { InfraConfig } from './config.js';
import { NAMES } from './names.js';

/** The ECR repository of environment images (`c-<sha>` from builds, `deployed-<env>` from the bot). */
export class ImageRepository extends Construct {
  readonly repository: ecr.Repository;

  constructor(scope: Construct, id: string, { config }: { config: InfraConfig }) {
    super(scope, id);
    this.repository = new ecr.Repository(this, 'Repository', {
      repositoryName: NAMES.repository,
      // A commit's image is built once and never overwritten; the bot moves deployed-* tags explicitly.
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      imageScanOnPush: true,
      // Images are rebuildable from git: `cdk destroy` removes them with the repository.
      removalPolicy: RemovalPolicy.DESTROY,
      emptyOnDelete: true,
    });
    // The policy is owned by the app (shared with local mode), so set it verbatim on the L1 resource.
    const cfn = this.repository.node.defaultChild as ecr.CfnRepository;
    cfn.lifecyclePolicy = { lifecyclePolicyText: JSON.stringify(buildLifecyclePolicy(config.images)) };
  }
}
