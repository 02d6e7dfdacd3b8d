import type { ProfileName, ProtectionMode } from './profiles.js';
import type { SizeName } from './sizes.js';

/** What the user asked for. `deleted` means "tear everything down, then forget the record". */
export type DesiredState = 'running' | 'stopped' | 'deleted';

/** What the reconciler last observed; shown to users. */
export type EnvStatus =
  | 'queued'
  | 'building'
  | 'deploying'
  | 'waiting-health'
  | 'ready'
  | 'stopping'
  | 'stopped'
  | 'deleting'
  | 'failed';

export type Source = 'slack' | 'github' | 'cli' | 'dashboard' | 'schedule' | 'system';

/** Where progress and later events for an environment are reported. */
export interface ReportTargets {
  slack?: { channel: string; threadTs?: string; messageTs?: string };
  github?: { owner: string; repo: string; pr: number; commentId?: number; deploymentId?: number };
}

/** A schedule invocation that failed (reported by Scheduler on its dead-letter queue). */
export interface ScheduleFailure {
  action: 'stop' | 'start';
  /** The schedule's name, e.g. envbot-feature-x-stop. */
  schedule: string;
  reason: string;
  /** When it was due, or when the failure arrived (ISO). */
  at: string;
}

/**
 * How an environment came to be. GitHub events (a PR closing, a branch pushed or deleted) act only
 * on environments created through GitHub by that very PR or branch in that repository.
 */
export interface RecordOrigin {
  door: Source;
  /** `branch` is absent for a fork's PR: its branch lives in another repository. */
  github?: { owner: string; repo: string; pr?: number; branch?: string };
}

export interface EnvironmentRecord {
  name: string;
  owner: string;
  branch: string;
  commit?: string;
  image?: string;
  /** The user gave `--image`: deploy exactly that, never build. */
  imagePinned?: boolean;
  profile: ProfileName;
  size: SizeName;
  /** Per-repository app settings (e.g. from `.envbot.yml`), within the limits the bot allows. */
  appSettings?: {
    containerPort?: number;
    healthCheckPath?: string;
    /** Front door (issue 15): `.envbot.yml` asks, the `up` command grants within the admin's limits (repo-front-door.ts). */
    protection?: ProtectionMode;
    /** 0 = never sleep. */
    sleepAfterIdleMinutes?: number;
    /** false = opted out of idle sleep (as asked; the grant sets the record's idleSleepOptOut). */
    idleSleep?: boolean;
  };
  desired: DesiredState;
  status: EnvStatus;
  statusReason?: string;
  url?: string;
  source: Source;
  /** Absent on records from before it was recorded: see `originOf`. */
  origin?: RecordOrigin;
  report: ReportTargets;
  /** Listener rule priority claimed for this environment (unique per listener). */
  rulePriority?: number;
  /** ARNs the reconciler created, cached to save look-ups; the truth is always AWS. */
  targetGroupArn?: string;
  ruleArn?: string;
  taskDefinitionArn?: string;
  serviceArn?: string;
  /** Spot → on-demand fallback in force (set by the Spot-resilience path). */
  onDemandFallback?: boolean;
  /** Tonight's auto-stop postponed until this instant (ISO). */
  autoStopPostponedUntil?: string;
  /** The last scheduled stop/start that failed; shown while it still matters (activeScheduleFailure). */
  scheduleFailure?: ScheduleFailure;
  /**
   * Why it was last stopped (set with desired = stopped): `idle` is idle sleep, shown as `asleep`
   * (see shownStatus); a request may wake `idle` and `schedule` stops, and `user` stops only where
   * the profile allows (wakeAfterUserStop). Absent on older records = `user`.
   */
  stopReason?: StopReason;
  /** When the current task was last started or woken (ISO): the idle-sleep grace counts from here. */
  startedAt?: string;
  /** This environment never sleeps when idle (`.envbot.yml` idleSleep: false, e.g. WebSockets). */
  idleSleepOptOut?: boolean;
  /** Why it is being destroyed, for the final notice. */
  destroyReason?: 'user' | 'pr-closed' | 'branch-deleted' | 'reaper';
  lastBuildSeconds?: number;
  lastBuildCacheHit?: boolean;
  createdAt: string;
  updatedAt: string;
  /** Last time a person acted on it (the reaper's clock). */
  touchedAt: string;
  /** Optimistic-concurrency version; every write is conditional on it. */
  version: number;
}

export type StopReason = 'idle' | 'user' | 'schedule';

/** What users see: a stop by idle sleep is `asleep` (it wakes on the next request), the rest as stored. */
export type ShownStatus = EnvStatus | 'asleep';

export function isAsleep(record: Pick<EnvironmentRecord, 'desired' | 'status' | 'stopReason'>): boolean {
  return record.desired === 'stopped' && record.stopReason === 'idle' && record.status === 'stopped';
}

export function shownStatus(record: Pick<EnvironmentRecord, 'desired' | 'status' | 'stopReason'>): ShownStatus {
  return isAsleep(record) ? 'asleep' : record.status;
}

/** May a request wake this stopped environment? Idle and scheduled stops yes; an explicit stop per profile. */
export function wakeableByRequest(record: Pick<EnvironmentRecord, 'desired' | 'stopReason'>, profile: { wakeAfterUserStop?: boolean }): boolean {
  if (record.desired !== 'stopped') return false;
  const reason = record.stopReason ?? 'user';
  return reason !== 'user' || profile.wakeAfterUserStop === true;
}

export function isSettled(record: EnvironmentRecord): boolean {
  if (record.desired === 'running') return record.status === 'ready';
  if (record.desired === 'stopped') return record.status === 'stopped';
  return false;
}

/**
 * The record's origin; older records migrate on read: one made through GitHub was made by the PR
 * it reports to (only PR comments and PR events created environments there).
 */
export function originOf(record: EnvironmentRecord): RecordOrigin {
  if (record.origin) return record.origin;
  const gh = record.report.github;
  if (record.source === 'github' && gh) return { door: 'github', github: { owner: gh.owner, repo: gh.repo, pr: gh.pr, branch: record.branch } };
  return { door: record.source };
}
