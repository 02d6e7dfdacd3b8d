import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { NAMES } from './names.js';
import { suppress } from './nag.js';

/**
 * The environments' front door (issue 15), the parts the stack owns:
 *
 * - the waking target group: the bot's tasks on its port, health-checked at /healthz. While an
 *   environment sleeps, its host rule forwards here (weight 1) beside its own group (weight 0), and
 *   the bot answers with the waking page. The bot's own rule keeps it attached (weight 0) so ECS
 *   accepts the bot service in it from the first deploy (a group no listener uses is refused).
 * - the automation bypass secret: the value of the bypass header. Only the bot's execution role may
 *   read it (ECS injects it into the bot as ENVBOT_BYPASS_SECRET); the resource policy denies
 *   everyone else, whatever their IAM policies say. Anyone allowed elasticloadbalancing:DescribeRules
 *   still sees it in the rule condition — the README says so.
 */
export class WakeResources extends Construct {
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly bypassSecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: { vpc: ec2.IVpc }) {
    super(scope, id);
    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'TargetGroup', {
      vpc: props.vpc,
      port: NAMES.botPort,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      healthCheck: { path: '/healthz', healthyHttpCodes: '200', interval: Duration.seconds(15), healthyThresholdCount: 2 },
      deregistrationDelay: Duration.seconds(30),
    });
    this.bypassSecret = new secretsmanager.Secret(this, 'BypassSecret', {
      description: 'envbot: automation bypass header value for protected environments (rotate: put a new value, then restart the bot)',
      // ALB header conditions: at most 128 characters, and * ? are wildcards — letters and digits only.
      generateSecretString: { excludePunctuation: true, includeSpace: false, passwordLength: 64 },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    suppress(
      this.bypassSecret,
      'Rotated by an admin (put a new value, restart the bot; resync rewrites the rules): the value lives in listener rule conditions, which a rotation Lambda cannot update.',
      'AwsSolutions-SMG4',
    );
  }

  /** Only the bot (its execution role, which injects the value and is granted by ecs.Secret) may read the secret. */
  restrictBypassSecretTo(reader: iam.IRole): void {
    this.bypassSecret.addToResourcePolicy(
      new iam.PolicyStatement({
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['secretsmanager:GetSecretValue'],
        resources: ['*'],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': reader.roleArn } },
      }),
    );
  }
}
