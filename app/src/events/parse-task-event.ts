import { z } from 'zod';
import { envFromServiceName, type EcsEvent, type ServiceActionEvent, type TaskEvent } from '../environments/task-event.js';

/**
 * Raw EventBridge "ECS Task State Change" and "ECS Service Action" JSON (as delivered into SQS) → EcsEvent.
 * Anything else is a poison message: PoisonMessageError says why, so whoever opens the DLQ knows.
 * Only the fields envbot uses are required; ECS adds fields over time, extra ones are ignored.
 */

export class PoisonMessageError extends Error {
  readonly code = 'POISON_MESSAGE';
}

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO timestamp');
/** ECS sends cpu/memory as strings ("256"); accept numbers too. */
const units = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform(Number);

const detailSchema = z.object({
  taskArn: z.string().startsWith('arn:'),
  clusterArn: z.string().startsWith('arn:'),
  group: z.string().optional(),
  lastStatus: z.string().min(1),
  desiredStatus: z.string().min(1),
  stopCode: z.string().optional(),
  stoppedReason: z.string().optional(),
  capacityProviderName: z.string().optional(),
  launchType: z.string().optional(),
  cpu: units,
  memory: units,
  startedAt: isoTime.optional(),
  stoppedAt: isoTime.optional(),
});

const envelopeSchema = z.object({
  id: z.string().min(1),
  'detail-type': z.string(),
  source: z.string(),
  time: isoTime,
  resources: z.array(z.string()).optional(),
  detail: z.unknown(),
});

const serviceDetailSchema = z.object({
  eventName: z.string().min(1),
  clusterArn: z.string().startsWith('arn:'),
  reason: z.string().optional(),
  capacityProviderArns: z.array(z.string()).optional(),
});

export const TASK_STATE_CHANGE = 'ECS Task State Change';
export const SERVICE_ACTION = 'ECS Service Action';

type Envelope = z.infer<typeof envelopeSchema>;

function parseEnvelope(body: string): Envelope {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (err) {
    throw new PoisonMessageError(`task event: the message body is not JSON (${(err as Error).message}): ${preview(body)}`);
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) throw new PoisonMessageError(`task event: not an EventBridge event — ${describe(envelope.error)}: ${preview(body)}`);
  return envelope.data;
}

/** Everything the events queue carries: task state changes and service action events. */
export function parseEcsEvent(body: string): EcsEvent {
  const e = parseEnvelope(body);
  if (e.source === 'aws.ecs' && e['detail-type'] === SERVICE_ACTION) return toServiceAction(e);
  return toTaskEvent(e);
}

export function parseTaskEvent(body: string): TaskEvent {
  return toTaskEvent(parseEnvelope(body));
}

function toServiceAction(e: Envelope): ServiceActionEvent {
  const detail = serviceDetailSchema.safeParse(e.detail);
  if (!detail.success) throw new PoisonMessageError(`service event ${e.id}: ${describe(detail.error)}`);
  const d = detail.data;
  // The service is named only in `resources` (arn:aws:ecs:<region>:<account>:service/<cluster>/<name>).
  const serviceArn = (e.resources ?? []).find((r) => r.includes(':service/'));
  const serviceName = serviceArn?.split('/').pop();
  const env = serviceName ? envFromServiceName(serviceName) : undefined;
  return {
    kind: 'service-action',
    id: e.id,
    at: new Date(e.time).toISOString(),
    clusterArn: d.clusterArn,
    eventName: d.eventName,
    ...(serviceName && { serviceName }),
    ...(env && { env }),
    ...(d.reason && { reason: d.reason }),
    capacityProviders: (d.capacityProviderArns ?? []).map((arn) => arn.split('/').pop()!),
  };
}

function toTaskEvent(e: Envelope): TaskEvent {
  if (e.source !== 'aws.ecs' || e['detail-type'] !== TASK_STATE_CHANGE) {
    throw new PoisonMessageError(
      `task event ${e.id}: expected source aws.ecs / "${TASK_STATE_CHANGE}" or "${SERVICE_ACTION}", got ${e.source} / "${e['detail-type']}" — check the EventBridge rule's pattern`,
    );
  }
  const detail = detailSchema.safeParse(e.detail);
  if (!detail.success) throw new PoisonMessageError(`task event ${e.id}: ${describe(detail.error)}`);
  const d = detail.data;
  const env = d.group?.startsWith('service:') ? envFromServiceName(d.group.slice('service:'.length)) : undefined;
  const capacityProvider = d.capacityProviderName === 'FARGATE' || d.capacityProviderName === 'FARGATE_SPOT' ? d.capacityProviderName : undefined;
  return {
    id: e.id,
    at: new Date(e.time).toISOString(),
    taskArn: d.taskArn,
    clusterArn: d.clusterArn,
    ...(env && { env }),
    lastStatus: d.lastStatus,
    desiredStatus: d.desiredStatus,
    ...(d.stopCode && { stopCode: d.stopCode }),
    ...(d.stoppedReason && { stoppedReason: d.stoppedReason }),
    ...(capacityProvider && { capacityProvider }),
    cpu: d.cpu,
    memory: d.memory,
    ...(d.startedAt && { startedAt: new Date(d.startedAt).toISOString() }),
    ...(d.stoppedAt && { stoppedAt: new Date(d.stoppedAt).toISOString() }),
  };
}

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

function preview(body: string): string {
  return JSON.stringify(body.length > 120 ? `${body.slice(0, 120)}…` : body);
}
