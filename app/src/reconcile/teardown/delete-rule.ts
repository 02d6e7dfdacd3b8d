import { hostFor } from '../../environments/names.js';
import type { DownState, Step } from '../steps/step.js';

/** Every rule of the environment's host: protection, bypass and host rule (and an older single rule). */
export const deleteRule: Step<DownState> = {
  name: 'delete-rule',
  async run(d, s) {
    const host = hostFor(s.name, d.config.domain);
    for (const rule of (await d.lb.rules()).filter((r) => r.host === host)) await d.lb.deleteRule(rule.arn);
  },
};
