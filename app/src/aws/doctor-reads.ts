import { BatchGetProjectsCommand, ListSourceCredentialsCommand, type CodeBuildClient } from '@aws-sdk/client-codebuild';
import { GetLifecyclePolicyCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { DescribeClustersCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { DescribeRulesCommand, type ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetScheduleGroupCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import { GetQueueAttributesCommand, GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { GetParametersByPathCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { AwsActionError, errorName, isNotFound } from './errors.js';

/**
 * Read-only look-ups of an installation, for `envbot doctor`. Each returns envbot's own small
 * shape; "not there" is an answer (undefined), every other failure is an AwsActionError.
 */
export interface DoctorClients {
  ecs: ECSClient;
  elb: ElasticLoadBalancingV2Client;
  scheduler: SchedulerClient;
  sqs: SQSClient;
  ecr: ECRClient;
  codebuild: CodeBuildClient;
  ssm: SSMClient;
}

export interface ClusterFacts {
  status: string;
  capacityProviders: string[];
}

export interface QueueDepth {
  visible: number;
  inFlight: number;
  /** ARN of the queue's dead-letter queue, from its RedrivePolicy. */
  deadLetterArn?: string;
}

export interface BuildProjectFacts {
  sourceType: string;
  /** The source's own auth (CodeConnections / Secrets Manager) when it has one. */
  sourceAuth?: string;
}

export class InstallationReader {
  constructor(private readonly c: DoctorClients) {}

  async cluster(name: string): Promise<ClusterFacts | undefined> {
    const out = await this.call(`describing cluster ${name}`, () => this.c.ecs.send(new DescribeClustersCommand({ clusters: [name] })));
    const cluster = out.clusters?.[0];
    if (!cluster || cluster.status === 'INACTIVE') return undefined;
    return { status: cluster.status ?? 'UNKNOWN', capacityProviders: cluster.capacityProviders ?? [] };
  }

  /** Non-default rules on the listener (the ones the 100-rule quota counts). */
  async listenerRuleCount(listenerArn: string): Promise<number> {
    let count = 0;
    let marker: string | undefined;
    do {
      const page = await this.call('listing the listener rules', () =>
        this.c.elb.send(new DescribeRulesCommand({ ListenerArn: listenerArn, PageSize: 400, ...(marker && { Marker: marker }) })),
      );
      count += (page.Rules ?? []).filter((r) => !r.IsDefault).length;
      marker = page.NextMarker;
    } while (marker);
    return count;
  }

  async scheduleGroupState(name: string): Promise<string | undefined> {
    try {
      return (await this.c.scheduler.send(new GetScheduleGroupCommand({ Name: name }))).State ?? 'UNKNOWN';
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw new AwsActionError(`reading schedule group ${name}`, err);
    }
  }

  async queueDepth(queueUrl: string): Promise<QueueDepth | undefined> {
    try {
      const out = await this.c.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'RedrivePolicy'],
        }),
      );
      const a = out.Attributes ?? {};
      const redrive = a.RedrivePolicy ? (JSON.parse(a.RedrivePolicy) as { deadLetterTargetArn?: string }) : {};
      return {
        visible: Number(a.ApproximateNumberOfMessages ?? 0),
        inFlight: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0),
        ...(redrive.deadLetterTargetArn && { deadLetterArn: redrive.deadLetterTargetArn }),
      };
    } catch (err) {
      if (/NonExistentQueue|QueueDoesNotExist/.test(errorName(err))) return undefined;
      throw new AwsActionError(`reading queue ${queueUrl}`, err);
    }
  }

  /** URL of a queue named by ARN (`arn:aws:sqs:<region>:<account>:<name>`). */
  async queueUrlOf(queueArn: string): Promise<string | undefined> {
    const [, , , , account, name] = queueArn.split(':');
    try {
      return (await this.c.sqs.send(new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account }))).QueueUrl;
    } catch (err) {
      if (/NonExistentQueue|QueueDoesNotExist/.test(errorName(err))) return undefined;
      throw new AwsActionError(`finding queue ${queueArn}`, err);
    }
  }

  /** The repository's lifecycle policy text, or undefined when it has none. */
  async lifecyclePolicy(repositoryName: string): Promise<string | undefined> {
    try {
      return (await this.c.ecr.send(new GetLifecyclePolicyCommand({ repositoryName }))).lifecyclePolicyText;
    } catch (err) {
      if (isNotFound(err) || errorName(err) === 'LifecyclePolicyNotFoundException') return undefined;
      throw new AwsActionError(`reading the lifecycle policy of ${repositoryName}`, err);
    }
  }

  async buildProject(name: string): Promise<BuildProjectFacts | undefined> {
    const out = await this.call(`reading CodeBuild project ${name}`, () => this.c.codebuild.send(new BatchGetProjectsCommand({ names: [name] })));
    const project = out.projects?.[0];
    if (!project) return undefined;
    return { sourceType: project.source?.type ?? 'UNKNOWN', ...(project.source?.auth?.type && { sourceAuth: project.source.auth.type }) };
  }

  /** Server types (GITHUB, …) that have account-level source credentials in this region. */
  async sourceCredentialServers(): Promise<string[]> {
    const out = await this.call('listing CodeBuild source credentials', () => this.c.codebuild.send(new ListSourceCredentialsCommand({})));
    return (out.sourceCredentialsInfos ?? []).map((i) => i.serverType ?? '').filter(Boolean);
  }

  /** How many parameters sit directly under `path` on the first page (reading proves access). */
  async parameterCount(path: string): Promise<number> {
    const out = await this.call(`reading Parameter Store ${path}`, () =>
      this.c.ssm.send(new GetParametersByPathCommand({ Path: path, Recursive: true, MaxResults: 10 })),
    );
    return out.Parameters?.length ?? 0;
  }

  private async call<T>(action: string, f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (err) {
      throw new AwsActionError(action, err);
    }
  }
}
