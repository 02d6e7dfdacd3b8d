import type { Step, UpState } from './step.js';

/** The service of our name in any state, read once alongside the other branches (no extra round trip). */
export const findService: Step<UpState> = {
  name: 'find-service',
  async run(d, s) {
    s.found = await d.ecs.serviceInAnyState(s.serviceName);
  },
};
