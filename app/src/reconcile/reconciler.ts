import type { Service } from '@aws-sdk/client-ecs';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { profileFor } from '../config.js';
import { layerPaths, mergeLayers, toContainerConfig } from '../environments/config-layers.js';
import { hostFor } from '../environments/names.js';
import type { EnvNotice, Notifier } from '../environments/notifier-port.js';
import type { EnvironmentRecord, EnvStatus } from '../environments/record.js';
import type { EnvironmentStore } from '../environments/store-port.js';
import { tagsFor } from '../environments/tags.js';
import { isServiceNotActive, type EcsServices, type ServiceChange } from '../aws/ecs.js';
import { isTransient } from '../aws/errors.js';
import { PriorityInUseError, type LoadBalancer } from '../aws/elb.js';
import { healthCheckGraceSecondsFor } from '../aws/target-group-tuning.js';
import type { ParameterStore } from '../aws/ssm.js';
import { serviceNameFor } from '../events/task-event.js';
import type { ImageSource, ScheduleSync, StepHook } from './ports.js';
import { buildTaskDefinition, CONTAINER_NAME, familyFor, fingerprintOf } from './task-definition.js';
import { sameStrategy } from './capacity-strategy.js';
import { TargetGroups, type RetiredTargetGroups } from './target-groups.js';
import { waitUntilDrained } from './wait-drained.js';
import { waitForSteady } from './wait-steady.js';

export interface ReconcilerDeps {
  config: Config;
  store: EnvironmentStore;
  ecs: EcsServices;
  lb: LoadBalancer;
  params: ParameterStore;
  notifier: Notifier;
  log: Logger;
  images?: ImageSource;
  schedules?: ScheduleSync;
  /** Test hook called after each step; throwing simulates a crash there. */
  afterStep?: StepHook;
  sleep?: (ms: number) => Promise<void>;
  /** Aborted at shutdown: long waits end and the work is handed back. */
  signal?: AbortSignal;
}

export type ReconcileOutcome = 'converged' | 'deleted' | 'absent' | 'failed' | 'handed-back' | 'retry';

/** Transient AWS errors are retried by the queue with backoff this many times before `failed`. */
export const MAX_TRANSIENT_RETRIES = 8;

/** How long one run waits for a deleted service of the same name to finish DRAINING. */
export const DRAIN_WAIT_MS = 10 * 60_000;

/**
 * Level-based and idempotent: reads the record (desired state) and what exists in AWS, and takes
 * the steps still missing. Each step finds its resource by a deterministic name before creating it,
 * so a run killed half way is finished by the next one without duplicates.
 */
export class Reconciler {
  private readonly transientFailures = new Map<string, number>();
  private readonly targetGroups: TargetGroups;

  constructor(private readonly d: ReconcilerDeps) {
    this.targetGroups = new TargetGroups({ lb: d.lb, store: d.store, log: d.log, vpcId: d.config.vpcId });
  }

  /** How many transient failures in a row this environment has had (the queue's backoff). */
  retriesOf(name: string): number {
    return this.transientFailures.get(name) ?? 0;
  }

  async reconcile(name: string): Promise<ReconcileOutcome> {
    const log = this.d.log.child({ env: name });
    let record: EnvironmentRecord | undefined;
    try {
      record = await this.d.store.get(name);
    } catch (err) {
      return this.retryOrThrow(name, err, log);
    }
    if (!record) return 'absent';
    try {
      if (record.desired === 'deleted') {
        await this.teardown(record);
        this.transientFailures.delete(name);
        return 'deleted';
      }
      const outcome = await this.apply(record);
      this.transientFailures.delete(name);
      return outcome;
    } catch (err) {
      if ((err as { code?: string }).code === 'SIMULATED_CRASH') throw err;
      if (isServiceNotActive(err)) {
        // Deleted meanwhile (DRAINING): not the user's failure; the next run waits for it and creates anew.
        log.warn({ err }, 'service is not active; will retry');
        return 'retry';
      }
      // Level-based: a throttled or unavailable AWS is not the user's failure; try again later.
      const retries = this.retriesOf(name);
      if (isTransient(err) && retries < MAX_TRANSIENT_RETRIES) {
        this.transientFailures.set(name, retries + 1);
        log.warn({ err, retries: retries + 1 }, 'transient AWS error; will retry');
        return 'retry';
      }
      this.transientFailures.delete(name);
      log.error({ err }, 'reconcile failed');
      // Errors may carry a user-facing sentence apart from the internal message (builds do).
      const reason = (err as { userMessage?: string }).userMessage ?? (err instanceof Error ? err.message : String(err));
      const build = err as { code?: string; phase?: string; logTail?: string[]; logUrl?: string };
      if (build.code === 'BUILD_FAILED' || build.code === 'BUILD_TIMEOUT') {
        await this.notify(record, {
          kind: 'build',
          phase: build.phase ?? 'BUILD',
          elapsedSeconds: 0,
          failed: true,
          ...(build.logTail && { logTail: build.logTail }),
          ...(build.logUrl && { logUrl: build.logUrl }),
        });
      }
      try {
        const failed = await this.setStatus(name, 'failed', reason);
        if (failed) await this.notify(failed, { kind: 'failed', reason, hint: 'fix the cause, then run `/env up` again' });
      } catch (recordErr) {
        // Could not even record the failure (store throttled or down): the next run decides again.
        return this.retryOrThrow(name, recordErr, log);
      }
      return 'failed';
    }
  }

  private retryOrThrow(name: string, err: unknown, log: Logger): ReconcileOutcome {
    const retries = this.retriesOf(name);
    if (!isTransient(err) || retries >= MAX_TRANSIENT_RETRIES) throw err;
    this.transientFailures.set(name, retries + 1);
    log.warn({ err, retries: retries + 1 }, 'transient store error; will retry');
    return 'retry';
  }

  private async step(name: string, env: string): Promise<void> {
    await this.d.afterStep?.(name, env);
  }

  private async apply(initial: EnvironmentRecord): Promise<ReconcileOutcome> {
    const { config } = this.d;
    const name = initial.name;
    const base = profileFor(config, initial.profile);
    const profile = { ...base, ...initial.appSettings };
    const tags = tagsFor(initial, config.cluster);

    let record = (await this.resolveImage(initial)) ?? initial;
    await this.step('image', name);

    if (record.status !== 'ready' && record.status !== 'deploying' && record.desired === 'running') {
      const deploying = await this.setStatus(name, 'deploying', undefined, record);
      if (deploying) {
        record = deploying;
        await this.notify(deploying, { kind: 'progress', stage: 'deploying' });
      }
    }
    const serviceName = serviceNameFor(name);
    const host = hostFor(name, config.domain);
    const current = record;
    // Three independent branches run in parallel; only the service needs all of them.
    const [routing, taskDefinitionArn, found] = await settleAll([
      (async () => {
        const targetGroupArn = await this.targetGroups.ensure(name, profile.containerPort, profile.healthCheckPath, tags);
        await this.step('target-group', name);
        const ruleArn = await this.ensureRule(current, host, targetGroupArn, tags);
        await this.step('rule', name);
        return { targetGroupArn, ruleArn };
      })(),
      (async () => {
        const arn = await this.ensureTaskDefinition(current, profile, await this.readConfig(current), tags);
        await this.step('task-definition', name);
        return arn;
      })(),
      this.d.ecs.serviceInAnyState(serviceName),
      (async () => {
        await this.d.schedules?.sync(current, profile);
        await this.step('schedules', name);
      })(),
    ] as const);
    const { targetGroupArn, ruleArn } = routing;
    // DRAINING or INACTIVE (deleted) services cannot be updated: only an ACTIVE one exists for us.
    const existing = found?.status === 'ACTIVE' ? found : undefined;

    const desiredCount = record.desired === 'running' ? 1 : 0;
    const service = await this.ensureService(record, existing, found?.status === 'DRAINING', { taskDefinitionArn, targetGroupArn, desiredCount, containerPort: profile.containerPort, capacity: profile.capacity, tags });
    if (service === 'retry' || service === 'handed-back') return service;
    await this.step('service', name);

    const arns = { targetGroupArn, ruleArn, taskDefinitionArn, serviceArn: service.serviceArn };
    if (desiredCount === 0) {
      const stopped = await this.d.store.mutate(name, (r) => ({ ...r, ...arns, status: 'stopped', statusReason: undefined }), record);
      if (stopped && initial.status !== 'stopped') await this.notify(stopped, { kind: 'stopped', by: 'user' });
      if (stopped) await this.targetGroups.deleteRetired(name, stopped, targetGroupArn);
      return 'converged';
    }
    const unchanged = existing?.taskDefinition === taskDefinitionArn && existing.desiredCount === 1 && existing.loadBalancers?.[0]?.targetGroupArn === targetGroupArn;
    if (initial.status === 'ready' && unchanged) {
      await this.targetGroups.deleteRetired(name, record, targetGroupArn);
      return 'converged';
    }
    const waiting = await this.d.store.mutate(name, (r) => ({ ...r, ...arns, status: 'waiting-health', statusReason: undefined }), record);
    if (waiting) await this.notify(waiting, { kind: 'progress', stage: 'waiting-health' });
    const steady = await waitForSteady(this.d.ecs, serviceName, {
      timeoutMs: config.steadyTimeoutSeconds * 1000,
      sleep: this.d.sleep,
      signal: this.d.signal,
    });
    // Not a failure: status stays "waiting-health" and the next run (any replica) resumes the wait.
    if (!steady.ok && steady.handedBack) return 'handed-back';
    if (!steady.ok) throw new Error(`waiting for ${name} to become healthy: ${steady.reason} — check the app's logs and health check path (${profile.healthCheckPath})`);
    const url = `${config.urlScheme}://${host}`;
    const ready = await this.d.store.mutate(
      name,
      (r) => (r.desired === 'deleted' ? undefined : { ...r, status: 'ready', statusReason: undefined, url }),
      waiting,
    );
    await this.d.images?.markDeployed?.(ready ?? record);
    // Only now is nothing registered in a replaced target group any more.
    if (ready) await this.targetGroups.deleteRetired(name, ready, targetGroupArn);
    if (ready) await this.notify(ready, { kind: 'ready', url });
    return 'converged';
  }

  /** A pinned image (`--image`) is used as given; otherwise the image source builds or reuses one per commit. */
  private async resolveImage(record: EnvironmentRecord): Promise<EnvironmentRecord | undefined> {
    const name = record.name;
    const resolved =
      record.imagePinned || !this.d.images
        ? undefined
        : await this.d.images.imageFor(record, async (p) => {
            const building = await this.d.store.mutate(name, (r) => (r.status === 'building' ? undefined : { ...r, status: 'building' }));
            await this.notify(building ?? record, {
              kind: 'build',
              phase: p.phase,
              elapsedSeconds: p.elapsedSeconds,
              ...(p.cacheHit !== undefined && { cacheHit: p.cacheHit }),
            });
          });
    const image = resolved?.image ?? record.image ?? this.d.config.defaultImage;
    if (!image) {
      throw new Error(
        `choosing an image for ${name}: no image was given and none is configured — run \`/env up ${name} --image <uri>\` or set ENVBOT_DEFAULT_IMAGE`,
      );
    }
    if (image === record.image && !resolved?.built) return undefined;
    return this.d.store.mutate(name, (r) => ({
      ...r,
      image,
      ...(resolved?.commit && { commit: resolved.commit }),
      ...(resolved?.buildSeconds !== undefined && { lastBuildSeconds: resolved.buildSeconds }),
      ...(resolved?.cacheHit !== undefined && { lastBuildCacheHit: resolved.cacheHit }),
    }));
  }

  /** Priorities come from the store (race-free); a priority held by a foreign rule is skipped. */
  private async ensureRule(record: EnvironmentRecord, host: string, targetGroupArn: string, tags: ReturnType<typeof tagsFor>): Promise<string> {
    const name = record.name;
    for (let attempt = 0; attempt < 5; attempt++) {
      const rules = await this.d.lb.rules();
      const mine = rules.find((r) => r.host === host);
      if (mine) {
        if (mine.targetGroupArn !== targetGroupArn) {
          // Recorded first: once the rule moves, the old group is only found through the record.
          await this.targetGroups.retire(name, mine.targetGroupArn, targetGroupArn);
          await this.d.lb.forwardRule(mine.arn, targetGroupArn);
        }
        if (record.rulePriority !== mine.priority) await this.d.store.mutate(name, (r) => ({ ...r, rulePriority: mine.priority }));
        return mine.arn;
      }
      const foreign = new Set(rules.map((r) => r.priority));
      const priority = await this.d.store.claimPriority(name, foreign);
      // Recorded before the rule exists, so a teardown after a crash here still frees the claim.
      if (record.rulePriority !== priority) await this.d.store.mutate(name, (r) => ({ ...r, rulePriority: priority }));
      try {
        return await this.d.lb.createRule({ priority, host, targetGroupArn, tags });
      } catch (err) {
        if (!(err instanceof PriorityInUseError)) throw err;
        // A rule outside envbot's bookkeeping took it meanwhile: drop our claim and pick again.
        await this.d.store.releasePriority(priority, name);
      }
    }
    throw new Error(`creating the load balancer rule for ${host}: no free rule priority after 5 tries — try again`);
  }

  private async readConfig(record: EnvironmentRecord) {
    const paths = layerPaths(this.d.config.ssmPrefix, record.profile, record.name);
    const [base, profile, env] = await Promise.all([
      this.d.params.readLayer(paths.base),
      this.d.params.readLayer(paths.profile),
      this.d.params.readLayer(paths.env),
    ]);
    return toContainerConfig(mergeLayers({ base, profile, env }));
  }

  private async ensureTaskDefinition(
    record: EnvironmentRecord,
    profile: ReturnType<typeof profileFor>,
    containerConfig: ReturnType<typeof toContainerConfig>,
    tags: ReturnType<typeof tagsFor>,
  ): Promise<string> {
    const { config } = this.d;
    const wanted = buildTaskDefinition({
      env: record.name,
      image: record.image!,
      size: record.size,
      profile,
      ...containerConfig,
      ...(config.executionRoleArn && { executionRoleArn: config.executionRoleArn }),
      ...(config.taskRoleArn && { taskRoleArn: config.taskRoleArn }),
      logGroup: config.logGroup,
      region: config.aws.region,
      tags,
    });
    const latest = await this.d.ecs.latestTaskDefinition(familyFor(record.name));
    if (latest && fingerprintOf(latest) === fingerprintOf(wanted)) return latest.definition.taskDefinitionArn!;
    return this.d.ecs.registerTaskDefinition(wanted);
  }

  /**
   * Creates the service, or updates what differs. A service of the same name that is still
   * DRAINING (deleted moments ago) is waited out first: ECS refuses to create it meanwhile.
   */
  private async ensureService(
    record: EnvironmentRecord,
    existing: Awaited<ReturnType<EcsServices['describeService']>>,
    draining: boolean,
    w: { taskDefinitionArn: string; targetGroupArn: string; desiredCount: number; containerPort: number; capacity: ServiceChange['capacity']; tags: ReturnType<typeof tagsFor> },
  ): Promise<Service | 'retry' | 'handed-back'> {
    const { config } = this.d;
    const name = record.name;
    const serviceName = serviceNameFor(name);
    const capacity = record.onDemandFallback ? [{ capacityProvider: 'FARGATE' as const, weight: 1 }] : (w.capacity ?? []);
    const loadBalancer = { targetGroupArn: w.targetGroupArn, containerName: CONTAINER_NAME, containerPort: w.containerPort };
    const healthCheckGracePeriodSeconds = healthCheckGraceSecondsFor(record.size);
    if (existing) {
      // Recorded before the service stops using it, so a crash cannot orphan the old group.
      await this.targetGroups.retire(name, existing.loadBalancers?.[0]?.targetGroupArn, w.targetGroupArn);
      return this.updateServiceIfNeeded(serviceName, existing, { taskDefinitionArn: w.taskDefinitionArn, desiredCount: w.desiredCount, capacity, loadBalancer, healthCheckGracePeriodSeconds });
    }
    const drain = draining
      ? await waitUntilDrained(this.d.ecs, serviceName, { timeoutMs: DRAIN_WAIT_MS, sleep: this.d.sleep, signal: this.d.signal })
      : ({ drained: true } as const);
    if (!drain.drained) {
      await this.setStatus(name, record.status, `waiting for the deleted service to finish draining: ${drain.reason}`);
      return drain.handedBack ? 'handed-back' : 'retry';
    }
    return this.d.ecs.createService({
      name: serviceName,
      taskDefinitionArn: w.taskDefinitionArn,
      desiredCount: w.desiredCount,
      capacity,
      subnets: config.subnets ?? [],
      securityGroups: config.securityGroups ?? [],
      assignPublicIp: config.assignPublicIp,
      ...loadBalancer,
      healthCheckGracePeriodSeconds,
      tags: w.tags,
    });
  }

  /** Sends only what differs; a no-change run sends nothing (no restart). */
  private async updateServiceIfNeeded(
    serviceName: string,
    existing: NonNullable<Awaited<ReturnType<EcsServices['describeService']>>>,
    wanted: Required<Pick<ServiceChange, 'taskDefinitionArn' | 'desiredCount' | 'capacity' | 'loadBalancer' | 'healthCheckGracePeriodSeconds'>>,
  ) {
    const lb = existing.loadBalancers?.[0];
    const change: ServiceChange = {
      ...(existing.taskDefinition !== wanted.taskDefinitionArn && { taskDefinitionArn: wanted.taskDefinitionArn }),
      ...(existing.desiredCount !== wanted.desiredCount && { desiredCount: wanted.desiredCount }),
      ...(!sameStrategy(existing.capacityProviderStrategy ?? [], wanted.capacity) && { capacity: wanted.capacity }),
      ...((lb?.targetGroupArn !== wanted.loadBalancer.targetGroupArn || lb?.containerPort !== wanted.loadBalancer.containerPort) && {
        loadBalancer: wanted.loadBalancer,
      }),
    };
    if (Object.keys(change).length === 0) return existing;
    // A new deployment anyway: the grace period for the (possibly new) size goes along.
    const deploys = change.taskDefinitionArn || change.loadBalancer;
    if (deploys && existing.healthCheckGracePeriodSeconds !== wanted.healthCheckGracePeriodSeconds) {
      change.healthCheckGracePeriodSeconds = wanted.healthCheckGracePeriodSeconds;
    }
    return this.d.ecs.updateService(serviceName, change);
  }

  /** Reverse order; every delete treats "not found" as done, so a repeated teardown is harmless. */
  private async teardown(record: EnvironmentRecord): Promise<void> {
    const name = record.name;
    if (record.status !== 'deleting') await this.setStatus(name, 'deleting');
    await this.d.schedules?.remove(name);
    await this.step('remove-schedules', name);
    await this.d.ecs.deleteService(serviceNameFor(name));
    await this.step('delete-service', name);
    const rule = await this.d.lb.findRuleForHost(hostFor(name, this.d.config.domain));
    if (rule) await this.d.lb.deleteRule(rule.arn);
    await this.step('delete-rule', name);
    const port = { ...profileFor(this.d.config, record.profile), ...record.appSettings }.containerPort;
    await this.targetGroups.deleteAll(name, record as EnvironmentRecord & RetiredTargetGroups, port);
    await this.step('delete-target-group', name);
    await this.d.ecs.deregisterFamily(familyFor(name));
    await this.step('deregister-task-definitions', name);
    await this.d.params.removeLayer(layerPaths(this.d.config.ssmPrefix, record.profile, name).env);
    await this.step('delete-config', name);
    if (record.rulePriority !== undefined) await this.d.store.releasePriority(record.rulePriority, name);
    const others = (await this.d.store.list()).filter((r) => r.name !== name);
    await this.d.images?.release?.(record, others);
    await this.step('release-image', name);
    const latest = await this.d.store.get(name);
    if (latest && latest.desired === 'deleted') await this.d.store.remove(name, latest.version);
    await this.notify(record, { kind: 'destroyed', by: record.destroyReason ?? 'user' });
  }

  private async setStatus(name: string, status: EnvStatus, reason?: string, known?: EnvironmentRecord): Promise<EnvironmentRecord | undefined> {
    return this.d.store.mutate(
      name,
      (r) => (r.status === status && r.statusReason === reason ? undefined : { ...r, status, statusReason: reason }),
      known,
    );
  }

  private async notify(record: EnvironmentRecord, notice: EnvNotice): Promise<void> {
    try {
      await this.d.notifier.notify(record, notice);
    } catch (err) {
      this.d.log.warn({ err, env: record.name }, 'notifying failed');
    }
  }
}

/**
 * Like Promise.all, but waits for every branch before rethrowing the first failure, so a failed
 * branch never leaves another still writing to AWS behind the next run's back.
 */
async function settleAll<T extends readonly Promise<unknown>[]>(promises: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: Awaited<T[K]> };
}
