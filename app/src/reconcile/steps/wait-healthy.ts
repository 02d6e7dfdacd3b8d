import { environmentUrl } from '../../environments/environment-url.js';
import { TerminalError } from '../errors.js';
import { routeTraffic } from '../route-traffic.js';
import { DONE, type StepResult } from '../result.js';
import { notify } from '../status.js';
import { waitForSteady } from '../wait-steady.js';
import { needs, type Step, type StepDeps, type UpState } from './step.js';

/**
 * Records the outcome: "stopped" for a stopped environment; nothing for a ready one whose service
 * did not change; otherwise "waiting-health" until the service is steady, then "ready" with its URL.
 * A group retired by a port change is deleted only now, when nothing is registered in it any more.
 */
export const waitHealthy: Step<UpState> = {
  name: 'wait-healthy',
  async run(d, s) {
    const arns = {
      targetGroupArn: needs(s.targetGroupArn, 'the target group'),
      ruleArn: needs(s.ruleArn, 'the rule'),
      taskDefinitionArn: needs(s.taskDefinitionArn, 'the task definition'),
      serviceArn: needs(s.service, 'the service').arn,
    };
    if (s.record.desired !== 'running') return recordStopped(d, s, arns);
    const existing = s.found?.status === 'ACTIVE' ? s.found : undefined;
    const unchanged =
      existing?.taskDefinition === arns.taskDefinitionArn && existing.desiredCount === 1 && existing.loadBalancers?.[0]?.targetGroupArn === arns.targetGroupArn;
    if (s.initial.status === 'ready' && unchanged) {
      await routeTraffic(d, s.host, arns.targetGroupArn, 'running');
      await d.targetGroups.deleteRetired(s.name, s.record, arns.targetGroupArn);
      return DONE;
    }
    return waitThenReady(d, s, arns);
  },
};

type Arns = { targetGroupArn: string; ruleArn: string; taskDefinitionArn: string; serviceArn: string | undefined };

async function recordStopped(d: StepDeps, s: UpState, arns: Arns): Promise<StepResult> {
  // ECS keeps the old tasks running (and billed) through draining and stopTimeout: "stopped" is
  // shown only once they are gone. A timeout is no failure — the stop itself has been made.
  const gone = await waitForSteady(d.ecs, s.serviceName, { timeoutMs: d.config.steadyTimeoutSeconds * 1000, sleep: d.sleep, signal: d.signal });
  if (!gone.ok && gone.handedBack) return { kind: 'handed-back' };
  const stopped = await d.store.mutate(s.name, (r) => ({ ...r, ...arns, status: 'stopped', statusReason: undefined }), s.record);
  if (stopped && s.initial.status !== 'stopped') await notify(d, stopped, { kind: 'stopped', by: 'user' });
  if (stopped) await d.targetGroups.deleteRetired(s.name, stopped, arns.targetGroupArn);
  return DONE;
}

async function waitThenReady(d: StepDeps, s: UpState, arns: Arns): Promise<StepResult> {
  const waiting = await d.store.mutate(s.name, (r) => ({ ...r, ...arns, status: 'waiting-health', statusReason: undefined }), s.record);
  if (waiting) await notify(d, waiting, { kind: 'progress', stage: 'waiting-health' });
  const steady = await waitForSteady(d.ecs, s.serviceName, { timeoutMs: d.config.steadyTimeoutSeconds * 1000, sleep: d.sleep, signal: d.signal });
  // Not a failure: status stays "waiting-health" and the next run (any replica) resumes the wait.
  if (!steady.ok && steady.handedBack) return { kind: 'handed-back' };
  if (!steady.ok) {
    throw new TerminalError(`waiting for ${s.name} to become healthy: ${steady.reason} — check the app's logs and health check path (${s.profile.healthCheckPath})`);
  }
  // Woken or new: the app is healthy, so the waking door hands its host back to it.
  await routeTraffic(d, s.host, arns.targetGroupArn, 'running');
  const url = environmentUrl(d.config, s.name);
  const startedAt = new Date().toISOString();
  const ready = await d.store.mutate(s.name, (r) => (r.desired === 'deleted' ? undefined : { ...r, status: 'ready', statusReason: undefined, url, startedAt }), waiting);
  await d.images?.markDeployed?.(ready ?? s.record);
  // Only now is nothing registered in a replaced target group any more.
  if (ready) await d.targetGroups.deleteRetired(s.name, ready, arns.targetGroupArn);
  if (ready) await notify(d, ready, { kind: 'ready', url });
  return DONE;
}
