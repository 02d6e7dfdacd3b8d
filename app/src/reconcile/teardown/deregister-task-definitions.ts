import { familyFor } from '../task-definition.js';
import type { DownState, Step } from '../steps/step.js';

export const deregisterTaskDefinitions: Step<DownState> = {
  name: 'deregister-task-definitions',
  async run(d, s) {
    await d.ecs.deregisterFamily(familyFor(s.name));
  },
};
