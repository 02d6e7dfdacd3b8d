import { planRoutingFlip } from '../aws/rule-flip.js';
import type { Routing } from '../aws/rule-actions.js';
import type { StepDeps } from './steps/step.js';

/**
 * Sends the environment's traffic to the app (`running`) or to the bot's waking door (`asleep`)
 * by swapping the weights of its rules' forwards (one ModifyRule per rule that is not routed so
 * yet; a second call does nothing). Without a waking target group there is nothing to switch.
 */
export async function routeTraffic(d: Pick<StepDeps, 'config' | 'lb'>, host: string, environmentTargetGroupArn: string, state: Routing['state']): Promise<number> {
  const bot = d.config.wake.targetGroupArn;
  if (!bot) return 0;
  const rules = (await d.lb.rules()).filter((r) => r.host === host).map((r) => r.rule);
  const flips = planRoutingFlip(rules, { state, environmentTargetGroupArn, botTargetGroupArn: bot });
  for (const flip of flips) await d.lb.modifyRule(flip.RuleArn, flip.Actions);
  return flips.length;
}
