import type { TaskEvent } from './task-event.js';

/** The Fargate capacity a task ran on; prices differ by it. */
export type CapacityProvider = 'FARGATE' | 'FARGATE_SPOT';

/**
 * The ledger turns ECS task state changes into running intervals, one per task.
 *
 * A task's interval is known from its own timestamps, not from when events arrive: `startedAt`
 * (present once the task reached RUNNING) and `stoppedAt` (present on STOPPED). Folding is a merge
 * keyed by task ARN that only ever adds facts, so it is idempotent (SQS redelivers) and
 * order-independent (EventBridge does not promise order): a STOPPED event seen before its RUNNING
 * event already carries `startedAt`, and a late RUNNING event adds nothing.
 *
 * Tasks that never started (STOPPED with no `startedAt`, e.g. `TaskFailedToStart`) cost nothing
 * here: Fargate bills from image pull, but the event carries no pull time and such tasks are short.
 */
export interface TaskInterval {
  env: string;
  owner?: string;
  taskArn: string;
  taskId: string;
  /** ECS cpu units (1024 = 1 vCPU) and MiB, as the task was sized. */
  cpu: number;
  memory: number;
  provider: CapacityProvider;
  /** True when no event named the capacity provider; on-demand is assumed so spend is never understated. */
  providerAssumed?: boolean;
  startedAt: string;
  /** Undefined while the task runs; such an interval is priced up to "now". */
  stoppedAt?: string;
}

export interface CostWindow {
  from: Date;
  /** Exclusive. */
  to: Date;
}

export function taskIdFromArn(taskArn: string): string {
  return taskArn.slice(taskArn.lastIndexOf('/') + 1);
}

/** What one event says about its task's interval; undefined when it says nothing billable. */
export function intervalFromEvent(event: TaskEvent, owner?: string): TaskInterval | undefined {
  if (!event.env || !event.startedAt) return undefined;
  const startedAt = normalizeIso(event.startedAt);
  const stoppedAt = event.lastStatus === 'STOPPED' ? normalizeIso(event.stoppedAt ?? event.at) : undefined;
  // A malformed timestamp is dropped rather than thrown: a poison message must not block the queue.
  if (startedAt === undefined || (event.lastStatus === 'STOPPED' && stoppedAt === undefined)) return undefined;
  const interval: TaskInterval = {
    env: event.env,
    taskArn: event.taskArn,
    taskId: taskIdFromArn(event.taskArn),
    cpu: event.cpu,
    memory: event.memory,
    provider: event.capacityProvider ?? 'FARGATE',
    startedAt,
  };
  if (owner !== undefined) interval.owner = owner;
  if (!event.capacityProvider) interval.providerAssumed = true;
  if (stoppedAt !== undefined) interval.stoppedAt = stoppedAt;
  return interval;
}

const CANONICAL_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Timestamps are kept as `Date.toISOString()` (millisecond precision, `Z`), so ISO strings sort
 * and compare as instants; the DynamoDB sort keys rely on that.
 */
export function normalizeIso(value: string): string | undefined {
  if (CANONICAL_ISO.test(value)) return value;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** Combines two views of the same task; commutative and idempotent. */
export function mergeIntervals(a: TaskInterval, b: TaskInterval): TaskInterval {
  const known = a.providerAssumed && !b.providerAssumed ? b : a;
  // Canonical ISO strings (see normalizeIso) compare as the instants they name.
  const startedAt = b.startedAt < a.startedAt ? b.startedAt : a.startedAt;
  const stoppedAt = laterOf(a.stoppedAt, b.stoppedAt);
  const owner = a.owner ?? b.owner;
  const merged: TaskInterval = {
    env: a.env,
    taskArn: a.taskArn,
    taskId: a.taskId,
    cpu: Math.max(a.cpu, b.cpu),
    memory: Math.max(a.memory, b.memory),
    provider: known.provider,
    startedAt,
  };
  if (owner !== undefined) merged.owner = owner;
  if (a.providerAssumed && b.providerAssumed) merged.providerAssumed = true;
  if (stoppedAt !== undefined) merged.stoppedAt = stoppedAt;
  return merged;
}

function laterOf(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return b > a ? b : a;
}

/**
 * Folds events (any order, duplicates allowed) into one interval per task, sorted by start time.
 * `ownerOf` supplies the owner of an environment, if known.
 */
export function foldTaskEvents(events: Iterable<TaskEvent>, ownerOf?: (env: string) => string | undefined): TaskInterval[] {
  const seen = new Set<string>();
  const byTask = new Map<string, TaskInterval>();
  for (const event of events) {
    // Merging is idempotent already; skipping known ids just saves the work.
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    const next = intervalFromEvent(event, event.env ? ownerOf?.(event.env) : undefined);
    if (!next) continue;
    const current = byTask.get(next.taskArn);
    byTask.set(next.taskArn, current ? mergeIntervals(current, next) : next);
  }
  return [...byTask.values()].sort(compareIntervals);
}

export function compareIntervals(a: TaskInterval, b: TaskInterval): number {
  return cmp(a.startedAt, b.startedAt) || cmp(a.taskArn, b.taskArn);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface ClippedInterval {
  startMs: number;
  endMs: number;
  seconds: number;
}

/**
 * The part of an interval inside [from, to), with a still-running task counted up to `now`.
 * Undefined when nothing of it falls inside.
 */
export function clipInterval(interval: TaskInterval, window: CostWindow, now: Date): ClippedInterval | undefined {
  const { startMs, endMs } = intervalMs(interval, now);
  return clipMs(startMs, endMs, window);
}

/** Start and end as epoch ms, a running task ending at `now`; parse once, clip many times. */
export function intervalMs(interval: TaskInterval, now: Date): { startMs: number; endMs: number } {
  return {
    startMs: Date.parse(interval.startedAt),
    endMs: interval.stoppedAt !== undefined ? Date.parse(interval.stoppedAt) : now.getTime(),
  };
}

export function clipMs(started: number, stopped: number, window: CostWindow): ClippedInterval | undefined {
  const startMs = Math.max(started, window.from.getTime());
  const endMs = Math.min(stopped, window.to.getTime());
  if (!(endMs > startMs)) return undefined;
  return { startMs, endMs, seconds: (endMs - startMs) / 1000 };
}
