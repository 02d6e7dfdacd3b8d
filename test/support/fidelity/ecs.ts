import { createHash, randomUUID } from 'node:crypto';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  InvalidParameterException,
  ServiceNotActiveException,
  type CapacityProviderStrategyItem,
  type ECSClient,
  type LoadBalancer as EcsLoadBalancer,
  type Service,
} from '@aws-sdk/client-ecs';
import { targetGroupInUse } from './elb.js';
import type { InitializeHandlerOutput, InitializeMiddleware } from '@smithy/types';
import type { FidelityWorld, ServiceMemory } from './world.js';

/**
 * Documented ECS behaviour moto lacks (catalogue: docs/aws-behaviours.md):
 * - DeleteService leaves the service DRAINING (then INACTIVE), hidden from ListServices; UpdateService
 *   on it is ServiceNotActiveException; CreateService of the name while ACTIVE or DRAINING is
 *   "Creation of service was not idempotent" unless token and request match the original create.
 * - DescribeServices echoes the capacity provider strategy with `base` and `weight` on every item.
 * - A service's target group must be in use by a listener; its container port must be in the task definition.
 */
export function installEcsFidelity(client: ECSClient, world: FidelityWorld): void {
  const middleware: InitializeMiddleware<object, object> = (next, context) => async (args) => {
      const operation = (context.commandName ?? '').replace(/Command$/, '');
      const input = args.input as Record<string, unknown>;
      const entry = { operation, input: structuredClone(input) } as (typeof world.ecs.sent)[number];
      world.ecs.sent.push(entry);
      try {
        const handler = HANDLERS[operation];
        if (!handler) return await next(args);
        return (await handler({ client, world, input, next: () => next(args) as unknown as Promise<Out> })) as unknown as InitializeHandlerOutput<object>;
      } catch (err) {
        entry.error = (err as Error).name;
        throw err;
      }
  };
  client.middlewareStack.add(middleware as never, { step: 'initialize', name: 'ecsFidelity' });
}

type Out = { output: Record<string, unknown>; response: unknown };
interface Call {
  client: ECSClient;
  world: FidelityWorld;
  input: Record<string, unknown>;
  next: () => Promise<Out>;
}

const HANDLERS: Record<string, (c: Call) => Promise<Out>> = {
  CreateService: createService,
  UpdateService: updateService,
  DeleteService: deleteService,
  DescribeServices: describeServices,
  ListServices: listServices,
};

const short = (nameOrArn: unknown) => String(nameOrArn ?? 'default').split('/').pop()!;
const keyOf = (cluster: unknown, service: unknown) => `${short(cluster)}/${short(service)}`;
const meta = { $metadata: { httpStatusCode: 400 } };

function draining(world: FidelityWorld, m: ServiceMemory | undefined): boolean {
  return m?.deletedAt !== undefined && world.now() < m.deletedAt + world.ecs.drainMs;
}

function fingerprint(input: Record<string, unknown>): string {
  const { clientToken: _token, ...rest } = input;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex');
}

async function createService(c: Call): Promise<Out> {
  const key = keyOf(c.input.cluster, c.input.serviceName);
  const memory = c.world.ecs.services.get(key);
  const gone = memory?.deletedAt !== undefined && !draining(c.world, memory);
  if (memory && !gone) {
    const same = memory.createToken !== undefined && memory.createToken === c.input.clientToken && memory.createFingerprint === fingerprint(c.input);
    if (!same) throw new InvalidParameterException({ message: 'Creation of service was not idempotent.', ...meta });
    // An idempotent retry answers with the service as it is now (DRAINING included).
    const found = await describe(c, c.input.cluster, c.input.serviceName);
    return { output: { service: found }, response: {} };
  }
  const loadBalancers = c.input.loadBalancers as EcsLoadBalancer[] | undefined;
  await checkLoadBalancers(c, loadBalancers, String(c.input.taskDefinition));
  const out = await c.next();
  c.world.ecs.services.set(key, {
    strategy: c.input.capacityProviderStrategy as CapacityProviderStrategyItem[] | undefined,
    loadBalancers,
    taskDefinition: String(c.input.taskDefinition),
    createToken: c.input.clientToken as string | undefined,
    createFingerprint: fingerprint(c.input),
  });
  patchService(c.world, out.output.service as Service | undefined);
  return out;
}

async function updateService(c: Call): Promise<Out> {
  const key = keyOf(c.input.cluster, c.input.service);
  const memory = c.world.ecs.services.get(key);
  if (memory?.deletedAt !== undefined) throw new ServiceNotActiveException({ message: 'Service was not ACTIVE.', ...meta });
  const taskDefinition = (c.input.taskDefinition as string | undefined) ?? memory?.taskDefinition;
  const loadBalancers = (c.input.loadBalancers as EcsLoadBalancer[] | undefined) ?? memory?.loadBalancers;
  // A new task definition or mapping starts a deployment, which ECS validates like a create.
  const deploys = c.input.taskDefinition !== undefined || c.input.loadBalancers !== undefined;
  if (deploys && taskDefinition) await checkLoadBalancers(c, loadBalancers, taskDefinition);
  const out = await c.next();
  if (memory) {
    // moto reports runningCount 0 at once; in ECS the old tasks run on until they have stopped.
    if (c.input.desiredCount === 0) memory.stoppingUntil = c.world.now() + c.world.ecs.taskStopMs;
    else if (c.input.desiredCount !== undefined) delete memory.stoppingUntil;
    if (c.input.capacityProviderStrategy) memory.strategy = c.input.capacityProviderStrategy as CapacityProviderStrategyItem[];
    if (c.input.loadBalancers) memory.loadBalancers = loadBalancers;
    if (taskDefinition) memory.taskDefinition = taskDefinition;
  }
  patchService(c.world, out.output.service as Service | undefined);
  return out;
}

async function deleteService(c: Call): Promise<Out> {
  const key = keyOf(c.input.cluster, c.input.service);
  const memory = c.world.ecs.services.get(key);
  if (memory?.deletedAt !== undefined) throw new ServiceNotActiveException({ message: 'Service was not ACTIVE.', ...meta });
  const out = await c.next();
  c.world.ecs.services.set(key, { ...memory, deletedAt: c.world.now() });
  patchService(c.world, out.output.service as Service | undefined);
  return out;
}

async function describeServices(c: Call): Promise<Out> {
  const out = await c.next();
  for (const svc of (out.output.services as Service[] | undefined) ?? []) patchService(c.world, svc);
  return out;
}

/** DRAINING and INACTIVE services are not listed (DeleteService API reference). */
async function listServices(c: Call): Promise<Out> {
  const out = await c.next();
  const arns = (out.output.serviceArns as string[] | undefined) ?? [];
  out.output.serviceArns = arns.filter((arn) => c.world.ecs.services.get(keyOf(c.input.cluster, arn))?.deletedAt === undefined);
  return out;
}

/** Status from the world's clock, strategy as ECS echoes it (every item with base and weight). */
function patchService(world: FidelityWorld, svc: Service | undefined): void {
  if (!svc?.serviceName) return;
  const memory = world.ecs.services.get(keyOf(svc.clusterArn, svc.serviceName));
  if (memory?.deletedAt !== undefined) {
    svc.status = draining(world, memory) ? 'DRAINING' : 'INACTIVE';
    svc.desiredCount = 0;
  }
  if (memory?.stoppingUntil !== undefined && world.now() < memory.stoppingUntil && svc.desiredCount === 0) {
    svc.runningCount = Math.max(svc.runningCount ?? 0, 1);
  }
  const strategy = memory?.strategy ?? svc.capacityProviderStrategy;
  if (strategy?.length) {
    svc.capacityProviderStrategy = strategy.map((i) => ({ capacityProvider: i.capacityProvider, weight: i.weight ?? 0, base: i.base ?? 0 }));
    // A service with a capacity provider strategy has no launch type (moto reports EC2).
    delete svc.launchType;
  }
  if (memory?.loadBalancers) svc.loadBalancers = structuredClone(memory.loadBalancers);
}

async function describe(c: Call, cluster: unknown, service: unknown): Promise<Service | undefined> {
  const out = await c.client.send(new DescribeServicesCommand({ cluster: String(cluster), services: [String(service)] }));
  return out.services?.[0];
}

/**
 * CreateService/UpdateService validate the load balancer mapping: the target group must have a load
 * balancer (a listener or rule forwards to it), and the container must expose the port.
 */
async function checkLoadBalancers(c: Call, loadBalancers: EcsLoadBalancer[] | undefined, taskDefinition: string): Promise<void> {
  if (!loadBalancers?.length) return;
  const elb = c.world.elb.client;
  for (const lb of loadBalancers) {
    if (elb && lb.targetGroupArn) {
      // moto's LoadBalancerArns misses a rule moved by ModifyRule: look at the rules themselves.
      if (!(await targetGroupInUse(elb, lb.targetGroupArn))) {
        throw new InvalidParameterException({
          message: `The target group with targetGroupArn ${lb.targetGroupArn} does not have an associated load balancer.`,
          ...meta,
        });
      }
    }
    const def = (await c.client.send(new DescribeTaskDefinitionCommand({ taskDefinition }))).taskDefinition;
    const container = def?.containerDefinitions?.find((d) => d.name === lb.containerName);
    if (!container?.portMappings?.some((p) => p.containerPort === lb.containerPort)) {
      throw new InvalidParameterException({
        message: `The container ${lb.containerName} did not have a container port ${lb.containerPort} defined.`,
        ...meta,
      });
    }
  }
}

/**
 * The EventBridge event ECS sends when a service cannot place a task (e.g. no Fargate Spot
 * capacity), as it lands in the events queue. Shape: "Amazon ECS service action events",
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_events.html
 */
export function servicePlacementFailureEvent(o: {
  clusterArn: string;
  serviceName: string;
  time: string;
  reason?: string;
  id?: string;
  capacityProviders?: string[];
}): string {
  const [, , , region, account] = o.clusterArn.split(':');
  const cluster = short(o.clusterArn);
  return JSON.stringify({
    version: '0',
    id: o.id ?? randomUUID(),
    'detail-type': 'ECS Service Action',
    source: 'aws.ecs',
    account,
    time: o.time,
    region,
    resources: [`arn:aws:ecs:${region}:${account}:service/${cluster}/${o.serviceName}`],
    detail: {
      eventType: 'WARN',
      eventName: 'SERVICE_TASK_PLACEMENT_FAILURE',
      clusterArn: o.clusterArn,
      capacityProviderArns: (o.capacityProviders ?? ['FARGATE_SPOT']).map((p) => `arn:aws:ecs:${region}:${account}:capacity-provider/${p}`),
      reason: o.reason ?? 'RESOURCE:FARGATE',
      createdAt: o.time,
    },
  });
}
