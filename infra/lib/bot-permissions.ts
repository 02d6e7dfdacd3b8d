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

/**
 * What the bot's task role may do: manage envbot's own per-environment resources, found by name
 * (envbot-*, eb-*, /envbot/*, the envbot schedule group) or by ARN. The few actions AWS cannot
 * scope to a resource get `*` and are listed in test/infra/support/iam-allow-list.ts.
 */
export function grantBotPermissions(scope: Construct, role: iam.IRole, r: BotResources): void {
  const arn = (service: string, resource: string, resourceName: string) =>
    Stack.of(scope).formatArn({ service, resource, resourceName });
  const allow = (actions: string[], resources: string[], conditions?: Record<string, unknown>) =>
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources, ...(conditions && { conditions }) }));
  const inCluster = { ArnEquals: { 'ecs:cluster': r.cluster.clusterArn } };

  // ECS: task definitions (no resource-level permissions), tagged at registration; services by name.
  allow(['ecs:RegisterTaskDefinition', 'ecs:DeregisterTaskDefinition', 'ecs:DescribeTaskDefinition', 'ecs:ListTaskDefinitions'], ['*']);
  const taskDefinitions = arn('ecs', 'task-definition', `${NAMES.environmentPrefix}*:*`);
  // Tags are written at registration and read back with DescribeTaskDefinition/DescribeServices include=TAGS.
  allow(['ecs:TagResource', 'ecs:ListTagsForResource'], [taskDefinitions]);
  const services = environmentServicesArn(scope);
  allow(
    ['ecs:CreateService', 'ecs:UpdateService', 'ecs:DeleteService', 'ecs:DescribeServices', 'ecs:TagResource', 'ecs:ListTagsForResource'],
    [services],
  );
  allow(['ecs:ListServices', 'ecs:ListTasks'], ['*'], inCluster);
  // GET /healthz (the ALB health check) proves AWS answers with ListClusters.
  allow(['ecs:ListClusters'], ['*']);
  const tasks = arn('ecs', 'task', `${NAMES.cluster}/*`);
  allow(['ecs:DescribeTasks'], [tasks]);
  allow(['ecs:DescribeClusters'], [r.cluster.clusterArn]);
  allow(['iam:PassRole'], r.environmentRoles.map((x) => x.roleArn), { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } });

  // ALB: target groups eb-*, rules on the shared listener only.
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
  allow(['elasticloadbalancing:DeleteRule', 'elasticloadbalancing:ModifyRule', 'elasticloadbalancing:SetRulePriorities'], [rules]);
  allow(
    [
      'elasticloadbalancing:DescribeLoadBalancers',
      'elasticloadbalancing:DescribeListeners',
      'elasticloadbalancing:DescribeRules',
      'elasticloadbalancing:DescribeTargetGroups',
      'elasticloadbalancing:DescribeTargetGroupAttributes',
      'elasticloadbalancing:DescribeTargetHealth',
      'elasticloadbalancing:DescribeTags',
    ],
    ['*'],
  );

  // Parameter Store: the /envbot tree only (the path itself for GetParametersByPath).
  const ssmPath = NAMES.ssmPrefix.slice(1);
  const parameters = arn('ssm', 'parameter', `${ssmPath}/*`);
  allow(
    [
      'ssm:GetParameter',
      'ssm:GetParameters',
      'ssm:GetParametersByPath',
      'ssm:PutParameter',
      'ssm:DeleteParameter',
      'ssm:DeleteParameters',
      'ssm:AddTagsToResource',
      'ssm:ListTagsForResource',
    ],
    [arn('ssm', 'parameter', ssmPath), parameters],
  );
  allow(['ssm:DescribeParameters'], ['*']);
  if (r.config.ssmKmsKeyArn) {
    allow(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'], [r.config.ssmKmsKeyArn], {
      StringEquals: { 'kms:ViaService': `ssm.${Stack.of(scope).region}.amazonaws.com` },
    });
  }

  // Scheduler: schedules of the envbot group, run as the schedules role.
  const schedules = arn('scheduler', 'schedule', `${NAMES.scheduleGroup}/*`);
  allow(['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule', 'scheduler:GetSchedule'], [schedules]);
  allow(['scheduler:ListSchedules'], ['*']);
  allow(['scheduler:GetScheduleGroup'], [r.scheduleGroup.scheduleGroupArn]);
  allow(['iam:PassRole'], [r.schedulerRole.roleArn], { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } });

  // Builds, images, state, events, logs.
  allow(['codebuild:StartBuild', 'codebuild:StopBuild', 'codebuild:BatchGetBuilds', 'codebuild:ListBuildsForProject'], [r.buildProject.projectArn]);
  if (r.protectedBuildRole) {
    allow(['iam:PassRole'], [r.protectedBuildRole.roleArn], { StringEquals: { 'iam:PassedToService': 'codebuild.amazonaws.com' } });
  }
  // PutImage/BatchDeleteImage move the deployed-<env> tags; no layer uploads are allowed.
  allow(
    ['ecr:DescribeRepositories', 'ecr:DescribeImages', 'ecr:ListImages', 'ecr:BatchGetImage', 'ecr:PutImage', 'ecr:BatchDeleteImage'],
    [r.repository.repositoryArn],
  );
  r.table.grantReadWriteData(role);
  r.queue.grantConsumeMessages(role);
  r.scheduleFailures.grantConsumeMessages(role);
  for (const group of r.readableLogGroups) group.grantRead(role);
  allow(['tag:GetResources'], ['*']);

  const because = (reason: string, resource: string) => suppress(role, reason, wildcardResource(scope, resource));
  because('Environment services: the wildcard is the environment name (envbot-<env> in the envbot cluster).', services);
  because('Environment task definitions: family envbot-<env>, any revision (tagged when registered).', taskDefinitions);
  because('DescribeTasks (read-only) for tasks of the envbot cluster.', tasks);
  because('Environment target groups eb-<env>; the trailing id is assigned by AWS.', targetGroups);
  because('Host rules of the shared listener only; rule ids are assigned by AWS.', rules);
  because('The /envbot parameter tree: base, profile and environment config layers.', parameters);
  because('Schedules of the envbot schedule group only (nightly stop, morning start).', schedules);
  suppress(
    role,
    'Only actions AWS does not scope to resources: ecs Register/Deregister/Describe/ListTaskDefinitions, ecs ListServices/ListTasks ' +
      '(limited to the envbot cluster by the ecs:cluster condition), ecs:ListClusters (health check), elasticloadbalancing Describe*, ssm:DescribeParameters, ' +
      'scheduler:ListSchedules, tag:GetResources. The test/infra suites fail on any other action granted on * (support/iam-allow-list.ts).',
    ANY_RESOURCE,
  );
}

/** `…:listener-rule/app/<alb>/<id>/<listener-id>/*`: the rules of the shared listener, from its ARN. */
function listenerRulesArn(listenerArn: string): string {
  const parts = Fn.split(':listener/', listenerArn);
  return Fn.join('', [Fn.select(0, parts), ':listener-rule/', Fn.select(1, parts), '/*']);
}
