import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import type { InfraConfig } from './config.js';
import { NAMES } from './names.js';
import { suppress } from './nag.js';

/** The one ECS cluster: environments on FARGATE_SPOT (FARGATE for `stage`), the bot on FARGATE. */
export class EnvbotCluster extends Construct {
  readonly cluster: ecs.Cluster;

  constructor(scope: Construct, id: string, { vpc, config }: { vpc: ec2.IVpc; config: InfraConfig }) {
    super(scope, id);
    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc,
      clusterName: NAMES.cluster,
      enableFargateCapacityProviders: true,
      containerInsightsV2: config.containerInsights ? ecs.ContainerInsights.ENABLED : ecs.ContainerInsights.DISABLED,
    });
    // Services created without a strategy (the bot always sends one) land on Spot, the cheap default.
    this.cluster.addDefaultCapacityProviderStrategy([{ capacityProvider: 'FARGATE_SPOT', weight: 1 }]);
    if (!config.containerInsights) {
      suppress(
        this.cluster,
        'Container Insights is a paid monitoring add-on, off by default to keep throw-away environments cheap; ' +
          'task logs still go to CloudWatch Logs and ECS events to the bot. Enable with containerInsights: true.',
        'AwsSolutions-ECS4',
      );
    }
  }
}
