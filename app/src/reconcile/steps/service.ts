import { isServiceNotActive, type ServiceChange } from '../../aws/ecs.js';
import type { ServiceState } from '../../aws/ecs-types.js';
import { healthCheckGraceSecondsFor } from '../../aws/target-group-tuning.js';
import { sameStrategy } from '../capacity-strategy.js';
import { DONE, requeue, type StepResult } from '../result.js';
import { setStatus } from '../status.js';
import { CONTAINER_NAME } from '../task-definition.js';
import { waitUntilDrained } from '../wait-drained.js';
import { needs, type Step, type StepDeps, type UpState } from './step.js';

/** How long one run waits for a deleted service of the same name to finish DRAINING. */
export const DRAIN_WAIT_MS = 10 * 60_000;

type Wanted = Required<Pick<ServiceChange, 'taskDefinitionArn' | 'desiredCount' | 'capacity' | 'loadBalancer' | 'healthCheckGracePeriodSeconds'>>;

/**
 * Creates the service, or updates what differs. A service of the same name that is still
 * DRAINING (deleted moments ago) is waited out first: ECS refuses to create it meanwhile.
 */
export const service: Step<UpState> = {
  name: 'service',
  async run(d, s) {
    const wanted = wantedService(d, s);
    // DRAINING or INACTIVE (deleted) services cannot be updated: only an ACTIVE one exists for us.
    const existing = s.found?.status === 'ACTIVE' ? s.found : undefined;
    if (existing) {
      // Recorded before the service stops using it, so a crash cannot orphan the old group.
      await d.targetGroups.retire(s.name, existing.loadBalancers?.[0]?.targetGroupArn, wanted.loadBalancer.targetGroupArn);
      return updateIfNeeded(d, s, existing, wanted);
    }
    if (s.found?.status === 'DRAINING') {
      const drain = await waitUntilDrained(d.ecs, s.serviceName, { timeoutMs: DRAIN_WAIT_MS, sleep: d.sleep, signal: d.signal });
      if (!drain.drained) {
        await setStatus(d, s.name, s.record.status, `waiting for the deleted service to finish draining: ${drain.reason}`);
        return drain.handedBack ? { kind: 'handed-back' } : requeue(drain.reason);
      }
    }
    s.service = await create(d, s, wanted);
    return DONE;
  },
};

function wantedService(d: StepDeps, s: UpState): Wanted {
  const targetGroupArn = needs(s.targetGroupArn, 'the target group');
  return {
    taskDefinitionArn: needs(s.taskDefinitionArn, 'the task definition'),
    desiredCount: s.record.desired === 'running' ? 1 : 0,
    capacity: s.record.onDemandFallback ? [{ capacityProvider: 'FARGATE' as const, weight: 1 }] : (s.profile.capacity ?? []),
    loadBalancer: { targetGroupArn, containerName: CONTAINER_NAME, containerPort: s.profile.containerPort },
    healthCheckGracePeriodSeconds: healthCheckGraceSecondsFor(s.record.size),
  };
}

function create(d: StepDeps, s: UpState, w: Wanted): Promise<ServiceState> {
  return d.ecs.createService({
    name: s.serviceName,
    taskDefinitionArn: w.taskDefinitionArn,
    desiredCount: w.desiredCount,
    capacity: w.capacity,
    subnets: d.config.subnets ?? [],
    securityGroups: d.config.securityGroups ?? [],
    assignPublicIp: d.config.assignPublicIp,
    ...w.loadBalancer,
    healthCheckGracePeriodSeconds: w.healthCheckGracePeriodSeconds,
    tags: s.tags,
  });
}

/** Sends only what differs; a no-change run sends nothing (no restart). */
async function updateIfNeeded(d: StepDeps, s: UpState, existing: ServiceState, wanted: Wanted): Promise<StepResult> {
  const lb = existing.loadBalancers?.[0];
  const change: ServiceChange = {
    ...(existing.taskDefinition !== wanted.taskDefinitionArn && { taskDefinitionArn: wanted.taskDefinitionArn }),
    ...(existing.desiredCount !== wanted.desiredCount && { desiredCount: wanted.desiredCount }),
    ...(!sameStrategy(existing.capacity ?? [], wanted.capacity) && { capacity: wanted.capacity }),
    ...((lb?.targetGroupArn !== wanted.loadBalancer.targetGroupArn || lb?.containerPort !== wanted.loadBalancer.containerPort) && {
      loadBalancer: wanted.loadBalancer,
    }),
  };
  if (Object.keys(change).length === 0) {
    s.service = existing;
    return DONE;
  }
  // A new deployment anyway: the grace period for the (possibly new) size goes along.
  const deploys = change.taskDefinitionArn || change.loadBalancer;
  if (deploys && existing.healthCheckGracePeriodSeconds !== wanted.healthCheckGracePeriodSeconds) {
    change.healthCheckGracePeriodSeconds = wanted.healthCheckGracePeriodSeconds;
  }
  try {
    s.service = await d.ecs.updateService(s.serviceName, change);
    return DONE;
  } catch (err) {
    if (!isServiceNotActive(err)) throw err;
    // Deleted meanwhile (DRAINING): not the user's failure; the next run waits for it and creates anew.
    d.log.warn({ err, env: s.name }, 'service is not active; will retry');
    return requeue('the service was deleted meanwhile');
  }
}
