import type { EnvNotice, Notifier } from '../environments/notifier-port.js';
import type { EnvironmentRecord } from '../environments/record.js';
import type { EnvironmentStore } from '../environments/store-port.js';
import { scheduledActionNear, type AutoStopProfile } from '../schedules/schedule-plan.js';
import { PLACEMENT_FAILURE, type EcsEvent, type ServiceActionEvent, type TaskEvent } from '../environments/task-event.js';

/**
 * Applies ECS task state changes to the environment record, so its status stays true even when ECS
 * changed on its own (Spot reclaim, nightly schedule, crash), and drives the Spot → on-demand fallback.
 *
 * Telling a scheduled stop from anything else: every change the bot makes writes `desired` first
 * (stop → desired `stopped`, start/up → desired `running`). So when ECS scales a service in
 * (stopCode ServiceSchedulerInitiated, not a health-check replacement) while the record still says
 * desired `running` and status `ready`, the change did not come from the bot — it came from the
 * schedule (or a person in the console, which we then treat alike). The optional `isScheduled`
 * check narrows it further to "a stop/start schedule was due a few minutes ago", which rules out
 * e.g. a console redeploy. Symmetrically, a task RUNNING while the record says desired `stopped` /
 * status `stopped` is the morning start schedule.
 *
 * Delivery is at least once and unordered (standard SQS): state changes are idempotent, stale
 * events are ignored (`currentTaskArn`, `lastTaskEventAt`), hooks must be idempotent by event id,
 * and user-facing notices go out once per event id (`markOnce('task-event', id)`).
 */

/** Kept on the record by this module; see the report: to be added to EnvironmentRecord. */
export interface TaskTrackingFields {
  /** Task now serving the environment; a STOPPED event of an older task changes nothing. */
  currentTaskArn?: string;
  /** Newest event applied; an older RUNNING event delivered late is ignored. */
  lastTaskEventAt?: string;
  /** Recent Spot capacity failures (event id + time) for the fallback decision. */
  capacityFailures?: { id: string; at: string }[];
  /** When the on-demand fallback began; return to Spot counts from here. */
  onDemandSince?: string;
}
export type TrackedRecord = EnvironmentRecord & TaskTrackingFields;

/** Extra consumers of every task event (the cost ledger). Must be idempotent by `event.id`. */
export type TaskEventHook = (event: TaskEvent, record: EnvironmentRecord | undefined) => Promise<void>;
export type ScheduleCheck = (kind: 'stop' | 'start', record: EnvironmentRecord, at: Date) => boolean;

export interface CapacityPolicy {
  /** Spot capacity failures within `windowMinutes` before switching to on-demand. */
  failuresBeforeFallback: number;
  windowMinutes: number;
  /** How long to stay on on-demand before trying Spot again. */
  returnAfterMinutes: number;
}
export const DEFAULT_CAPACITY_POLICY: CapacityPolicy = { failuresBeforeFallback: 2, windowMinutes: 15, returnAfterMinutes: 180 };

export interface Decision {
  /** The new record, or undefined if nothing changes. */
  record?: TrackedRecord;
  notices: EnvNotice[];
  /** Switch the service to on-demand now. */
  fallback: boolean;
}

const NOTHING: Decision = { notices: [], fallback: false };
const CAPACITY_REASON = /capacity/i;
const HEALTH_REASON = /health/i;

/** Pure: what one event means for one record. */
export function decideTaskEvent(
  record: TrackedRecord,
  event: TaskEvent,
  opts: { policy?: CapacityPolicy; isScheduled?: ScheduleCheck } = {},
): Decision {
  if (record.desired === 'deleted' || record.status === 'deleting') return NOTHING;
  const policy = opts.policy ?? DEFAULT_CAPACITY_POLICY;
  const at = new Date(event.at);
  const scheduled = (kind: 'stop' | 'start') => opts.isScheduled?.(kind, record, at) ?? true;
  const notices: EnvNotice[] = event.stopCode === 'SpotInterruption' ? [{ kind: 'spot-interruption' }] : [];
  const next: TrackedRecord = { ...record, lastTaskEventAt: maxIso(record.lastTaskEventAt, event.at) };

  if (event.lastStatus === 'STOPPED' && isSpotCapacityFailure(event, record)) {
    const since = at.getTime() - policy.windowMinutes * 60_000;
    const failures = (record.capacityFailures ?? []).filter((f) => Date.parse(f.at) >= since && f.id !== event.id);
    failures.push({ id: event.id, at: event.at });
    next.capacityFailures = failures;
    next.statusReason = `Fargate Spot capacity is unavailable (${failures.length}× in ${policy.windowMinutes} min)`;
    return { record: next, notices, fallback: failures.length >= policy.failuresBeforeFallback };
  }

  if (event.lastStatus === 'RUNNING' && event.desiredStatus === 'RUNNING') return decideRunning(record, event, next, notices, scheduled);

  return decideStopping(record, event, next, notices, scheduled);
}

type Scheduled = (kind: 'stop' | 'start') => boolean;

/** A task reached RUNNING: the environment is ready, or the morning schedule started it. */
function decideRunning(record: TrackedRecord, event: TaskEvent, next: TrackedRecord, notices: EnvNotice[], scheduled: Scheduled): Decision {
  if (record.lastTaskEventAt && event.at < record.lastTaskEventAt) return { notices, fallback: false };
  next.currentTaskArn = event.taskArn;
  if (record.desired === 'running' && record.status !== 'building') {
    return { record: { ...next, status: 'ready', statusReason: undefined }, notices, fallback: false };
  }
  if (record.desired === 'stopped' && record.status === 'stopped' && scheduled('start')) {
    notices.push({ kind: 'started', by: 'schedule' });
    return {
      record: { ...next, desired: 'running', status: 'ready', statusReason: 'started by the morning schedule', stopReason: undefined, startedAt: event.at },
      notices,
      fallback: false,
    };
  }
  return { record: next, notices, fallback: false };
}

/** A task is stopping or stopped: Spot reclaimed it, the nightly schedule scaled in, or it crashed. */
function decideStopping(record: TrackedRecord, event: TaskEvent, next: TrackedRecord, notices: EnvNotice[], scheduled: Scheduled): Decision {
  const stopping = event.desiredStatus === 'STOPPED' || event.lastStatus === 'STOPPED';
  const current = !record.currentTaskArn || record.currentTaskArn === event.taskArn;
  if (!stopping || !current) return { notices, fallback: false };
  const terminal = event.lastStatus === 'STOPPED';

  if (event.stopCode === 'SpotInterruption') {
    if (record.desired !== 'running') return { record: next, notices, fallback: false };
    const reason = 'Fargate Spot reclaimed the task; ECS is starting a replacement';
    return { record: { ...next, status: 'waiting-health', statusReason: reason }, notices, fallback: false };
  }
  if (isScaleIn(event) && record.desired === 'running' && (record.status === 'ready' || record.status === 'waiting-health') && scheduled('stop')) {
    notices.push({ kind: 'stopped', by: 'schedule' });
    const postponed = record.autoStopPostponedUntil && record.autoStopPostponedUntil <= event.at ? undefined : record.autoStopPostponedUntil;
    return {
      record: { ...next, desired: 'stopped', status: terminal ? 'stopped' : 'stopping', statusReason: 'stopped by the nightly schedule', stopReason: 'schedule', autoStopPostponedUntil: postponed },
      notices,
      fallback: false,
    };
  }
  if (record.desired === 'stopped') {
    return { record: { ...next, status: terminal ? 'stopped' : 'stopping' }, notices, fallback: false };
  }
  if (terminal) {
    // Crash, failed health check, StopTask by a person: the service starts a replacement.
    const reason = `task stopped: ${event.stoppedReason ?? event.stopCode ?? 'no reason given'}`;
    return { record: { ...next, status: 'waiting-health', statusReason: reason }, notices, fallback: false };
  }
  return { record: next, notices, fallback: false };
}

/**
 * Pure: a service could not place a task. On Fargate Spot that is the capacity shortage itself —
 * ECS creates no task (so no task event comes) and keeps retrying — so it switches to on-demand
 * at once. Already on on-demand, or not meant to run: nothing to do.
 */
export function decideServiceEvent(record: TrackedRecord, event: ServiceActionEvent): Decision {
  if (event.eventName !== PLACEMENT_FAILURE) return NOTHING;
  if (record.desired !== 'running' || record.status === 'deleting' || record.onDemandFallback) return NOTHING;
  const next: TrackedRecord = {
    ...record,
    capacityFailures: [...(record.capacityFailures ?? []).filter((f) => f.id !== event.id), { id: event.id, at: event.at }],
    statusReason: `ECS could not place a task (${event.reason ?? 'no reason given'}): Fargate Spot has no capacity`,
  };
  return { record: next, notices: [], fallback: true };
}

/** Pure: has the environment been on on-demand long enough to try Spot again? */
export function shouldReturnToSpot(record: TrackedRecord, now: Date, policy: CapacityPolicy = DEFAULT_CAPACITY_POLICY): boolean {
  if (!record.onDemandFallback || record.desired === 'deleted') return false;
  const since = record.onDemandSince ? Date.parse(record.onDemandSince) : Number.NaN;
  // No start time known (e.g. set by hand): return now rather than stay on on-demand forever.
  return Number.isNaN(since) || now.getTime() - since >= policy.returnAfterMinutes * 60_000;
}

/** Builds the `isScheduled` check from the schedule plan. */
export function scheduleMatcher(opts: {
  profileOf: (record: EnvironmentRecord) => AutoStopProfile;
  timezone: string;
  toleranceMinutes?: number;
}): ScheduleCheck {
  return (kind, record, at) =>
    scheduledActionNear(
      kind,
      {
        env: record.name,
        profile: opts.profileOf(record),
        timezone: opts.timezone,
        ...(record.autoStopPostponedUntil && { postponedUntil: record.autoStopPostponedUntil }),
      },
      at,
      opts.toleranceMinutes,
    );
}

export interface TaskEventHandlerDeps {
  store: Pick<EnvironmentStore, 'mutate' | 'markOnce'>;
  notifier: Notifier;
  /** Switches the ECS service between FARGATE_SPOT (false) and on-demand FARGATE (true). */
  applyCapacity: (name: string, onDemand: boolean) => Promise<void>;
  onTaskEvent?: TaskEventHook[];
  isScheduled?: ScheduleCheck;
  capacity?: Partial<CapacityPolicy>;
  /** How long event ids are remembered for deduplication (SQS retention is at most 14 days). */
  dedupeTtlSeconds?: number;
  /** Reconcile the environment: a schedule's stop or start moves its host between the waking door and the app. */
  kick?: (name: string) => void;
}

export type TaskEventOutcome = 'applied' | 'duplicate' | 'foreign' | 'unknown-env';

export class TaskEventHandler {
  /** The lead attaches the cost ledger here. */
  readonly onTaskEvent: TaskEventHook[];
  private readonly policy: CapacityPolicy;

  constructor(private readonly deps: TaskEventHandlerDeps) {
    this.onTaskEvent = [...(deps.onTaskEvent ?? [])];
    this.policy = { ...DEFAULT_CAPACITY_POLICY, ...deps.capacity };
  }

  async handle(event: EcsEvent): Promise<TaskEventOutcome> {
    if (!event.env) return 'foreign';
    const env = event.env;
    const service = 'kind' in event ? event : undefined;
    let decision: Decision = NOTHING;
    let record = await this.deps.store.mutate(env, (current) => {
      decision = service
        ? decideServiceEvent(current, service)
        : decideTaskEvent(current, event as TaskEvent, { policy: this.policy, ...(this.deps.isScheduled && { isScheduled: this.deps.isScheduled }) });
      return decision.record && changed(current, decision.record) ? decision.record : undefined;
    });
    const notices = [...decision.notices];
    if (record && notices.some((n) => (n.kind === 'stopped' || n.kind === 'started') && n.by === 'schedule')) this.deps.kick?.(env);
    if (record && decision.fallback && !record.onDemandFallback) {
      // ECS first: if this throws, the message is retried and the decision is taken again.
      await this.deps.applyCapacity(env, true);
      record = await this.deps.store.mutate(env, (r: TrackedRecord) => ({
        ...r,
        onDemandFallback: true,
        onDemandSince: event.at,
        capacityFailures: [],
        statusReason: 'Fargate Spot has no capacity: running on on-demand Fargate for now',
      }));
      notices.push({ kind: 'capacity-fallback', to: 'FARGATE' });
    }
    if (!service) for (const hook of this.onTaskEvent) await hook(event as TaskEvent, record);
    if (!(await this.deps.store.markOnce('task-event', event.id, this.deps.dedupeTtlSeconds ?? 15 * 86400))) return 'duplicate';
    if (!record) return 'unknown-env';
    for (const notice of notices) {
      // Both the 2-minute warning and the final STOPPED carry SpotInterruption: tell once per task.
      if (notice.kind === 'spot-interruption' && !(await this.deps.store.markOnce('spot-interruption', (event as TaskEvent).taskArn, 86400))) continue;
      await this.deps.notifier.notify(record, notice);
    }
    return 'applied';
  }
}

/** Periodic runner: moves environments on the on-demand fallback back to Spot. Returns their names. */
export async function returnToSpot(deps: {
  store: Pick<EnvironmentStore, 'list' | 'mutate'>;
  notifier: Notifier;
  applyCapacity: (name: string, onDemand: boolean) => Promise<void>;
  now: Date;
  capacity?: Partial<CapacityPolicy>;
  onError?: (name: string, err: unknown) => void;
}): Promise<string[]> {
  const policy = { ...DEFAULT_CAPACITY_POLICY, ...deps.capacity };
  const returned: string[] = [];
  for (const candidate of await deps.store.list()) {
    if (!shouldReturnToSpot(candidate, deps.now, policy)) continue;
    try {
      await deps.applyCapacity(candidate.name, false);
      const record = await deps.store.mutate(candidate.name, (r: TrackedRecord) => ({
        ...r,
        onDemandFallback: false,
        onDemandSince: undefined,
        capacityFailures: [],
        statusReason: undefined,
      }));
      if (record) await deps.notifier.notify(record, { kind: 'capacity-fallback', to: 'FARGATE_SPOT' });
      returned.push(candidate.name);
    } catch (err) {
      // One environment failing must not keep the others on on-demand.
      deps.onError?.(candidate.name, err);
    }
  }
  return returned;
}

function isSpotCapacityFailure(event: TaskEvent, record: TrackedRecord): boolean {
  if (event.capacityProvider === 'FARGATE' || (!event.capacityProvider && record.onDemandFallback)) return false;
  return (event.stopCode === undefined || event.stopCode === 'TaskFailedToStart') && CAPACITY_REASON.test(event.stoppedReason ?? '');
}

/** The service scheduler scaled in, as opposed to replacing an unhealthy task. */
function isScaleIn(event: TaskEvent): boolean {
  return event.stopCode === 'ServiceSchedulerInitiated' && !HEALTH_REASON.test(event.stoppedReason ?? '');
}

function changed(before: EnvironmentRecord, after: EnvironmentRecord): boolean {
  return JSON.stringify(normalize(before)) !== JSON.stringify(normalize(after));
}

/** Key order and undefined values do not count as changes. */
function normalize(record: EnvironmentRecord): [string, unknown][] {
  return Object.entries(record)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => a.localeCompare(b));
}

function maxIso(a: string | undefined, b: string): string {
  return a && a > b ? a : b;
}
