import { CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateSecurityGroupCommand, DescribeSecurityGroupsCommand, DescribeSubnetsCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { CreateRepositoryCommand, DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import { CreateClusterCommand, DescribeClustersCommand } from '@aws-sdk/client-ecs';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateScheduleGroupCommand } from '@aws-sdk/client-scheduler';
import { CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { AwsClients } from '../aws/clients.js';
import { isNotFound } from '../aws/errors.js';
import { ensureTable } from '../aws/store.js';

/** What the CDK stack provides in a real account; local mode and tests create it in the emulator. */
export interface SharedInfra {
  cluster: string;
  vpcId: string;
  subnets: string[];
  securityGroups: string[];
  loadBalancerArn: string;
  loadBalancerDns: string;
  listenerArn: string;
  repositoryUri: string;
  table: string;
  scheduleGroup: string;
  logGroup: string;
  /** The schedules' dead-letter queue (in AWS: the CDK stack's). */
  scheduleFailuresQueueUrl: string;
  scheduleFailuresQueueArn: string;
}

export interface SharedInfraNames {
  prefix: string;
}

/** Idempotent: run it at every local start; it reuses what exists. */
export async function ensureSharedInfra(clients: AwsClients, { prefix }: SharedInfraNames): Promise<SharedInfra> {
  const [network, repositoryUri] = await Promise.all([ensureNetwork(clients, prefix), ensureRepository(clients, `${prefix}-apps`)]);
  const table = prefix;
  const logGroup = `/${prefix}/environments`;
  const [lb, failures] = await Promise.all([
    ensureLoadBalancer(clients, `${prefix}-alb`, network.subnets, network.securityGroups),
    ensureQueue(clients, `${prefix}-schedule-failures`),
    ensureCluster(clients, prefix),
    ensureTable(clients.dynamo, table),
    ensureScheduleGroup(clients, prefix),
    ensureLogGroup(clients, logGroup),
  ]);
  return {
    cluster: prefix,
    ...network,
    ...lb,
    repositoryUri,
    table,
    scheduleGroup: prefix,
    logGroup,
    scheduleFailuresQueueUrl: failures.url,
    scheduleFailuresQueueArn: failures.arn,
  };
}

async function ensureNetwork(clients: AwsClients, prefix: string) {
  const vpcs = await clients.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }));
  const vpcId = vpcs.Vpcs?.[0]?.VpcId;
  if (!vpcId) throw new Error('setting up the local network: the emulator has no default VPC');
  const subnets = await clients.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }));
  const subnetIds = (subnets.Subnets ?? []).map((s) => s.SubnetId!).sort().slice(0, 2);
  const groupName = `${prefix}-tasks`;
  const existing = await clients.ec2.send(
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: [groupName] }, { Name: 'vpc-id', Values: [vpcId] }] }),
  );
  const sg =
    existing.SecurityGroups?.[0]?.GroupId ??
    (await clients.ec2.send(new CreateSecurityGroupCommand({ GroupName: groupName, Description: 'envbot tasks', VpcId: vpcId }))).GroupId!;
  return { vpcId, subnets: subnetIds, securityGroups: [sg] };
}

async function ensureRepository(clients: AwsClients, name: string): Promise<string> {
  try {
    const out = await clients.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }));
    return out.repositories![0]!.repositoryUri!;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  const out = await clients.ecr.send(new CreateRepositoryCommand({ repositoryName: name, imageTagMutability: 'IMMUTABLE' }));
  return out.repository!.repositoryUri!;
}

async function ensureCluster(clients: AwsClients, name: string): Promise<void> {
  const out = await clients.ecs.send(new DescribeClustersCommand({ clusters: [name] }));
  if (out.clusters?.some((c) => c.status === 'ACTIVE')) return;
  await clients.ecs.send(
    new CreateClusterCommand({
      clusterName: name,
      capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
      defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
    }),
  );
}

async function ensureLoadBalancer(clients: AwsClients, name: string, subnets: string[], securityGroups: string[]) {
  let lb;
  try {
    lb = (await clients.elb.send(new DescribeLoadBalancersCommand({ Names: [name] }))).LoadBalancers?.[0];
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  lb ??= (
    await clients.elb.send(new CreateLoadBalancerCommand({ Name: name, Subnets: subnets, SecurityGroups: securityGroups, Type: 'application' }))
  ).LoadBalancers![0]!;
  const listeners = await clients.elb.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }));
  // Locally there is no certificate: an HTTP listener stands in for the HTTPS one.
  const listener =
    listeners.Listeners?.[0] ??
    (
      await clients.elb.send(
        new CreateListenerCommand({
          LoadBalancerArn: lb.LoadBalancerArn,
          Protocol: 'HTTP',
          Port: 80,
          DefaultActions: [
            { Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain', MessageBody: 'No envbot environment here.' } },
          ],
        }),
      )
    ).Listeners![0]!;
  return { loadBalancerArn: lb.LoadBalancerArn!, loadBalancerDns: lb.DNSName!, listenerArn: listener.ListenerArn! };
}

async function ensureScheduleGroup(clients: AwsClients, name: string): Promise<void> {
  try {
    await clients.scheduler.send(new CreateScheduleGroupCommand({ Name: name }));
  } catch (err) {
    if ((err as { name?: string }).name !== 'ConflictException') throw err;
  }
}

/** CreateQueue returns the existing queue when the attributes match, so it is idempotent. */
async function ensureQueue(clients: AwsClients, name: string): Promise<{ url: string; arn: string }> {
  const url = (await clients.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { MessageRetentionPeriod: '1209600' } }))).QueueUrl!;
  const attributes = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return { url, arn: attributes.Attributes!.QueueArn! };
}

async function ensureLogGroup(clients: AwsClients, name: string): Promise<void> {
  try {
    await clients.logs.send(new CreateLogGroupCommand({ logGroupName: name }));
  } catch (err) {
    if ((err as { name?: string }).name !== 'ResourceAlreadyExistsException') throw err;
  }
}
