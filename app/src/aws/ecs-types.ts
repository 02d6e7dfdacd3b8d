import type { Tag } from '../environments/tags.js';

/**
 * envbot's own ECS shapes: what the reconciler reads from a service and what it asks ECS to
 * register. The ECS adapter (ecs.ts) maps the SDK's shapes to and from these, so no module above
 * aws/ names an SDK type. Fields are optional where ECS may leave them out, as the API does.
 */

/** One capacity provider strategy item; ECS echoes `weight` and `base` as 0 when not given. */
export interface CapacityItem {
  capacityProvider: string;
  weight?: number;
  base?: number;
}

export interface ServiceLoadBalancer {
  targetGroupArn?: string;
  containerName?: string;
  containerPort?: number;
}

export interface ServiceDeployment {
  /** PRIMARY, ACTIVE or INACTIVE. */
  status?: string;
  /** IN_PROGRESS, COMPLETED or FAILED. */
  rolloutState?: string;
  rolloutStateReason?: string;
}

/** A service as DescribeServices, CreateService or UpdateService report it. */
export interface ServiceState {
  name: string;
  arn?: string;
  /** ACTIVE, DRAINING or INACTIVE. */
  status?: string;
  desiredCount?: number;
  runningCount?: number;
  pendingCount?: number;
  taskDefinition?: string;
  healthCheckGracePeriodSeconds?: number;
  capacity?: CapacityItem[];
  loadBalancers?: ServiceLoadBalancer[];
  deployments?: ServiceDeployment[];
  tags?: Tag[];
}

/** The one container of an environment's task. */
export interface ContainerSpec {
  name: string;
  image: string;
  essential: boolean;
  portMappings: { containerPort: number; protocol: 'tcp' }[];
  environment: { name: string; value: string }[];
  secrets: { name: string; valueFrom: string }[];
  stopTimeout: number;
  logConfiguration: { logDriver: 'awslogs'; options: Record<string, string> };
}

/** What the reconciler asks ECS to register (RegisterTaskDefinition's input, only what envbot sets). */
export interface TaskDefinitionSpec {
  family: string;
  networkMode: 'awsvpc';
  requiresCompatibilities: 'FARGATE'[];
  cpu: string;
  memory: string;
  runtimePlatform: { operatingSystemFamily: 'LINUX'; cpuArchitecture: 'X86_64' };
  executionRoleArn?: string;
  taskRoleArn?: string;
  containerDefinitions: ContainerSpec[];
  tags?: Tag[];
}

/** The latest ACTIVE revision of a family and its tags (the fingerprint is one of them). */
export interface RegisteredTaskDefinition {
  arn: string;
  tags: Tag[];
}
