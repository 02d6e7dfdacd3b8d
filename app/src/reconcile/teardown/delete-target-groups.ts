import { profileFor } from '../../config.js';
import type { EnvironmentRecord } from '../../environments/record.js';
import type { RetiredTargetGroups } from '../target-groups.js';
import type { DownState, Step } from '../steps/step.js';

/** The current group and any retired ones still recorded. */
export const deleteTargetGroups: Step<DownState> = {
  name: 'delete-target-group',
  async run(d, s) {
    const port = { ...profileFor(d.config, s.record.profile), ...s.record.appSettings }.containerPort;
    await d.targetGroups.deleteAll(s.name, s.record as EnvironmentRecord & RetiredTargetGroups, port);
  },
};
