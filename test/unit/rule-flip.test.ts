import type { Rule } from '@aws-sdk/client-elastic-load-balancing-v2';
import { describe, expect, it } from 'vitest';
import { environmentRules, type Routing } from '../../app/src/aws/rule-actions.js';
import { planRoutingFlip, routingOf } from '../../app/src/aws/rule-flip.js';

const ENV_TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/eb-feature-x/1111111111111111';
const BOT_TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/envbot-wake/2222222222222222';
const running: Routing = { state: 'running', environmentTargetGroupArn: ENV_TG, botTargetGroupArn: BOT_TG };
const asleep: Routing = { ...running, state: 'asleep' };
const provider = { issuer: 'https://idp', authorizationEndpoint: 'https://idp/a', tokenEndpoint: 'https://idp/t', userInfoEndpoint: 'https://idp/u', clientId: 'c', clientSecret: 'shh' };

/** What DescribeRules would return for rules created from these specs (no client secret). */
function described(routing: Routing): Rule[] {
  return environmentRules({ host: 'feature-x.d.example.com', protection: { mode: 'ip', cidrs: ['10.0.0.0/8'] }, bypass: { secretHeader: { name: 'X-B', value: 'k'.repeat(32) } }, routing, https: true }).map((s, i) => ({
    RuleArn: `rule/${i}`,
    Priority: String(100 + s.slot),
    Conditions: s.Conditions,
    Actions: s.Actions,
  }));
}

describe('routing flips (sleep and wake as ModifyRule)', () => {
  it('flips every forwarding rule, leaves the 403 rule, and is idempotent', () => {
    const flips = planRoutingFlip(described(running), asleep);
    expect(flips.map((f) => f.RuleArn)).toEqual(['rule/0', 'rule/1']);
    expect(flips[0]!.Actions[0]!.ForwardConfig?.TargetGroups).toEqual([{ TargetGroupArn: ENV_TG, Weight: 0 }, { TargetGroupArn: BOT_TG, Weight: 1 }]);
    expect(planRoutingFlip(described(asleep), asleep)).toEqual([]);
    expect(planRoutingFlip(described(asleep), running)).toHaveLength(2);
  });

  it('re-sends the login with UseExistingClientSecret, since DescribeRules never returns the secret', () => {
    const [spec] = environmentRules({ host: 'h.d.example.com', protection: { mode: 'oidc', provider }, routing: running, https: true });
    const { ClientSecret: _omit, ...describedConfig } = spec!.Actions[0]!.AuthenticateOidcConfig!;
    const rule: Rule = { RuleArn: 'r', Actions: [{ ...spec!.Actions[0]!, AuthenticateOidcConfig: describedConfig }, spec!.Actions[1]!] };
    const [flip] = planRoutingFlip([rule], asleep);
    expect(flip!.Actions[0]!.AuthenticateOidcConfig).toMatchObject({ ClientId: 'c', UseExistingClientSecret: true });
    expect(flip!.Actions[0]!.AuthenticateOidcConfig).not.toHaveProperty('ClientSecret');
    expect(flip!.Actions[1]).toMatchObject({ Type: 'forward', Order: 2 });
  });

  it('reads a legacy plain forward as neither state, so it is rewritten in the weighted form', () => {
    const legacy: Rule = { RuleArn: 'old', Actions: [{ Type: 'forward', TargetGroupArn: ENV_TG }] };
    expect(routingOf(legacy, running)).toBe('other');
    expect(planRoutingFlip([legacy], running)[0]!.Actions[0]!.ForwardConfig?.TargetGroups).toHaveLength(2);
  });
});
