import type { Actor } from '../engine/actor.js';
import type { EnvironmentRecord } from '../environments/record.js';
import type { GitHubDeps } from './deps.js';

export type TeardownReason = 'pr-closed' | 'branch-deleted';

/**
 * Destroys an environment because its PR closed or its branch went away. The bot acts on its own
 * authority (source `system`), with the GitHub user who caused it as the audited actor.
 */
export async function tearDown(d: GitHubDeps, record: EnvironmentRecord, reason: TeardownReason, by: string, event: string): Promise<void> {
  const { engine } = d;
  // Set first, so the core's `down` keeps it and the final notice says why.
  await engine.store.mutate(record.name, (r) => (r.desired === 'deleted' ? undefined : { ...r, destroyReason: reason }));
  const actor: Actor = { id: by, source: 'system', name: `${by} (GitHub)` };
  const result = await engine.run({ actor }, { verb: 'down', name: record.name });
  if (result.kind !== 'accepted') {
    d.log.warn({ env: record.name, reason, result: result.text }, 'automatic teardown refused');
    return;
  }
  if (result.record) await d.publisher.update(result.record, { event });
}
