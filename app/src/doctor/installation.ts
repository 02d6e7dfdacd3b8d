import type { Config } from '../config.js';

/** The names and ARNs of one installation that the bot's IAM needs are written against. */
export interface Installation {
  region: string;
  account: string;
  cluster: string;
  listenerArn?: string;
  ssmPrefix: string;
  scheduleGroup: string;
  repository: string;
  project: string;
  buildLogGroup: string;
  table: string;
  eventsQueueArn?: string;
  executionRoleArn?: string;
  taskRoleArn?: string;
  schedulerRoleArn?: string;
  /** The role protected-branch builds run with (StartBuild serviceRoleOverride needs iam:PassRole on it). */
  protectedBuildRoleArn?: string;
}

/** CodeBuild's log group as the CDK stack names it (infra/lib/names.ts buildsLogGroup). */
export const BUILD_LOG_GROUP = '/envbot/builds';

export function installationOf(config: Config, account: string): Installation {
  return {
    region: config.aws.region,
    account,
    cluster: config.cluster,
    ...(config.listenerArn && { listenerArn: config.listenerArn }),
    ssmPrefix: config.ssmPrefix,
    scheduleGroup: config.scheduleGroup,
    repository: config.ecrRepository,
    project: config.codebuildProject,
    buildLogGroup: BUILD_LOG_GROUP,
    table: config.table,
    ...(config.eventsQueueUrl && { eventsQueueArn: queueArnOf(config.eventsQueueUrl, config.aws.region) }),
    ...(config.executionRoleArn && { executionRoleArn: config.executionRoleArn }),
    ...(config.taskRoleArn && { taskRoleArn: config.taskRoleArn }),
    ...(config.schedulerRoleArn && { schedulerRoleArn: config.schedulerRoleArn }),
    ...(config.builds.protectedRoleArn && { protectedBuildRoleArn: config.builds.protectedRoleArn }),
  };
}

/** `https://sqs.<region>.amazonaws.com/<account>/<name>` → `arn:aws:sqs:<region>:<account>:<name>`. */
export function queueArnOf(queueUrl: string, region: string): string {
  const [account, name] = new URL(queueUrl).pathname.split('/').filter(Boolean);
  return `arn:aws:sqs:${region}:${account}:${name}`;
}

/** A name envbot picks at run time, put where an ARN template has `*`. */
export const PROBE = 'doctor-probe';

/**
 * Fills an ARN template from aws-operations.ts. Returns undefined when the installation lacks a
 * value it needs (the check then says which setting is missing).
 */
export function resolveArn(template: string, inst: Installation): string | undefined {
  if (template === '*') return '*';
  const values: Record<string, string | undefined> = {
    region: inst.region,
    account: inst.account,
    cluster: inst.cluster,
    listener: inst.listenerArn,
    listenerRule: inst.listenerArn && `${inst.listenerArn.replace(':listener/', ':listener-rule/')}/0123456789abcdef`,
    ssmPath: inst.ssmPrefix.replace(/^\//, ''),
    scheduleGroup: inst.scheduleGroup,
    repository: inst.repository,
    project: inst.project,
    buildLogGroup: inst.buildLogGroup,
    table: inst.table,
    eventsQueue: inst.eventsQueueArn,
    executionRole: inst.executionRoleArn,
    taskRole: inst.taskRoleArn,
    schedulerRole: inst.schedulerRoleArn,
    protectedBuildRole: inst.protectedBuildRoleArn,
  };
  let missing = false;
  const filled = template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const v = values[key];
    if (v === undefined) missing = true;
    return v ?? '';
  });
  return missing ? undefined : filled.replaceAll('*', PROBE);
}
