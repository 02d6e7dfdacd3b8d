import type { Notifier } from '../environments/notifier-port.js';
import type { ProfileName } from '../environments/profiles.js';
import type { EnvironmentRecord } from '../environments/record.js';
import type { EnvironmentStore } from '../environments/store-port.js';

/**
 * Environments nobody has touched (`touchedAt`: the last time a person acted on one) for `idleDays`
 * get a `reaper-warning`; if still untouched `graceHours` after that warning, they are destroyed.
 * The grace is counted from the warning actually sent (`reaperWarnedAt`), not from `touchedAt`: if
 * the bot was down for a week, nobody loses an environment without having been warned first.
 * Any touch after the warning (touchedAt > reaperWarnedAt) cancels it.
 */

/** Kept on the record by the reaper; see the report: to be added to EnvironmentRecord. */
export interface ReaperFields {
  reaperWarnedAt?: string;
}
type ReapableRecord = EnvironmentRecord & ReaperFields;

export interface ReaperPolicy {
  idleDays: number;
  graceHours: number;
  /** Profiles never reaped (e.g. a long-lived `stage`). */
  exemptProfiles: ProfileName[];
}
export const DEFAULT_REAPER_POLICY: ReaperPolicy = { idleDays: 7, graceHours: 24, exemptProfiles: [] };

export type ReaperDecision =
  | { action: 'none' }
  | { action: 'warn'; destroyAt: Date }
  | { action: 'destroy'; reason: string };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Pure. */
export function decideReap(record: ReapableRecord, now: Date, policy: ReaperPolicy = DEFAULT_REAPER_POLICY): ReaperDecision {
  if (record.desired === 'deleted' || record.status === 'deleting') return { action: 'none' };
  if (policy.exemptProfiles.includes(record.profile)) return { action: 'none' };
  const touched = Date.parse(record.touchedAt);
  if (now.getTime() - touched < policy.idleDays * DAY) return { action: 'none' };
  const warnedAt = record.reaperWarnedAt ? Date.parse(record.reaperWarnedAt) : Number.NaN;
  if (Number.isNaN(warnedAt) || warnedAt < touched) {
    return { action: 'warn', destroyAt: new Date(now.getTime() + policy.graceHours * HOUR) };
  }
  if (now.getTime() - warnedAt < policy.graceHours * HOUR) return { action: 'none' };
  const idleDays = Math.floor((now.getTime() - touched) / DAY);
  return { action: 'destroy', reason: `untouched for ${idleDays} days (reaper limit ${policy.idleDays})` };
}

export interface ReaperDeps {
  store: Pick<EnvironmentStore, 'list' | 'get' | 'mutate' | 'markOnce'>;
  notifier: Notifier;
  /** Starts the teardown (the same path as `/env down`); may return before it is finished. */
  destroy: (name: string, reason: string) => Promise<void>;
  now: Date;
  policy?: Partial<ReaperPolicy>;
  onError?: (name: string, err: unknown) => void;
}

/** One pass over all environments. */
export async function runReaper(deps: ReaperDeps): Promise<{ warned: string[]; destroyed: string[] }> {
  const policy = { ...DEFAULT_REAPER_POLICY, ...deps.policy };
  const out = { warned: [] as string[], destroyed: [] as string[] };
  for (const candidate of await deps.store.list()) {
    try {
      const decision = decideReap(candidate, deps.now, policy);
      if (decision.action === 'warn' && (await warn(deps, candidate.name, policy))) out.warned.push(candidate.name);
      if (decision.action === 'destroy') {
        await deps.destroy(candidate.name, decision.reason);
        out.destroyed.push(candidate.name);
        // No notice here: the teardown announces `destroyed` (by: reaper) once everything is gone.
      }
    } catch (err) {
      deps.onError?.(candidate.name, err);
    }
  }
  return out;
}

/**
 * Records the warning and sends it, once: the decision is taken again inside the conditional write,
 * so of two replicas (or a touch in between) only one write says "warn".
 */
async function warn(deps: ReaperDeps, name: string, policy: ReaperPolicy): Promise<boolean> {
  let destroyAt: Date | undefined;
  const record = await deps.store.mutate(name, (current: ReapableRecord) => {
    const decision = decideReap(current, deps.now, policy);
    destroyAt = decision.action === 'warn' ? decision.destroyAt : undefined;
    return destroyAt ? { ...current, reaperWarnedAt: deps.now.toISOString() } : undefined;
  });
  if (!record || !destroyAt) return false;
  await deps.notifier.notify(record, { kind: 'reaper-warning', destroyAt: destroyAt.toISOString() });
  return true;
}
