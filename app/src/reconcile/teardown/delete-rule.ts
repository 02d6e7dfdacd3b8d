import { hostFor } from '../../environments/names.js';
import type { DownState, Step } from '../steps/step.js';

export const deleteRule: Step<DownState> = {
  name: 'delete-rule',
  async run(d, s) {
    const rule = await d.lb.findRuleForHost(hostFor(s.name, d.config.domain));
    if (rule) await d.lb.deleteRule(rule.arn);
  },
};
