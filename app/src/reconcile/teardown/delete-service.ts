import { serviceNameFor } from '../../environments/task-event.js';
import type { DownState, Step } from '../steps/step.js';

/** "Not found" and "not active" count as deleted (see the ECS adapter). */
export const deleteService: Step<DownState> = {
  name: 'delete-service',
  async run(d, s) {
    await d.ecs.deleteService(serviceNameFor(s.name));
  },
};
