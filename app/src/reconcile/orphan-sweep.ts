import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { EcsServices } from '../aws/ecs.js';
import type { ServiceState } from '../aws/ecs-types.js';
import { TARGET_GROUP_PREFIX, type LoadBalancer } from '../aws/elb.js';
import type { EnvironmentStore } from '../environments/store-port.js';
import { TAG_ENV, TAG_INSTALLATION, TAG_MANAGED } from '../environments/tags.js';
import { envFromServiceName } from '../environments/task-event.js';

export interface SweepDeps {
  store: EnvironmentStore;
  ecs: EcsServices;
  lb: LoadBalancer;
  config: Config;
  log: Logger;
  liveNames: Set<string>;
  /** Services already described by the caller (resync); listed and described here otherwise. */
  services?: ServiceState[];
}

export interface SweepReport {
  deleted: string[];
}

/**
 * Deletes resources tagged as envbot's whose environment has no record. Records are created
 * before any resource and deleted after the last one, so "tagged but no record" is an orphan;
 * each candidate is re-checked against the store right before deletion to close the race with
 * an `up` that started during the sweep.
 */
export async function sweepOrphans(d: SweepDeps): Promise<SweepReport> {
  const deleted: string[] = [];
  const stillOrphan = async (env: string) => !d.liveNames.has(env) && (await d.store.get(env)) === undefined;

  const services =
    d.services ?? (await d.ecs.describeServices((await d.ecs.listServiceNames()).filter((n) => envFromServiceName(n) !== undefined)));
  for (const svc of services.filter((s) => envFromServiceName(s.name) !== undefined)) {
    const env = envFromServiceName(svc.name)!;
    const managed = svc.tags?.some((t) => t.key === TAG_MANAGED && t.value === 'true');
    if (managed && (await stillOrphan(env))) {
      await d.ecs.deleteService(svc.name);
      deleted.push(`service:${svc.name}`);
    }
  }

  const groups = await d.lb.ourTargetGroups();
  const rules = await d.lb.rules();
  for (const tg of groups) {
    const env = tg.tags[TAG_ENV] ?? tg.name.slice(TARGET_GROUP_PREFIX.length);
    const ours = tg.tags[TAG_MANAGED] === 'true' && tg.tags[TAG_INSTALLATION] === d.config.cluster;
    if (!ours || !(await stillOrphan(env))) continue;
    for (const rule of rules.filter((r) => r.targetGroupArn === tg.arn)) {
      await d.lb.deleteRule(rule.arn);
      deleted.push(`rule:${rule.host}`);
    }
    await d.lb.deleteTargetGroup(tg.arn);
    await d.ecs.deregisterFamily(`envbot-${env}`);
    deleted.push(`target-group:${tg.name}`);
  }
  if (deleted.length) d.log.warn({ deleted }, 'deleted orphaned resources');
  return { deleted };
}
