/**
 * An ECS "Task State Change" event (EventBridge → SQS), reduced to what envbot uses.
 * Raw shape: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_task_events.html
 */
export interface TaskEvent {
  /** EventBridge event id: the idempotency key when SQS redelivers. */
  id: string;
  /** Event time (ISO). */
  at: string;
  taskArn: string;
  clusterArn: string;
  /** Environment name, from the task's group `service:envbot-<name>`; undefined for foreign tasks. */
  env?: string;
  lastStatus: string;
  desiredStatus: string;
  /** e.g. `SpotInterruption`, `ServiceSchedulerInitiated`, `TaskFailedToStart`, `UserInitiated`. */
  stopCode?: string;
  stoppedReason?: string;
  capacityProvider?: 'FARGATE' | 'FARGATE_SPOT';
  /** Task size in CPU units (1024 = 1 vCPU) and MiB. */
  cpu: number;
  memory: number;
  startedAt?: string;
  stoppedAt?: string;
}

export const SERVICE_NAME_PREFIX = 'envbot-';

export function serviceNameFor(env: string): string {
  return `${SERVICE_NAME_PREFIX}${env}`;
}

export function envFromServiceName(serviceName: string): string | undefined {
  return serviceName.startsWith(SERVICE_NAME_PREFIX) ? serviceName.slice(SERVICE_NAME_PREFIX.length) : undefined;
}
