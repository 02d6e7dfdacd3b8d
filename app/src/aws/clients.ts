import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { IAMClient } from '@aws-sdk/client-iam';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';

/** The cheapest call that proves ECS answers with these credentials (the health check's AWS probe). */
export async function pingAws(clients: Pick<AwsClients, 'ecs'>): Promise<void> {
  await clients.ecs.send(new ListClustersCommand({ maxResults: 1 }));
}

export interface ClientOptions {
  region: string;
  /** Emulator or VPC endpoint; unset in a real account. */
  endpoint?: string;
  /** Dummy credentials for the emulator; unset means the SDK's default chain (task role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** SDK retry budget (attempts per call, with exponential backoff and jitter). */
  maxAttempts?: number;
  /** `standard` (default) or `adaptive` (adds client-side rate limiting after throttles). */
  retryMode?: 'standard' | 'adaptive';
  /** Hook for benchmarks that add latency or throttling to every call (middleware). */
  decorate?: <C extends { middlewareStack: unknown }>(client: C) => C;
}

/** One SDK v3 client per service, created once and shared by the adapters. */
export interface AwsClients {
  ecs: ECSClient;
  elb: ElasticLoadBalancingV2Client;
  ssm: SSMClient;
  scheduler: SchedulerClient;
  ecr: ECRClient;
  codebuild: CodeBuildClient;
  dynamo: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  sqs: SQSClient;
  ec2: EC2Client;
  logs: CloudWatchLogsClient;
  /** ALB request counts for idle sleep (GetMetricData). */
  cw: CloudWatchClient;
  tagging: ResourceGroupsTaggingAPIClient;
}

export function createClients(opts: ClientOptions): AwsClients {
  const base = {
    region: opts.region,
    ...(opts.endpoint && { endpoint: opts.endpoint }),
    ...(opts.credentials && { credentials: opts.credentials }),
    retryMode: opts.retryMode ?? 'standard',
    maxAttempts: opts.maxAttempts ?? 6,
    // The SDK's default pool of 50 sockets queues a burst of webhook dedupe writes behind background work.
    requestHandler: { httpAgent: { maxSockets: 256, keepAlive: true }, httpsAgent: { maxSockets: 256, keepAlive: true } },
  };
  const d = opts.decorate ?? (<C>(c: C) => c);
  const dynamo = d(new DynamoDBClient(base));
  return {
    ecs: d(new ECSClient(base)),
    elb: d(new ElasticLoadBalancingV2Client(base)),
    ssm: d(new SSMClient(base)),
    scheduler: d(new SchedulerClient(base)),
    ecr: d(new ECRClient(base)),
    codebuild: d(new CodeBuildClient(base)),
    dynamo,
    doc: DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }),
    sqs: d(new SQSClient(base)),
    ec2: d(new EC2Client(base)),
    logs: d(new CloudWatchLogsClient(base)),
    cw: d(new CloudWatchClient(base)),
    tagging: d(new ResourceGroupsTaggingAPIClient(base)),
  };
}

/** IAM and STS, for `envbot doctor` and the live smoke test only (the bot itself never calls them). */
export function createIdentityClients(opts: ClientOptions): { iam: IAMClient; sts: STSClient } {
  const base = {
    region: opts.region,
    ...(opts.endpoint && { endpoint: opts.endpoint }),
    ...(opts.credentials && { credentials: opts.credentials }),
    maxAttempts: opts.maxAttempts ?? 6,
  };
  return { iam: new IAMClient(base), sts: new STSClient(base) };
}

export function destroyClients(clients: AwsClients): void {
  for (const client of Object.values(clients)) (client as { destroy(): void }).destroy();
}

/** Credentials the emulator accepts; never used against a real endpoint. */
export const EMULATOR_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
