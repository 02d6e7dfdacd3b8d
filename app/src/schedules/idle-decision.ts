import { MAX_IDLE_MINUTES, MIN_IDLE_MINUTES, type ProfileName } from '../environments/profiles.js';

/**
 * Whether a running environment should be put to sleep for lack of requests. Pure: the caller
 * reads the ALB's request counts (aws/request-metrics.ts) for the last `sleepAfterIdleMinutes`
 * and passes the total here.
 *
 * Rules (issue 15): per-profile `sleepAfterIdleMinutes` (on for `dev`, off for `stage`); never
 * within a grace period after a start, and never before the environment has been up for a whole
 * idle window (a quiet window that began before the start proves nothing); an environment can opt
 * out (apps with long-lived connections such as WebSockets, which `RequestCount` does not see);
 * missing datapoints are zero requests, but a failed metrics read is *not* idleness.
 * CloudWatch publishes ALB metrics per minute with a short delay, so a request in the last
 * minute or two may not be counted yet: the worst case is a sleep followed by a wake.
 */
export interface IdleSleepSettings {
  /** Minutes without a request before sleeping; undefined or 0 = never sleep. */
  sleepAfterIdleMinutes?: number;
  /** Minutes after a start during which the environment never sleeps. */
  graceMinutes: number;
}

export const DEFAULT_IDLE_SLEEP: Record<ProfileName, IdleSleepSettings> = {
  dev: { sleepAfterIdleMinutes: 30, graceMinutes: 15 },
  stage: { graceMinutes: 15 },
};

export { MAX_IDLE_MINUTES, MIN_IDLE_MINUTES };

export interface IdleInput {
  settings: IdleSleepSettings;
  /** The environment is running and ready (anything else is not ours to put to sleep). */
  running: boolean;
  /** When the current task started (or the environment was last woken). */
  startedAt: Date;
  /** Per-environment opt-out (`.envbot.yml` or `/env` setting). */
  optedOut: boolean;
  /** Requests in the last `sleepAfterIdleMinutes`; undefined when the metrics could not be read. */
  requestsInWindow: number | undefined;
  now: Date;
}

export type IdleDecision =
  | { sleep: true; idleMinutes: number }
  | { sleep: false; reason: 'off' | 'opted-out' | 'not-running' | 'grace' | 'metrics-unavailable' | 'active' };

export function decideIdleSleep(i: IdleInput): IdleDecision {
  const idle = i.settings.sleepAfterIdleMinutes;
  if (!idle) return { sleep: false, reason: 'off' };
  if (i.optedOut) return { sleep: false, reason: 'opted-out' };
  if (!i.running) return { sleep: false, reason: 'not-running' };
  const upMinutes = (i.now.getTime() - i.startedAt.getTime()) / 60_000;
  if (upMinutes < Math.max(i.settings.graceMinutes, idle)) return { sleep: false, reason: 'grace' };
  if (i.requestsInWindow === undefined) return { sleep: false, reason: 'metrics-unavailable' };
  if (i.requestsInWindow > 0) return { sleep: false, reason: 'active' };
  return { sleep: true, idleMinutes: idle };
}

/**
 * The profile's setting with an admin or repository override applied. Bad values are refused with
 * a message that says what is allowed (nothing is changed).
 */
export function idleSleepSettings(profile: ProfileName, override?: { sleepAfterIdleMinutes?: number | null }): IdleSleepSettings {
  const base = DEFAULT_IDLE_SLEEP[profile];
  if (!override || override.sleepAfterIdleMinutes === undefined) return base;
  const minutes = override.sleepAfterIdleMinutes;
  if (minutes === null || minutes === 0) return { graceMinutes: base.graceMinutes };
  if (!Number.isInteger(minutes) || minutes < MIN_IDLE_MINUTES || minutes > MAX_IDLE_MINUTES) {
    throw new RangeError(`sleepAfterIdleMinutes must be a whole number from ${MIN_IDLE_MINUTES} to ${MAX_IDLE_MINUTES}, or 0 to never sleep (got ${minutes})`);
  }
  return { ...base, sleepAfterIdleMinutes: minutes };
}
