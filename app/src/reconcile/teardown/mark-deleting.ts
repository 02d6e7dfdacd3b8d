import { setStatus } from '../status.js';
import type { DownState, Step } from '../steps/step.js';

/** Says "deleting" before anything is removed. */
export const markDeleting: Step<DownState> = {
  name: 'deleting',
  async run(d, s) {
    if (s.record.status !== 'deleting') await setStatus(d, s.name, 'deleting');
  },
};
