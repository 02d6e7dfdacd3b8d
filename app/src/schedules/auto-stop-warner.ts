import type { Notifier } from '../environments/notifier-port.js';
import type { EnvironmentRecord } from '../environments/record.js';
import type { EnvironmentStore } from '../environments/store-port.js';
import { nextStop, WARNING_MINUTES, type AutoStopProfile } from './schedule-plan.js';

/**
 * Periodic check (every minute or so): environments whose scheduled stop is ≤ 15 minutes away get
 * one `auto-stop-warning` notice per stop (front ends add the "keep until …" button). The stop itself
 * does not depend on this: it is a Scheduler schedule and happens even if the bot is down.
 * One notice per environment and stop instant, across restarts and replicas: `markOnce` keyed by
 * `<env>#<stop-iso>`. An extension moves the stop, so the new stop gets its own warning.
 */

export interface AutoStopWarnerDeps {
  store: Pick<EnvironmentStore, 'list' | 'markOnce'>;
  notifier: Notifier;
  profileOf: (record: EnvironmentRecord) => AutoStopProfile;
  timezone: string;
  warningMinutes?: number;
  onError?: (name: string, err: unknown) => void;
}

/** Pure: the stop to warn about now, if any. */
export function stopToWarnAbout(
  record: EnvironmentRecord,
  profile: AutoStopProfile,
  timezone: string,
  now: Date,
  warningMinutes = WARNING_MINUTES,
): Date | undefined {
  if (record.desired !== 'running' || ['stopping', 'stopped', 'deleting'].includes(record.status)) return undefined;
  const stop = nextStop(
    { env: record.name, profile, timezone, ...(record.autoStopPostponedUntil && { postponedUntil: record.autoStopPostponedUntil }) },
    now,
  );
  if (!stop) return undefined;
  return stop.getTime() - now.getTime() <= warningMinutes * 60_000 ? stop : undefined;
}

/** One pass; returns the names warned. */
export async function warnUpcomingStops(deps: AutoStopWarnerDeps, now: Date): Promise<string[]> {
  const warned: string[] = [];
  for (const record of await deps.store.list()) {
    try {
      const stop = stopToWarnAbout(record, deps.profileOf(record), deps.timezone, now, deps.warningMinutes);
      if (!stop) continue;
      // Kept a day past the stop: long enough that no later pass can warn about the same stop again.
      const ttl = Math.ceil((stop.getTime() - now.getTime()) / 1000) + 86400;
      if (!(await deps.store.markOnce('autostop-warning', `${record.name}#${stop.toISOString()}`, ttl))) continue;
      await deps.notifier.notify(record, { kind: 'auto-stop-warning', stopAt: stop.toISOString() });
      warned.push(record.name);
    } catch (err) {
      deps.onError?.(record.name, err);
    }
  }
  return warned;
}

/** Runs `warnUpcomingStops` every `intervalMs` until the signal aborts. The clock is injected. */
export function startAutoStopWarner(
  deps: AutoStopWarnerDeps,
  opts: { clock: () => Date; intervalMs?: number; signal: AbortSignal; onPassError?: (err: unknown) => void },
): Promise<void> {
  return new Promise((resolve) => {
    if (opts.signal.aborted) return resolve();
    const tick = () => {
      warnUpcomingStops(deps, opts.clock()).catch((err) => opts.onPassError?.(err));
    };
    const timer = setInterval(tick, opts.intervalMs ?? 60_000);
    tick();
    opts.signal.addEventListener(
      'abort',
      () => {
        clearInterval(timer);
        resolve();
      },
      { once: true },
    );
  });
}
