import type { DownReason, GitHubTrigger } from '../../commands/types.js';
import type { Actor } from '../../commands/actor.js';
import type { EnvironmentRecord } from '../../environments/record.js';
import type { GitHubDeps } from '../deps.js';

export type TeardownReason = Extract<DownReason, 'pr-closed' | 'branch-deleted'>;

/**
 * Destroys an environment because its PR closed or its branch went away: a `down` carrying the
 * reason and the event. The core allows it only on environments that PR or branch created through
 * GitHub; the GitHub user who caused it is the audited actor, with no rights of their own added.
 */
export async function tearDown(
  d: GitHubDeps,
  record: EnvironmentRecord,
  reason: TeardownReason,
  because: GitHubTrigger,
  by: string | undefined,
  event: string,
): Promise<void> {
  const actor: Actor = by ? { id: `github:${by}`, source: 'github', name: by } : { id: 'system:github', source: 'github', name: 'GitHub' };
  const result = await d.engine.run({ actor }, { verb: 'down', name: record.name, reason, because });
  if (result.kind !== 'accepted') {
    d.log.warn({ env: record.name, reason, result: result.text }, 'automatic teardown refused');
    return;
  }
  if (result.record) await d.publisher.update(result.record, { event });
}
