import type { Step, UpState } from './step.js';

/** Auto-stop/start schedules for the profile (when schedules are wired). */
export const syncSchedules: Step<UpState> = {
  name: 'schedules',
  async run(d, s) {
    await d.schedules?.sync(s.record, s.profile);
  },
};
