import { createHash } from 'node:crypto';
import {
  CreateServiceCommand,
  DeleteServiceCommand,
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ListServicesCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type CreateServiceCommandInput,
  type ECSClient,
  type RegisterTaskDefinitionCommandInput,
  type Service,
} from '@aws-sdk/client-ecs';
import type { Tag } from '../environments/tags.js';
import { AwsActionError, isNotFound } from './errors.js';
import type { CapacityItem, RegisteredTaskDefinition, ServiceState, TaskDefinitionSpec } from './ecs-types.js';

const ecsTags = (tags: Tag[]) => tags.map((t) => ({ key: t.key, value: t.value }));
const fromEcsTags = (tags: { key?: string | undefined; value?: string | undefined }[] | undefined): Tag[] =>
  (tags ?? []).filter((t) => t.key !== undefined).map((t) => ({ key: t.key!, value: t.value ?? '' }));

export interface ServiceSpec {
  name: string;
  taskDefinitionArn: string;
  desiredCount: number;
  capacity: CapacityItem[];
  subnets: string[];
  securityGroups: string[];
  assignPublicIp: boolean;
  targetGroupArn: string;
  containerName: string;
  containerPort: number;
  /** How long ECS ignores failing load balancer health checks of a new task (slow starters). */
  healthCheckGracePeriodSeconds: number;
  tags: Tag[];
}

export interface ServiceChange {
  taskDefinitionArn?: string;
  desiredCount?: number;
  capacity?: CapacityItem[];
  /** A new target group or port; ECS starts tasks registered with it, then stops the old ones. */
  loadBalancer?: { targetGroupArn: string; containerName: string; containerPort: number };
  healthCheckGracePeriodSeconds?: number;
}

/** ECS adapter: task definitions and services in the shared cluster. */
export class EcsServices {
  constructor(
    private readonly ecs: ECSClient,
    readonly cluster: string,
  ) {}

  /** The latest ACTIVE revision of a family with its tags (one call), or undefined. */
  async latestTaskDefinition(family: string): Promise<RegisteredTaskDefinition | undefined> {
    try {
      const out = await this.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: family, include: ['TAGS'] }));
      const definition = out.taskDefinition;
      return definition?.status === 'ACTIVE' ? { arn: definition.taskDefinitionArn!, tags: fromEcsTags(out.tags) } : undefined;
    } catch (err) {
      // ECS answers a missing family with ClientException "Unable to describe task definition".
      const missing = (err as Error).name === 'ClientException' && /unable to describe|does not exist|not found/i.test((err as Error).message);
      if (isNotFound(err) || missing) return undefined;
      throw new AwsActionError(`reading task definition ${family}`, err);
    }
  }

  async registerTaskDefinition(spec: TaskDefinitionSpec): Promise<string> {
    // envbot's spec is a subset of the API's input with the same field names.
    const input: RegisterTaskDefinitionCommandInput = spec;
    try {
      const out = await this.ecs.send(new RegisterTaskDefinitionCommand(input));
      return out.taskDefinition!.taskDefinitionArn!;
    } catch (err) {
      throw new AwsActionError(`registering task definition ${input.family}`, err);
    }
  }

  /** Deregisters every ACTIVE revision of a family; returns how many. */
  async deregisterFamily(family: string): Promise<number> {
    const arns: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: family, status: 'ACTIVE', nextToken: token }));
      // familyPrefix matches `envbot-a` for `envbot-ab` too: keep exact family matches only.
      arns.push(...(page.taskDefinitionArns ?? []).filter((arn) => arn.split('/').pop()!.replace(/:\d+$/, '') === family));
      token = page.nextToken;
    } while (token);
    for (const arn of arns) {
      try {
        await this.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn }));
      } catch (err) {
        if (!isNotFound(err)) throw new AwsActionError(`deregistering ${arn}`, err);
      }
    }
    return arns.length;
  }

  /**
   * The service if it is ACTIVE. A deleted service stays DRAINING until its tasks stop, then
   * INACTIVE (DeleteService API reference); neither can be updated, so both count as "not there".
   */
  async describeService(name: string): Promise<ServiceState | undefined> {
    const svc = await this.serviceInAnyState(name);
    return svc?.status === 'ACTIVE' ? svc : undefined;
  }

  /** The service as ECS reports it, DRAINING and INACTIVE included. */
  async serviceInAnyState(name: string): Promise<ServiceState | undefined> {
    const out = await this.ecs.send(new DescribeServicesCommand({ cluster: this.cluster, services: [name], include: ['TAGS'] }));
    const svc = out.services?.[0];
    return svc && toServiceState(svc);
  }

  /** Batched at 10 per call (the API's limit). */
  async describeServices(names: string[]): Promise<ServiceState[]> {
    const out: ServiceState[] = [];
    for (let i = 0; i < names.length; i += 10) {
      const page = await this.ecs.send(
        new DescribeServicesCommand({ cluster: this.cluster, services: names.slice(i, i + 10), include: ['TAGS'] }),
      );
      out.push(...(page.services ?? []).filter((s) => s.status === 'ACTIVE').map(toServiceState));
    }
    return out;
  }

  async listServiceNames(): Promise<string[]> {
    const names = new Set<string>();
    const seen = new Set<string>();
    let token: string | undefined;
    do {
      const page = await this.ecs.send(new ListServicesCommand({ cluster: this.cluster, nextToken: token, maxResults: 100 }));
      for (const arn of page.serviceArns ?? []) names.add(arn.split('/').pop()!);
      // Follow nextToken to the end (a page may be empty); a token seen before (an emulator that
      // ignores paging) would loop forever.
      token = page.nextToken && !seen.has(page.nextToken) ? page.nextToken : undefined;
      if (token) seen.add(token);
    } while (token);
    return [...names];
  }

  async createService(spec: ServiceSpec): Promise<ServiceState> {
    const request = {
      cluster: this.cluster,
      serviceName: spec.name,
      taskDefinition: spec.taskDefinitionArn,
      desiredCount: spec.desiredCount,
      capacityProviderStrategy: spec.capacity,
      networkConfiguration: {
        awsvpcConfiguration: {
          subnets: spec.subnets,
          securityGroups: spec.securityGroups,
          assignPublicIp: spec.assignPublicIp ? 'ENABLED' : 'DISABLED',
        },
      },
      loadBalancers: [{ targetGroupArn: spec.targetGroupArn, containerName: spec.containerName, containerPort: spec.containerPort }],
      healthCheckGracePeriodSeconds: spec.healthCheckGracePeriodSeconds,
      deploymentConfiguration: { minimumHealthyPercent: 0, maximumPercent: 200, deploymentCircuitBreaker: { enable: true, rollback: true } },
      propagateTags: 'SERVICE',
      enableECSManagedTags: true,
      tags: ecsTags(spec.tags),
    } satisfies CreateServiceCommandInput;
    try {
      // Same request, same token: a retry after a crash is not a duplicate. A different request
      // (new task definition, port, …) gets its own token, as AWS requires.
      const out = await this.ecs.send(new CreateServiceCommand({ ...request, clientToken: clientTokenFor(request) }));
      return toServiceState(out.service!);
    } catch (err) {
      throw new AwsActionError(`creating service ${spec.name}`, err);
    }
  }

  async updateService(name: string, change: ServiceChange): Promise<ServiceState> {
    try {
      const out = await this.ecs.send(
        new UpdateServiceCommand({
          cluster: this.cluster,
          service: name,
          ...(change.taskDefinitionArn && { taskDefinition: change.taskDefinitionArn }),
          ...(change.desiredCount !== undefined && { desiredCount: change.desiredCount }),
          ...(change.loadBalancer && { loadBalancers: [change.loadBalancer] }),
          ...(change.healthCheckGracePeriodSeconds !== undefined && { healthCheckGracePeriodSeconds: change.healthCheckGracePeriodSeconds }),
          // Changing the strategy needs a new deployment to move running tasks.
          ...(change.capacity && { capacityProviderStrategy: change.capacity, forceNewDeployment: true }),
        }),
      );
      return toServiceState(out.service!);
    } catch (err) {
      throw new AwsActionError(`updating service ${name}`, err);
    }
  }

  /** Deletes the service (force: no need to scale to 0 first). Not found = done. */
  async deleteService(name: string): Promise<void> {
    try {
      await this.ecs.send(new DeleteServiceCommand({ cluster: this.cluster, service: name, force: true }));
    } catch (err) {
      if (isNotFound(err) || (err as Error).name === 'ServiceNotActiveException') return;
      throw new AwsActionError(`deleting service ${name}`, err);
    }
  }
}

/** The fields of an ECS service envbot reads, in its own shape. */
function toServiceState(s: Service): ServiceState {
  return {
    name: s.serviceName ?? '',
    ...(s.serviceArn !== undefined && { arn: s.serviceArn }),
    ...(s.status !== undefined && { status: s.status }),
    ...(s.desiredCount !== undefined && { desiredCount: s.desiredCount }),
    ...(s.runningCount !== undefined && { runningCount: s.runningCount }),
    ...(s.pendingCount !== undefined && { pendingCount: s.pendingCount }),
    ...(s.taskDefinition !== undefined && { taskDefinition: s.taskDefinition }),
    ...(s.healthCheckGracePeriodSeconds !== undefined && { healthCheckGracePeriodSeconds: s.healthCheckGracePeriodSeconds }),
    ...(s.capacityProviderStrategy && {
      capacity: s.capacityProviderStrategy.map((i) => ({
        capacityProvider: i.capacityProvider ?? '',
        ...(i.weight !== undefined && { weight: i.weight }),
        ...(i.base !== undefined && { base: i.base }),
      })),
    }),
    ...(s.loadBalancers && {
      loadBalancers: s.loadBalancers.map((lb) => ({
        ...(lb.targetGroupArn !== undefined && { targetGroupArn: lb.targetGroupArn }),
        ...(lb.containerName !== undefined && { containerName: lb.containerName }),
        ...(lb.containerPort !== undefined && { containerPort: lb.containerPort }),
      })),
    }),
    ...(s.deployments && {
      deployments: s.deployments.map((d) => ({
        ...(d.status !== undefined && { status: d.status }),
        ...(d.rolloutState !== undefined && { rolloutState: d.rolloutState }),
        ...(d.rolloutStateReason !== undefined && { rolloutStateReason: d.rolloutStateReason }),
      })),
    }),
    ...(s.tags && { tags: fromEcsTags(s.tags) }),
  };
}

/** CreateService's clientToken: up to 36 ASCII characters, unique per distinct request. */
export function clientTokenFor(request: CreateServiceCommandInput): string {
  return createHash('sha256').update(JSON.stringify(request)).digest('hex').slice(0, 32);
}

/** UpdateService on a service that is DRAINING or INACTIVE (deleted meanwhile): not a failure, try again. */
export function isServiceNotActive(err: unknown): boolean {
  return (err as { code?: string }).code === 'ServiceNotActiveException' || (err as Error).name === 'ServiceNotActiveException';
}
