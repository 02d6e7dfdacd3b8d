import { Fn, Stack } from 'aws-cdk-lib';
import type * as codebuild from 'aws-cdk-lib/aws-codebuild';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { InfraConfig } from './config.js';
import { NAMES } from './names.js';
import { ANY_RESOURCE, suppress, wildcardResource } from './nag.js';
import { environmentServicesArn } from './scheduler.js';

export interface BotResources {
  config: InfraConfig;
  cluster: ecs.ICluster;
  listenerArn: string;
  table: dynamodb.ITable;
  repository: ecr.IRepository;
  buildProject: codebuild.IProject;
  /** Passed with StartBuild serviceRoleOverride for protected branches. */
  protectedBuildRole?: iam.IRole;
  queue: sqs.IQueue;
  /** The schedules' dead-letter queue: the bot reads and deletes what Scheduler reports there. */
  scheduleFailures: sqs.IQueue;
  scheduleGroup: scheduler.IScheduleGroup;
  schedulerRole: iam.IRole;
  environmentRoles: iam.IRole[];
  readableLogGroups: logs.ILogGroup[];
}

/** What each part of the policy needs: the role, the stack's resources and two helpers. */
interface Grants {
  scope: Construct;
  r: BotResources;
  arn: (service: string, resource: string, resourceName: string) => string;
  allow: (actions: string[], resources: string[], conditions?: Record<string, unknown>) => void;
  /** Acknowledges a wildcard in a resource name, with the reason (cdk-nag). */
  because: (reason: string, resource: string) => void;
}

/**
 * What the bot's task role may do: manage envbot's own per-environment resources, found by name
 * (envbot-*, eb-*, /envbot/*, the envbot schedule group) or by ARN. The few actions AWS cannot
 * scope to a resource get `*` and are listed in test/infra/support/iam-allow-list.ts. Exactly the
 * actions of app/src/doctor/aws-operations.ts (test/infra/bot-role-catalogue.test.ts).
 */
export function grantBotPermissions(scope: Construct, role: iam.IRole, r: BotResources): void {
  const g: Grants = {
    scope,
    r,
    arn: (service, resource, resourceName) => Stack.of(scope).formatArn({ service, resource, resourceName }),
    allow: (actions, resources, conditions) => {
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources, ...(conditions && { conditions }) }));
    },
    because: (reason, resource) => suppress(role, reason, wildcardResource(scope, resource)),
  };
  grantEcs(g);
  grantLoadBalancer(g);
  grantParameters(g);
  grantSchedules(g);
  grantBuildsAndState(g);
  suppress(
    role,
    'Only actions AWS does not scope to resources: ecs Register/Deregister/Describe/ListTaskDefinitions, ecs ListServices ' +
      '(limited to the envbot cluster by the ecs:cluster condition), ecs:ListClusters (health check), elasticloadbalancing Describe*, ' +
      'scheduler:ListSchedules. The test/infra suites fail on any other action granted on * (support/iam-allow-list.ts).',
    ANY_RESOURCE,
  );
}

/** Task definitions (no resource-level permissions), tagged at registration; services by name. */
function grantEcs({ scope, r, arn, allow, because }: Grants): void {
  allow(['ecs:RegisterTaskDefinition', 'ecs:DeregisterTaskDefinition', 'ecs:DescribeTaskDefinition', 'ecs:ListTaskDefinitions'], ['*']);
  // Tags are written on create and read back with include=TAGS (ListTagsForResource kept for that read).
  const taskDefinitions = arn('ecs', 'task-definition', `${NAMES.environmentPrefix}*:*`);
  allow(['ecs:TagResource', 'ecs:ListTagsForResource'], [taskDefinitions]);
  const services = environmentServicesArn(scope);
  allow(
    ['ecs:CreateService', 'ecs:UpdateService', 'ecs:DeleteService', 'ecs:DescribeServices', 'ecs:TagResource', 'ecs:ListTagsForResource'],
    [services],
  );
  allow(['ecs:ListServices'], ['*'], { ArnEquals: { 'ecs:cluster': r.cluster.clusterArn } });
  // GET /healthz (the ALB health check) proves AWS answers with ListClusters.
  allow(['ecs:ListClusters'], ['*']);
  allow(['iam:PassRole'], r.environmentRoles.map((x) => x.roleArn), { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } });
  because('Environment services: the wildcard is the environment name (envbot-<env> in the envbot cluster).', services);
  because('Environment task definitions: family envbot-<env>, any revision (tagged when registered).', taskDefinitions);
}

/** Target groups eb-*, rules on the shared listener only. */
function grantLoadBalancer({ r, arn, allow, because }: Grants): void {
  const targetGroups = arn('elasticloadbalancing', 'targetgroup', `${NAMES.targetGroupPrefix}*/*`);
  allow(
    [
      'elasticloadbalancing:CreateTargetGroup',
      'elasticloadbalancing:DeleteTargetGroup',
      'elasticloadbalancing:ModifyTargetGroup',
      'elasticloadbalancing:ModifyTargetGroupAttributes',
      'elasticloadbalancing:AddTags',
    ],
    [targetGroups],
  );
  const rules = listenerRulesArn(r.listenerArn);
  allow(['elasticloadbalancing:CreateRule', 'elasticloadbalancing:AddTags'], [r.listenerArn, rules]);
  allow(['elasticloadbalancing:DeleteRule', 'elasticloadbalancing:ModifyRule'], [rules]);
  allow(['elasticloadbalancing:DescribeRules', 'elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeTags'], ['*']);
  because('Environment target groups eb-<env>; the trailing id is assigned by AWS.', targetGroups);
  because('Host rules of the shared listener only; rule ids are assigned by AWS.', rules);
}

/** The /envbot tree only (the path itself for GetParametersByPath). */
function grantParameters({ scope, r, arn, allow, because }: Grants): void {
  const ssmPath = NAMES.ssmPrefix.slice(1);
  const parameters = arn('ssm', 'parameter', `${ssmPath}/*`);
  // Values are never read by the bot (SecureStrings reach tasks by ARN): no GetParameter(s).
  allow(
    ['ssm:GetParametersByPath', 'ssm:PutParameter', 'ssm:DeleteParameter', 'ssm:DeleteParameters', 'ssm:AddTagsToResource'],
    [arn('ssm', 'parameter', ssmPath), parameters],
  );
  if (r.config.ssmKmsKeyArn) {
    allow(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'], [r.config.ssmKmsKeyArn], {
      StringEquals: { 'kms:ViaService': `ssm.${Stack.of(scope).region}.amazonaws.com` },
    });
  }
  because('The /envbot parameter tree: base, profile and environment config layers.', parameters);
}

/** Schedules of the envbot group, run as the schedules role. */
function grantSchedules({ r, arn, allow, because }: Grants): void {
  const schedules = arn('scheduler', 'schedule', `${NAMES.scheduleGroup}/*`);
  allow(['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule', 'scheduler:GetSchedule'], [schedules]);
  allow(['scheduler:ListSchedules'], ['*']);
  // Idle sleep reads each environment's request count (CloudWatch metrics have no resource type).
  allow(['cloudwatch:GetMetricData'], ['*']);
  allow(['iam:PassRole'], [r.schedulerRole.roleArn], { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } });
  because('Schedules of the envbot schedule group only (nightly stop, morning start).', schedules);
}

/** Builds, images, state, task events, build logs: each on its one resource. */
function grantBuildsAndState({ r, allow }: Grants): void {
  allow(['codebuild:StartBuild', 'codebuild:StopBuild', 'codebuild:BatchGetBuilds'], [r.buildProject.projectArn]);
  // Protected branches build with their own role (app/src/builds/build-isolation.ts).
  if (r.protectedBuildRole) {
    allow(['iam:PassRole'], [r.protectedBuildRole.roleArn], { StringEquals: { 'iam:PassedToService': 'codebuild.amazonaws.com' } });
  }
  // PutImage/BatchDeleteImage move the deployed-<env> tags; no layer uploads are allowed.
  allow(['ecr:DescribeImages', 'ecr:BatchGetImage', 'ecr:PutImage', 'ecr:BatchDeleteImage'], [r.repository.repositoryArn]);
  // The item operations the stores use (TransactWriteItems needs the write action of each item).
  allow(
    ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query', 'dynamodb:BatchWriteItem'],
    [r.table.tableArn],
  );
  // DeleteMessageBatch is authorised as sqs:DeleteMessage.
  allow(['sqs:ReceiveMessage', 'sqs:DeleteMessage'], [r.queue.queueArn, r.scheduleFailures.queueArn]);
  // Build logs are tailed into failure reports (GetLogEvents only).
  allow(['logs:GetLogEvents'], r.readableLogGroups.map((g) => g.logGroupArn));
}

/** `…:listener-rule/app/<alb>/<id>/<listener-id>/*`: the rules of the shared listener, from its ARN. */
function listenerRulesArn(listenerArn: string): string {
  const parts = Fn.split(':listener/', listenerArn);
  return Fn.join('', [Fn.select(0, parts), ':listener-rule/', Fn.select(1, parts), '/*']);
}
