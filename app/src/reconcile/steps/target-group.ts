import type { Step, UpState } from './step.js';

/** The target group for the profile's container port (one per port; see target-groups.ts). */
export const targetGroup: Step<UpState> = {
  name: 'target-group',
  async run(d, s) {
    s.targetGroupArn = await d.targetGroups.ensure(s.name, s.profile.containerPort, s.profile.healthCheckPath, s.tags);
  },
};
