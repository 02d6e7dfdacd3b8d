import type { CommandContext } from '../commands/context.js';
import { age, statusLabel } from '../commands/render-text.js';
import { isAsleep, type EnvironmentRecord, type EnvStatus } from '../environments/record.js';
import { ownerOf } from '../commands/actor.js';
import type { EnvironmentStore } from '../environments/store-port.js';
import { localTime } from './notice-text.js';
import { activeScheduleFailure, scheduleFailureLabel } from '../schedules/schedule-failure.js';

/** One environment as the dashboard shows it: no ARNs or report targets, only what people read. */
export interface EnvRow {
  name: string;
  owner: string;
  branch: string;
  status: EnvStatus;
  statusLabel: string;
  statusReason?: string;
  /** Local mode: what the status does *not* mean, e.g. "emulated — nothing is really running". */
  emulatedNote?: string;
  url?: string;
  createdAt: string;
  age: string;
  /** Display text of the next auto-stop, when schedules are configured. */
  autoStop?: string;
  autoStopNote?: string;
  /** Dollars so far; undefined when cost tracking is not configured. */
  cost?: number;
  actions: Action[];
}

export type Action = 'open' | 'stop' | 'start' | 'retry' | 'extend' | 'destroy';

/** The same buttons, in the same states, as the Slack message (slack/render/buttons.ts). */
export function actionsFor(record: EnvironmentRecord): Action[] {
  // An asleep environment's URL is worth opening: the first request wakes it.
  const open: Action[] = (record.status === 'ready' || isAsleep(record)) && record.url ? ['open'] : [];
  if (record.desired === 'deleted' || record.status === 'deleting') return open;
  switch (record.status) {
    case 'ready':
      return [...open, 'stop', 'extend', 'destroy'];
    case 'stopping':
    case 'stopped':
      return [...open, 'start', 'destroy'];
    case 'failed':
      return ['retry', 'destroy'];
    default:
      return ['stop', 'extend', 'destroy'];
  }
}

/** Statuses the emulator "reaches" without anything real behind them. */
const EMULATED_NOTE: Partial<Record<EnvStatus, string>> = {
  ready: 'emulated — nothing is really running',
  'waiting-health': 'emulated — no health check really runs',
  deploying: 'emulated — no container is really started',
  stopped: 'emulated',
};

export interface RowSources {
  store: Pick<EnvironmentStore, 'list'>;
  ctx: Pick<CommandContext, 'extendPort' | 'costPort'>;
  local: boolean;
  now: Date;
  timezone: string;
  /** Cost look-ups are cached: they change slowly and the feed refreshes every 2 s. */
  costCache?: CostCache;
}

export async function buildRows(s: RowSources): Promise<EnvRow[]> {
  const records = (await s.store.list())
    .filter((r) => r.desired !== 'deleted' || r.status === 'deleting')
    .sort((a, b) => a.name.localeCompare(b.name));
  return Promise.all(records.map((r) => toRow(r, s)));
}

async function toRow(r: EnvironmentRecord, s: RowSources): Promise<EnvRow> {
  const cost = await costOf(r.name, s);
  const autoStop = r.autoStopPostponedUntil ? `postponed until ${localTime(r.autoStopPostponedUntil, s.timezone)}` : s.ctx.extendPort?.nextStop?.(r, s.now);
  const running = r.desired === 'running' && r.status !== 'failed';
  return {
    name: r.name,
    // Door-qualified, so records written before ids carried their door still count as "mine".
    owner: ownerOf(r),
    branch: r.branch,
    status: r.status,
    statusLabel: statusLabel(r),
    ...(statusReasonOf(r) && { statusReason: statusReasonOf(r) }),
    ...(s.local && EMULATED_NOTE[r.status] && { emulatedNote: EMULATED_NOTE[r.status] }),
    ...(r.url && { url: r.url }),
    createdAt: r.createdAt,
    age: age(r.createdAt, s.now),
    ...(autoStop && running && { autoStop }),
    ...(autoStop && running && s.local && { autoStopNote: 'schedules never fire locally' }),
    ...(cost !== undefined && { cost }),
    actions: actionsFor(r),
  };
}

/** The record's reason, plus a failed auto-stop/start that still matters. */
function statusReasonOf(r: EnvironmentRecord): string | undefined {
  const failure = activeScheduleFailure(r);
  const failed = failure && `${scheduleFailureLabel(failure)}: ${failure.reason}`;
  return [r.statusReason, failed].filter(Boolean).join(' · ') || undefined;
}

async function costOf(name: string, s: RowSources): Promise<number | undefined> {
  const port = s.ctx.costPort;
  if (!port?.costSoFar) return undefined;
  const cached = s.costCache?.get(name, s.now);
  if (cached !== undefined) return cached;
  const cost = await port.costSoFar(name, s.now).catch(() => undefined);
  if (cost !== undefined) s.costCache?.set(name, cost, s.now);
  return cost;
}

export class CostCache {
  private readonly entries = new Map<string, { cost: number; at: number }>();
  constructor(private readonly ttlMs = 60_000) {}

  get(name: string, now: Date): number | undefined {
    const e = this.entries.get(name);
    return e && now.getTime() - e.at < this.ttlMs ? e.cost : undefined;
  }

  set(name: string, cost: number, now: Date): void {
    // Names of destroyed environments would pile up over months; a full reset is cheap.
    if (this.entries.size > 1000) this.entries.clear();
    this.entries.set(name, { cost, at: now.getTime() });
  }
}
