import type { ServiceState } from '../../aws/ecs-types.js';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import type { Profile } from '../../environments/profiles.js';
import type { Notifier } from '../../environments/notifier-port.js';
import type { EnvironmentRecord } from '../../environments/record.js';
import type { EnvironmentStore } from '../../environments/store-port.js';
import type { Tag } from '../../environments/tags.js';
import type { EcsServices } from '../../aws/ecs.js';
import type { LoadBalancer } from '../../aws/elb.js';
import type { ParameterStore } from '../../aws/ssm.js';
import type { ImageSource, ScheduleSync } from '../ports.js';
import type { StepResult } from '../result.js';
import type { TargetGroups } from '../target-groups.js';

/** What every step may use: the adapters, the store and the notifier. */
export interface StepDeps {
  config: Config;
  store: EnvironmentStore;
  ecs: EcsServices;
  lb: LoadBalancer;
  params: ParameterStore;
  notifier: Notifier;
  log: Logger;
  targetGroups: TargetGroups;
  images?: ImageSource | undefined;
  schedules?: ScheduleSync | undefined;
  sleep?: ((ms: number) => Promise<void>) | undefined;
  /** Aborted at shutdown: long waits end and the work is handed back. */
  signal?: AbortSignal | undefined;
}

/** One named step. Returning nothing means "done, go on". Failures are thrown (errors.ts). */
export interface Step<S> {
  readonly name: string;
  run(d: StepDeps, s: S): Promise<StepResult | void>;
}

/** Branches run side by side, each a sequence of its own; the run goes on when all are done. */
export interface StepGroup<S> {
  readonly parallel: readonly StepList<S>[];
}

export type StepList<S> = readonly (Step<S> | StepGroup<S>)[];

/** What one "up" run knows; steps fill in the ARNs as they go. */
export interface UpState {
  readonly name: string;
  /** The record as the run found it. */
  readonly initial: EnvironmentRecord;
  /** The latest record this run wrote (or read). */
  record: EnvironmentRecord;
  readonly profile: Profile;
  readonly tags: Tag[];
  readonly host: string;
  readonly serviceName: string;
  targetGroupArn?: string;
  ruleArn?: string;
  taskDefinitionArn?: string;
  /** The service of our name in any state (ACTIVE, DRAINING, INACTIVE), before this run changed it. */
  found?: ServiceState | undefined;
  service?: ServiceState;
}

export interface DownState {
  readonly name: string;
  readonly record: EnvironmentRecord;
}

/** A value an earlier step must have set; its absence is a bug in the step order. */
export function needs<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`reconcile step order: ${what} is not known yet`);
  return value;
}
