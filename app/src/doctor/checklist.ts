import type { Check, CheckResult, DoctorContext } from './check.js';
import { botPermissions } from './checks/bot-permissions.js';
import { buildProject } from './checks/build-project.js';
import { capacityProviders } from './checks/capacity-providers.js';
import { deadLetterQueues } from './checks/dead-letter-queues.js';
import { imageLifecycle } from './checks/image-lifecycle.js';
import { listenerHeadroom } from './checks/listener-headroom.js';
import { parameterStore } from './checks/parameter-store.js';
import { scheduleGroup } from './checks/schedules.js';

/** The checklist, in the order a reader fixes things: permissions first, then each resource. */
export const CHECKS: readonly Check[] = [
  botPermissions,
  capacityProviders,
  listenerHeadroom,
  scheduleGroup,
  deadLetterQueues,
  imageLifecycle,
  buildProject,
  parameterStore,
];

/** Runs every check; one that throws (no access, throttled, …) is a failure of its own line only. */
export async function runChecks(ctx: DoctorContext, checks: readonly Check[] = CHECKS): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of checks) {
    try {
      results.push({ id: check.id, title: check.title, ...(await check.run(ctx)) });
    } catch (err) {
      results.push({
        id: check.id,
        title: check.title,
        status: 'fail',
        detail: err instanceof Error ? err.message : String(err),
        fix: 'check that your AWS credentials may make this read-only call (README "envbot doctor" lists them) and that the setting named above is right',
      });
    }
  }
  return results;
}
