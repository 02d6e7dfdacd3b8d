import type { EffectiveEntry } from '../environments/config-layers.js';
import { wakeableByRequest, type EnvironmentRecord } from '../environments/record.js';
import type { EmulatedEnvironment } from './emulated-page.js';
import type { SleepingState } from './ports.js';

/**
 * What the door and the local emulated page need from an environment record, as pure mappings
 * the composition root uses to implement WakePorts.lookup and HostRouterOptions.emulated.
 */

/** undefined = nothing to wake (no such environment, or being destroyed: the door answers 404). */
export function sleepingStateOf(record: EnvironmentRecord | undefined, profile: { wakeAfterUserStop?: boolean }): SleepingState | undefined {
  if (!record || record.desired === 'deleted' || record.status === 'deleting') return undefined;
  const base = { name: record.name, version: record.version };
  if (record.desired === 'running') return { ...base, state: record.status === 'ready' ? 'running' : 'waking', wakeable: true };
  return { ...base, state: 'asleep', wakeable: wakeableByRequest(record, profile) };
}

/** Local mode: the emulated page's content for a running environment; undefined otherwise (the door answers). */
export function emulatedViewOf(record: EnvironmentRecord | undefined, config: EffectiveEntry[]): EmulatedEnvironment | undefined {
  if (!record || record.desired !== 'running' || record.status !== 'ready') return undefined;
  return { name: record.name, branch: record.branch, image: record.image ?? '(default image)', profile: record.profile, config };
}
