import type { DownState, Step } from '../steps/step.js';

export const removeSchedules: Step<DownState> = {
  name: 'remove-schedules',
  async run(d, s) {
    await d.schedules?.remove(s.name);
  },
};
