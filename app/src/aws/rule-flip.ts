import type { ListenerRule as Rule, RuleAction as Action } from './elb-types.js';
import { weightedForward, type Routing } from './rule-actions.js';

/**
 * Sleeping and waking as ModifyRule inputs: for an environment's rules as DescribeRules returns
 * them, the calls that route them per `routing`. Idempotent: a rule already routed that way is
 * left out, so running it twice does nothing the second time. Only the forward changes; any
 * authentication action is sent again (ModifyRule replaces the whole action list), and since
 * DescribeRules never returns the OIDC client secret it is sent with `UseExistingClientSecret`.
 * A rule without a forward (the ip allow-list's 403) is not touched. A legacy plain forward
 * (`TargetGroupArn` only) becomes the weighted form.
 */
export interface RuleFlip {
  RuleArn: string;
  Actions: Action[];
}

export type RuleRouting = 'running' | 'asleep' | 'other';

export function planRoutingFlip(rules: readonly Rule[], routing: Routing): RuleFlip[] {
  const flips: RuleFlip[] = [];
  for (const rule of rules) {
    if (!rule.RuleArn || rule.IsDefault) continue;
    const forward = rule.Actions?.find((a) => a.Type === 'forward');
    if (!forward || routingOf(rule, routing) === routing.state) continue;
    flips.push({ RuleArn: rule.RuleArn, Actions: (rule.Actions ?? []).map((a) => resend(a, routing)) });
  }
  return flips;
}

/** Where a rule sends the environment's traffic now (resync uses it to spot a missed sleep). */
export function routingOf(rule: Rule, r: Pick<Routing, 'environmentTargetGroupArn' | 'botTargetGroupArn'>): RuleRouting {
  const forward = rule.Actions?.find((a) => a.Type === 'forward');
  if (!forward) return 'other';
  const groups = forward.ForwardConfig?.TargetGroups ?? (forward.TargetGroupArn ? [{ TargetGroupArn: forward.TargetGroupArn, Weight: 1 }] : []);
  const weight = (arn: string) => groups.find((g) => g.TargetGroupArn === arn)?.Weight ?? 0;
  const env = weight(r.environmentTargetGroupArn);
  const bot = weight(r.botTargetGroupArn);
  const bothAttached = groups.some((g) => g.TargetGroupArn === r.environmentTargetGroupArn) && groups.some((g) => g.TargetGroupArn === r.botTargetGroupArn);
  if (bothAttached && env > 0 && bot === 0) return 'running';
  if (bothAttached && env === 0 && bot > 0) return 'asleep';
  return 'other';
}

function resend(a: Action, routing: Routing): Action {
  if (a.Type === 'forward') return weightedForward(routing, a.Order);
  if (a.Type === 'authenticate-oidc' && a.AuthenticateOidcConfig) {
    const { ClientSecret: _secret, ...config } = a.AuthenticateOidcConfig;
    return { ...a, AuthenticateOidcConfig: { ...config, UseExistingClientSecret: true } };
  }
  return a;
}
