import { STATUS_LABEL } from '../commands/render-text.js';
import type { EnvNotice } from '../environments/notifier-port.js';
import { isAsleep, type EnvironmentRecord } from '../environments/record.js';
import { formatLocal } from '../schedules/schedule-plan.js';

/**
 * One line per engine notice for the dashboard's activity log. Locally, outcomes the emulator only
 * pretends (a service "ready", a schedule) say so instead of reading like the real thing.
 */
export function noticeText(record: EnvironmentRecord, notice: EnvNotice, o: { local: boolean; timezone: string }): string | undefined {
  const { local } = o;
  const n = record.name;
  const when = (iso: string) => localTime(iso, o.timezone);
  const emulated = local ? ' (emulated — nothing is really running)' : '';
  switch (notice.kind) {
    case 'progress':
      return `${n}: ${STATUS_LABEL[notice.stage]}${notice.detail ? ` — ${notice.detail}` : ''}`;
    case 'ready':
      return `${n} is ready at ${notice.url}${emulated}`;
    case 'failed':
      return `${n} failed: ${notice.reason}${notice.hint ? ` — ${notice.hint}` : ''}`;
    case 'stopped':
      return isAsleep(record) ? `${n} is asleep (no requests for a while); the next request wakes it` : `${n} stopped (by ${notice.by})`;
    case 'started':
      return `${n} started (by ${notice.by})${emulated}`;
    case 'destroyed':
      return `${n} was destroyed`;
    case 'spot-interruption':
      return `${n}: Spot capacity was reclaimed; a replacement task is starting`;
    case 'capacity-fallback':
      return `${n} now runs on ${notice.to === 'FARGATE' ? 'on-demand Fargate (Spot unavailable)' : 'Fargate Spot again'}`;
    case 'schedule-failed':
      return `${n}: auto-${notice.action} failed — ${notice.reason}`;
    case 'auto-stop-warning':
      return `${n} stops at ${when(notice.stopAt)}${local ? ' (schedules never fire locally)' : ''}`;
    case 'reaper-warning':
      return `${n} is idle and will be destroyed at ${when(notice.destroyAt)}`;
    case 'build':
      return notice.failed ? `${n}: build failed in ${notice.phase}` : `${n}: build ${notice.phase} (${notice.elapsedSeconds}s)`;
    case 'extended':
      return `${n}: auto-stop postponed until ${when(notice.until)}${local ? ' (schedules never fire locally)' : ''}`;
    case 'config-changed':
      return `${n}: config changed (${notice.keys.join(', ')})`;
  }
}

/** ISO instants read as local wall-clock time in the bot's zone, like the Slack messages. */
export function localTime(iso: string, timezone: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : formatLocal(at, timezone);
}
