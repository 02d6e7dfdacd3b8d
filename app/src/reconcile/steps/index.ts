import { deleteConfig } from '../teardown/delete-config.js';
import { deleteRule } from '../teardown/delete-rule.js';
import { deleteService } from '../teardown/delete-service.js';
import { deleteTargetGroups } from '../teardown/delete-target-groups.js';
import { deregisterTaskDefinitions } from '../teardown/deregister-task-definitions.js';
import { forgetRecord } from '../teardown/forget-record.js';
import { markDeleting } from '../teardown/mark-deleting.js';
import { releaseImage } from '../teardown/release-image.js';
import { removeSchedules } from '../teardown/remove-schedules.js';
import { findService } from './find-service.js';
import { listenerRule } from './listener-rule.js';
import { markDeploying } from './mark-deploying.js';
import { resolveImage } from './resolve-image.js';
import { syncSchedules } from './schedules.js';
import { service } from './service.js';
import type { DownState, Step, StepList, UpState } from './step.js';
import { targetGroup } from './target-group.js';
import { taskDefinition } from './task-definition.js';
import { waitHealthy } from './wait-healthy.js';

/**
 * Bringing an environment up (or to stopped). Each step finds its resource by a deterministic
 * name before creating it, so a run that ends after any step is finished by the next one.
 */
export const UP_STEPS: StepList<UpState> = [
  resolveImage,
  markDeploying,
  // Independent branches run side by side; only the service needs all of them.
  { parallel: [[targetGroup, listenerRule], [taskDefinition], [findService], [syncSchedules]] },
  service,
  waitHealthy,
];

/** Tearing it down, in reverse; every delete treats "not found" as done, so a repeat is harmless. */
export const DOWN_STEPS: StepList<DownState> = [
  markDeleting,
  removeSchedules,
  deleteService,
  deleteRule,
  deleteTargetGroups,
  deregisterTaskDefinitions,
  deleteConfig,
  releaseImage,
  forgetRecord,
];

/** Every step of a list in order, branches of a group one after another. */
export function stepsOf<S>(list: StepList<S>): Step<S>[] {
  return list.flatMap((item) => ('parallel' in item ? item.parallel.flatMap((branch) => stepsOf(branch)) : [item]));
}
