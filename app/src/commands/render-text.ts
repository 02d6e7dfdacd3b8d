import { ownerOf } from './actor.js';
import { isAsleep, type EnvironmentRecord, type EnvStatus } from '../environments/record.js';
import { activeScheduleFailure, scheduleFailureLabel } from '../schedules/schedule-failure.js';

/** Plain-text renderings shared by the CLI, the dashboard's command box and PR comments. */

export const STATUS_LABEL: Record<EnvStatus, string> = {
  queued: 'queued',
  building: 'building',
  deploying: 'deploying',
  'waiting-health': 'waiting for health check',
  ready: 'ready',
  stopping: 'stopping',
  stopped: 'stopped',
  deleting: 'being destroyed',
  failed: 'failed',
};

/** An idle-sleep stop shows as asleep (issue 15); everything else by its status. */
export const statusLabel = (r: EnvironmentRecord): string => (isAsleep(r) ? 'asleep' : STATUS_LABEL[r.status]);

export function age(fromIso: string, now: Date = new Date()): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - Date.parse(fromIso)) / 60_000));
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}

export function renderList(records: EnvironmentRecord[], mine: boolean, now: Date = new Date()): string {
  if (records.length === 0) {
    return mine ? 'You have no environments. Create one with `/env up <name>`.' : 'No environments yet. Create one with `/env up <name>`.';
  }
  const rows = records.map((r) => {
    const where = r.url && (r.status === 'ready' || isAsleep(r)) ? r.url : statusLabel(r);
    return `• ${r.name} — ${statusLabel(r)} — ${ownerOf(r)} — ${r.branch} — ${age(r.createdAt, now)}${where !== statusLabel(r) ? ` — ${where}` : ''}`;
  });
  return [`${records.length} environment${records.length === 1 ? '' : 's'}:`, ...rows].join('\n');
}

export function renderStatus(r: EnvironmentRecord, extra: { nextStop?: string; cost?: number } = {}, now: Date = new Date()): string {
  const lines = [
    `*${r.name}* — ${statusLabel(r)}${isAsleep(r) ? ' (no requests for a while; the next request wakes it)' : r.statusReason ? ` (${r.statusReason})` : ''}`,
    `URL: ${r.url ?? '(not yet)'}`,
    `Owner: ${ownerOf(r)} · branch ${r.branch}${r.commit ? ` @ ${r.commit.slice(0, 7)}` : ''}`,
    `Profile: ${r.profile} · size ${r.size}${r.onDemandFallback ? ' · on-demand (Spot unavailable)' : ''}`,
    `Image: ${r.image ?? '(not chosen yet)'}`,
    `Age: ${age(r.createdAt, now)} · last change ${age(r.updatedAt, now)} ago`,
  ];
  if (r.lastBuildSeconds !== undefined) {
    lines.push(`Last build: ${r.lastBuildSeconds}s${r.lastBuildCacheHit === undefined ? '' : r.lastBuildCacheHit ? ' (dependency cache hit)' : ' (cache miss)'}`);
  }
  if (r.autoStopPostponedUntil) lines.push(`Auto-stop postponed until ${r.autoStopPostponedUntil}`);
  else if (extra.nextStop) lines.push(`Auto-stop: ${extra.nextStop}`);
  if (extra.cost !== undefined) lines.push(`Cost so far: $${extra.cost.toFixed(2)}`);
  const failure = activeScheduleFailure(r);
  if (failure) lines.push(`${capitalize(scheduleFailureLabel(failure))} (${failure.at}): ${failure.reason}`);
  return lines.join('\n');
}

function capitalize(text: string): string {
  return `${text[0]!.toUpperCase()}${text.slice(1)}`;
}
