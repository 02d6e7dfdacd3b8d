import { STATUS_LABEL, statusLabel } from '../../commands/render-text.js';
import type { EnvNotice } from '../../environments/notifier-port.js';
import type { EnvironmentRecord } from '../../environments/record.js';
import { activeScheduleFailure, scheduleFailureLabel } from '../../schedules/schedule-failure.js';

/** Finds envbot's living comment for one environment among a PR's comments. */
export function statusMarker(env: string): string {
  return `<!-- envbot:status:${env} -->`;
}

export type Phase = 'working' | 'ready' | 'stopped' | 'failed' | 'destroyed';

/** Everything the living PR comment shows, already decided; rendering is pure text. */
export interface StatusView {
  env: string;
  phase: Phase;
  status: string;
  url?: string;
  branch: string;
  commit?: string;
  buildSeconds?: number;
  cacheHit?: boolean;
  autoStop?: string;
  cost?: number;
  /** The latest thing that happened, one line. */
  event?: string;
  updatedAt: string;
}

const EMOJI: Record<Phase, string> = { working: '🟡', ready: '🟢', stopped: '⏸️', failed: '🔴', destroyed: '⚫' };

export function renderStatusComment(v: StatusView): string {
  const rows: [string, string][] = [
    ['URL', urlCell(v)],
    ['Status', v.status],
    ['Branch', code(v.branch)],
    // A full SHA in GitHub markdown links itself to the commit (also on GitHub Enterprise).
    ['Commit', v.commit ?? '—'],
    ['Build time', v.buildSeconds === undefined ? '—' : `${v.buildSeconds}s${v.cacheHit === undefined ? '' : v.cacheHit ? ' (dependency cache hit)' : ' (cache miss)'}`],
    ['Auto-stop', v.autoStop ?? '—'],
    ['Cost so far', v.cost === undefined ? '—' : `$${v.cost.toFixed(2)}`],
  ];
  return [
    statusMarker(v.env),
    `### ${EMOJI[v.phase]} Preview environment ${code(v.env)}: ${v.status}`,
    '',
    '| | |',
    '| --- | --- |',
    ...rows.map(([k, val]) => `| ${k} | ${cell(val)} |`),
    '',
    ...(v.event ? [`**Last event:** ${oneLine(v.event)}`, ''] : []),
    `<sub>envbot · updated ${v.updatedAt} · this comment is edited in place · \`/env help\` lists the commands</sub>`,
  ].join('\n');
}

function urlCell(v: StatusView): string {
  switch (v.phase) {
    case 'ready':
      return v.url ?? '—';
    case 'working':
      return v.url ? `${v.url} (updating)` : '(available once it is ready)';
    case 'stopped':
      return `(stopped — \`/env start ${v.env}\` brings it back)`;
    case 'failed':
      return '(not live)';
    case 'destroyed':
      return '(destroyed)';
  }
}

/** The record as it is now, plus what just happened, as a view. */
export function statusViewFor(
  record: EnvironmentRecord,
  input: { notice?: EnvNotice; event?: string; commit?: string; autoStop?: string; cost?: number; now: Date },
): StatusView {
  const destroyed = input.notice?.kind === 'destroyed';
  const event = input.event ?? (input.notice ? describeNotice(record.name, input.notice) : undefined);
  const commit = record.commit ?? input.commit;
  return {
    env: record.name,
    phase: destroyed ? 'destroyed' : phaseOf(record),
    status: destroyed ? 'destroyed' : withScheduleFailure(statusLabel(record), record),
    ...(record.url && { url: record.url }),
    branch: record.branch,
    ...(commit && { commit }),
    ...(record.lastBuildSeconds !== undefined && { buildSeconds: record.lastBuildSeconds }),
    ...(record.lastBuildCacheHit !== undefined && { cacheHit: record.lastBuildCacheHit }),
    ...(!destroyed && input.autoStop && { autoStop: input.autoStop }),
    ...(input.cost !== undefined && { cost: input.cost }),
    ...(event && { event }),
    updatedAt: input.now.toISOString(),
  };
}

/** "ready · auto-stop failed": a failed schedule shows next to the status, never instead of it. */
function withScheduleFailure(status: string, record: EnvironmentRecord): string {
  const failure = activeScheduleFailure(record);
  return failure ? `${status} · ${scheduleFailureLabel(failure)}` : status;
}

function phaseOf(record: EnvironmentRecord): Phase {
  if (record.status === 'ready') return 'ready';
  if (record.status === 'stopped') return 'stopped';
  if (record.status === 'failed') return 'failed';
  return 'working';
}

/** One line per notice, for the "Last event" line. */
export function describeNotice(env: string, n: EnvNotice): string {
  switch (n.kind) {
    case 'progress':
      return { queued: 'Queued.', building: 'Building the image…', deploying: 'Deploying to Fargate…', 'waiting-health': 'Waiting for the health check…' }[n.stage] + (n.detail ? ` ${n.detail}` : '');
    case 'build': {
      const log = n.logUrl ? ` ([build log](${n.logUrl}))` : '';
      return n.failed ? `Build failed after ${n.elapsedSeconds}s${log}.` : `Building: ${n.phase.toLowerCase()} (${n.elapsedSeconds}s)${log}.`;
    }
    case 'ready':
      return `Ready at ${n.url}.`;
    case 'failed':
      return `Failed: ${n.reason}${n.hint ? ` — ${n.hint}` : ''}.`;
    case 'stopped':
      return { user: 'Stopped on request.', schedule: 'Stopped by the nightly schedule.', reaper: 'Stopped because nobody used it.' }[n.by];
    case 'started':
      return n.by === 'schedule' ? 'Started by the morning schedule.' : 'Started on request.';
    case 'destroyed':
      return {
        user: 'Destroyed on request.',
        'pr-closed': 'Destroyed because the pull request was closed.',
        'branch-deleted': 'Destroyed because the branch was deleted.',
        reaper: 'Destroyed because nobody used it.',
      }[n.by];
    case 'spot-interruption':
      return 'Fargate Spot reclaimed the task; a replacement is starting.';
    case 'capacity-fallback':
      return n.to === 'FARGATE' ? 'No Spot capacity: running on on-demand Fargate for now.' : 'Back on Fargate Spot.';
    case 'schedule-failed':
      return `Auto-${n.action} failed: ${n.reason} — \`/env ${n.action} ${env}\` does it by hand.`;
    case 'auto-stop-warning':
      return `Stops automatically at ${n.stopAt} — \`/env extend ${env} 2h\` postpones it.`;
    case 'reaper-warning':
      return `Unused: will be destroyed at ${n.destroyAt} unless someone uses it.`;
    case 'extended':
      return `Auto-stop postponed until ${n.until}.`;
    case 'config-changed':
      return `Config changed (${n.keys.join(', ')}); rolling out.`;
  }
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

function cell(text: string): string {
  return oneLine(text).replace(/\|/g, '\\|');
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}
