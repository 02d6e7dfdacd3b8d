import type { Logger } from 'pino';
import { errorName } from '../aws/errors.js';
import { legacyTargetGroupNameFor, targetGroupNameFor, type LoadBalancer } from '../aws/elb.js';
import type { EnvironmentRecord } from '../environments/record.js';
import type { EnvironmentStore } from '../environments/store-port.js';
import { TAG_ENV, type Tag } from '../environments/tags.js';

/** Kept on the record by this module: groups replaced (e.g. by a port change) and still to delete. */
export interface RetiredTargetGroups {
  retiredTargetGroupArns?: string[];
}

interface Deps {
  lb: LoadBalancer;
  store: EnvironmentStore;
  log: Logger;
  vpcId?: string | undefined;
}

/**
 * One target group per (environment, port): a target group's port is immutable, so a new
 * containerPort gets a new group. The old one is recorded as retired *before* anything stops
 * using it, and deleted once nothing does, so a crash at any point leaves nothing behind.
 */
export class TargetGroups {
  constructor(private readonly d: Deps) {}

  /** The group for this port: the per-port name, or an older group of the legacy name on the same port. */
  async ensure(env: string, port: number, healthCheckPath: string, tags: Tag[]): Promise<string> {
    let found = await this.d.lb.describeTargetGroup(targetGroupNameFor(env, port));
    if (!found) {
      const legacy = await this.d.lb.describeTargetGroup(legacyTargetGroupNameFor(env));
      if (legacy?.port === port) found = legacy;
    }
    if (found) {
      if (found.untuned || found.healthCheckPath !== healthCheckPath) await this.d.lb.tuneTargetGroup(found.arn, healthCheckPath);
      return found.arn;
    }
    if (!this.d.vpcId) throw new Error('creating the target group: ENVBOT_VPC_ID is not configured');
    return this.d.lb.createTargetGroup({ name: targetGroupNameFor(env, port), vpcId: this.d.vpcId, port, healthCheckPath, tags });
  }

  /** Records `old` for deletion (before the rule or service stops using it). */
  async retire(env: string, old: string | undefined, current: string): Promise<void> {
    if (!old || old === current) return;
    await this.d.store.mutate(env, (r: EnvironmentRecord & RetiredTargetGroups) =>
      r.retiredTargetGroupArns?.includes(old) ? undefined : { ...r, retiredTargetGroupArns: [...(r.retiredTargetGroupArns ?? []), old] },
    );
  }

  /**
   * Deletes retired groups that are this environment's (tag check: a drifted rule may have pointed
   * anywhere). One still in use (ResourceInUse) stays recorded for the next run.
   */
  async deleteRetired(env: string, record: EnvironmentRecord & RetiredTargetGroups, keep?: string): Promise<void> {
    const retired = (record.retiredTargetGroupArns ?? []).filter((arn) => arn !== keep);
    if (retired.length === 0 && !record.retiredTargetGroupArns?.length) return;
    const tags = await this.d.lb.tagsOf(retired).catch(() => new Map<string, Record<string, string>>());
    const done: string[] = keep ? [keep] : [];
    for (const arn of retired) {
      const owner = tags.get(arn)?.[TAG_ENV];
      try {
        if (owner === env) await this.d.lb.deleteTargetGroup(arn);
        done.push(arn);
      } catch (err) {
        if (errorName((err as { cause?: unknown }).cause) !== 'ResourceInUseException') throw err;
        this.d.log.warn({ env, arn }, 'retired target group still in use; deleting it on a later run');
      }
    }
    await this.d.store.mutate(env, (r: EnvironmentRecord & RetiredTargetGroups) => {
      const left = (r.retiredTargetGroupArns ?? []).filter((arn) => !done.includes(arn));
      return left.length === (r.retiredTargetGroupArns ?? []).length ? undefined : { ...r, retiredTargetGroupArns: left.length ? left : undefined };
    });
  }

  /** Teardown: every group the environment may have (after its rule is gone). Not found = done. */
  async deleteAll(env: string, record: EnvironmentRecord & RetiredTargetGroups, port: number): Promise<void> {
    const arns = new Set<string>([...(record.retiredTargetGroupArns ?? []), ...(record.targetGroupArn ? [record.targetGroupArn] : [])]);
    for (const name of [targetGroupNameFor(env, port), legacyTargetGroupNameFor(env)]) {
      const arn = await this.d.lb.findTargetGroup(name);
      if (arn) arns.add(arn);
    }
    for (const arn of arns) await this.d.lb.deleteTargetGroup(arn);
  }
}
