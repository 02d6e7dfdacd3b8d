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

/**
 * An ECS "Service Action" event (EventBridge → SQS), reduced to what envbot uses. The one that
 * matters is SERVICE_TASK_PLACEMENT_FAILURE: ECS could not place a task at all (e.g. no Fargate
 * Spot capacity), so no task — and no task event — exists.
 * Raw shape: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_events.html
 */
export interface ServiceActionEvent {
  kind: 'service-action';
  id: string;
  at: string;
  clusterArn: string;
  /** e.g. SERVICE_TASK_PLACEMENT_FAILURE, SERVICE_STEADY_STATE. */
  eventName: string;
  serviceName?: string;
  /** Environment name, from the service name `envbot-<name>`; undefined for foreign services. */
  env?: string;
  /** e.g. `RESOURCE:FARGATE`, `RESOURCE:MEMORY`. */
  reason?: string;
  capacityProviders: string[];
}

export type EcsEvent = TaskEvent | ServiceActionEvent;

export const PLACEMENT_FAILURE = 'SERVICE_TASK_PLACEMENT_FAILURE';

export { envFromServiceName, SERVICE_NAME_PREFIX, serviceNameFor } from './resource-names.js';
