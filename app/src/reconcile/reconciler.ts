import { profileFor } from '../config.js';
import { hostFor } from '../environments/names.js';
import type { EnvironmentRecord } from '../environments/record.js';
import { tagsFor } from '../environments/tags.js';
import { serviceNameFor } from '../environments/task-event.js';
import { classify, ReconcileError, RetryableError, UserFacingError } from './errors.js';
import type { ReconcileResult } from './result.js';
import { runSteps, type StepHook } from './run-steps.js';
import { notify, setStatus } from './status.js';
import { DOWN_STEPS, UP_STEPS } from './steps/index.js';
import type { StepDeps, UpState } from './steps/step.js';
import { TargetGroups } from './target-groups.js';

export { DRAIN_WAIT_MS } from './steps/service.js';

/** What the steps use (the reconciler builds their target groups), plus the injected test hook. */
export type ReconcilerDeps = Omit<StepDeps, 'targetGroups'> & {
  /** Injected test hook called after each step; throwing simulates a crash there. */
  afterStep?: StepHook;
};

/**
 * Level-based and idempotent: reads the record (desired state) and runs UP_STEPS or DOWN_STEPS
 * (steps/index.ts). Retries and backoff belong to the work queue; this answers what happened.
 */
export class Reconciler {
  private readonly deps: StepDeps;

  constructor(private readonly d: ReconcilerDeps) {
    this.deps = { ...d, targetGroups: new TargetGroups({ lb: d.lb, store: d.store, log: d.log, vpcId: d.config.vpcId }) };
  }

  async reconcile(name: string): Promise<ReconcileResult> {
    let record: EnvironmentRecord | undefined;
    try {
      record = await this.d.store.get(name);
    } catch (err) {
      // Without the record nothing can be recorded either: retry a transient error, else give up loudly.
      const marked = classify(err);
      if (marked instanceof RetryableError) return { kind: 'retry', error: marked };
      throw err;
    }
    if (!record) return { kind: 'done', outcome: 'absent' };
    const deleting = record.desired === 'deleted';
    try {
      const result = deleting
        ? await runSteps(DOWN_STEPS, { deps: this.deps, state: { name, record }, env: name, afterStep: this.d.afterStep })
        : await runSteps(UP_STEPS, { deps: this.deps, state: this.upState(record), env: name, afterStep: this.d.afterStep });
      if (result.kind !== 'done') return result;
      return { kind: 'done', outcome: deleting ? 'deleted' : 'converged' };
    } catch (err) {
      // Not a step's failure (an injected hook that simulates a crash): the run just ends.
      if (!(err instanceof ReconcileError)) throw err;
      if (err instanceof RetryableError) return { kind: 'retry', error: err };
      return this.failOrRetry(record, err);
    }
  }

  /**
   * Records the environment as failed with the error's reason and tells the user. The queue calls
   * this when a retryable error has used up its attempts.
   */
  async fail(name: string, err: ReconcileError, known?: EnvironmentRecord): Promise<void> {
    this.d.log.error({ err, env: name }, 'reconcile failed');
    // A build failure's own notice (phase, log tail) goes first.
    if (known && err instanceof UserFacingError && err.notice) await notify(this.d, known, err.notice);
    const failed = await setStatus(this.d, name, 'failed', err.reason);
    if (failed) await notify(this.d, failed, { kind: 'failed', reason: err.reason, hint: 'fix the cause, then run `/env up` again' });
  }

  private async failOrRetry(record: EnvironmentRecord, err: ReconcileError): Promise<ReconcileResult> {
    try {
      await this.fail(record.name, err, record);
      return { kind: 'done', outcome: 'failed' };
    } catch (recordErr) {
      // Could not even record the failure (store throttled or down): the next run decides again.
      const marked = classify(recordErr);
      if (marked instanceof RetryableError) return { kind: 'retry', error: marked };
      throw recordErr;
    }
  }

  private upState(record: EnvironmentRecord): UpState {
    const { config } = this.d;
    const name = record.name;
    return {
      name,
      initial: record,
      record,
      profile: { ...profileFor(config, record.profile), ...record.appSettings },
      tags: tagsFor(record, config.cluster),
      host: hostFor(name, config.domain),
      serviceName: serviceNameFor(name),
    };
  }
}
