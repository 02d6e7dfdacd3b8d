import { Aws, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { InfraConfig } from './config.js';
import { createLogGroup } from './log-group.js';
import { NAMES } from './names.js';
import { ANY_RESOURCE, suppress, wildcardResource } from './nag.js';

export interface EnvironmentResourcesProps {
  vpc: ec2.IVpc;
  loadBalancer: ec2.IConnectable;
  repository: ecr.IRepository;
  config: InfraConfig;
}

/**
 * What every environment the bot creates shares: its security group, log group, task execution
 * role (pull, log, read its config) and a default task role without AWS permissions.
 */
export class EnvironmentResources extends Construct {
  readonly securityGroup: ec2.SecurityGroup;
  readonly logGroup: logs.LogGroup;
  readonly executionRole: iam.Role;
  readonly taskRole: iam.Role;

  constructor(scope: Construct, id: string, { vpc, loadBalancer, repository, config }: EnvironmentResourcesProps) {
    super(scope, id);
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc,
      description: 'envbot environments: reachable from the shared ALB only',
      allowAllOutbound: true,
    });
    // Profiles choose the container port, so the ALB may reach any TCP port; nothing else may.
    loadBalancer.connections.allowTo(this.securityGroup, ec2.Port.allTcp(), 'ALB to environment containers');
    this.logGroup = createLogGroup(this, 'Logs', NAMES.environmentsLogGroup, config);

    this.executionRole = new iam.Role(this, 'ExecutionRole', {
      description: 'envbot environments: pull the image, write logs, read /envbot parameters',
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
    });
    repository.grantPull(this.executionRole);
    this.logGroup.grantWrite(this.executionRole);
    const parameters = Stack.of(this).formatArn({ service: 'ssm', resource: 'parameter', resourceName: `${NAMES.ssmPrefix.slice(1)}/*` });
    // ECS resolves `secrets` and SSM-backed values with GetParameters at task start.
    this.executionRole.addToPolicy(new iam.PolicyStatement({ actions: ['ssm:GetParameters'], resources: [parameters] }));
    suppress(this.executionRole, 'Environment config is the /envbot parameter tree (base, profiles, envs layers); nothing outside it.', wildcardResource(this, parameters));
    suppress(
      this.executionRole,
      'Only ecr:GetAuthorizationToken, which has no resource-level permissions; image pulls are limited to the envbot repository.',
      ANY_RESOURCE,
    );
    if (config.ssmKmsKeyArn) {
      // SecureStrings under the AWS-managed aws/ssm key need no grant; a customer key does.
      this.executionRole.addToPolicy(
        new iam.PolicyStatement({
          actions: ['kms:Decrypt'],
          resources: [config.ssmKmsKeyArn],
          conditions: { StringEquals: { 'kms:ViaService': `ssm.${Aws.REGION}.amazonaws.com` } },
        }),
      );
    }

    this.taskRole = new iam.Role(this, 'TaskRole', {
      description: 'envbot environments: default task role, no AWS permissions',
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
      }),
    });
  }
}
