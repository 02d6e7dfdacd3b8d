import { describe, expect, it } from 'vitest';
import {
  checkRuleBudget,
  environmentRules,
  githubActionsBypass,
  rulesPerEnvironment,
  RULE_SLOTS_PER_ENV,
  weightedForward,
  type EnvironmentRuleInput,
  type Protection,
} from '../../app/src/aws/rule-actions.js';

const ENV_TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/eb-feature-x/1111111111111111';
const BOT_TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/envbot-wake/2222222222222222';
const provider = {
  issuer: 'https://idp.example.com',
  authorizationEndpoint: 'https://idp.example.com/authorize',
  tokenEndpoint: 'https://idp.example.com/token',
  userInfoEndpoint: 'https://idp.example.com/userinfo',
  clientId: 'envbot',
  clientSecret: 's3cret',
};
const SECRET = { name: 'X-Envbot-Bypass', value: 'a'.repeat(40) };
const input = (o: Partial<EnvironmentRuleInput> = {}): EnvironmentRuleInput => ({
  host: 'feature-x.dev.example.com',
  protection: { mode: 'public' },
  routing: { state: 'running', environmentTargetGroupArn: ENV_TG, botTargetGroupArn: BOT_TG },
  https: true,
  ...o,
});
const weights = (rule: { Actions: { Type?: string; ForwardConfig?: { TargetGroups?: { TargetGroupArn?: string; Weight?: number }[] } }[] }) =>
  rule.Actions.find((a) => a.Type === 'forward')?.ForwardConfig?.TargetGroups?.map((t) => [t.TargetGroupArn, t.Weight]);

describe('listener rule builders', () => {
  it('public: one host rule forwarding to the environment, the bot group attached at weight 0', () => {
    const [rule, ...rest] = environmentRules(input());
    expect(rest).toEqual([]);
    expect(rule).toMatchObject({ role: 'allow', slot: 0, Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: ['feature-x.dev.example.com'] } }] });
    expect(weights(rule!)).toEqual([[ENV_TG, 1], [BOT_TG, 0]]);
  });

  it('asleep: the same rules forward to the bot and keep the environment group at weight 0; waking flips back', () => {
    const asleep = weightedForward({ state: 'asleep', environmentTargetGroupArn: ENV_TG, botTargetGroupArn: BOT_TG });
    expect(asleep.ForwardConfig?.TargetGroups).toEqual([{ TargetGroupArn: ENV_TG, Weight: 0 }, { TargetGroupArn: BOT_TG, Weight: 1 }]);
    const rules = environmentRules(input({ protection: { mode: 'oidc', provider }, routing: { state: 'asleep', environmentTargetGroupArn: ENV_TG, botTargetGroupArn: BOT_TG } }));
    // Authentication stays in front of the waking page.
    expect(rules[0]!.Actions.map((a) => a.Type)).toEqual(['authenticate-oidc', 'forward']);
    expect(weights(rules[0]!)).toEqual([[ENV_TG, 0], [BOT_TG, 1]]);
  });

  it('oidc: authenticate-oidc (order 1) then forward (order 2)', () => {
    const [rule] = environmentRules(input({ protection: { mode: 'oidc', provider } }));
    expect(rule!.Actions[0]).toMatchObject({
      Type: 'authenticate-oidc',
      Order: 1,
      AuthenticateOidcConfig: { Issuer: provider.issuer, ClientId: 'envbot', ClientSecret: 's3cret', OnUnauthenticatedRequest: 'authenticate' },
    });
    expect(rule!.Actions[1]).toMatchObject({ Type: 'forward', Order: 2 });
    const { clientSecret: _drop, ...noSecret } = provider;
    const [kept] = environmentRules(input({ protection: { mode: 'oidc', provider: noSecret } }));
    expect(kept!.Actions[0]!.AuthenticateOidcConfig).toMatchObject({ UseExistingClientSecret: true });
  });

  it('ip: source-ip rules of at most 4 networks (host takes the 5th condition value), then a 403 for everyone else', () => {
    const cidrs = ['203.0.113.0/24', '198.51.100.7/32', '192.0.2.0/24', '10.0.0.0/8', '2001:db8::/32'];
    const rules = environmentRules(input({ protection: { mode: 'ip', cidrs } }));
    expect(rules.map((r) => r.role)).toEqual(['allow', 'allow', 'deny']);
    expect(rules[0]!.Conditions[1]).toEqual({ Field: 'source-ip', SourceIpConfig: { Values: cidrs.slice(0, 4) } });
    expect(rules[1]!.Conditions[1]).toEqual({ Field: 'source-ip', SourceIpConfig: { Values: cidrs.slice(4) } });
    expect(rules[2]!.Actions[0]).toMatchObject({ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '403' } });
    for (const r of rules) expect(r.Conditions.reduce((n, c) => n + (c.HostHeaderConfig?.Values?.length ?? 0) + (c.SourceIpConfig?.Values?.length ?? 0), 0)).toBeLessThanOrEqual(5);
  });

  it('bypass rules come first: a verified GitHub Actions token for bearer requests, then the secret header', () => {
    const rules = environmentRules(input({ protection: { mode: 'oidc', provider }, bypass: { ciToken: githubActionsBypass('acme/shop'), secretHeader: SECRET } }));
    expect(rules.map((r) => [r.role, r.slot])).toEqual([['ci-bypass', 0], ['secret-bypass', 1], ['allow', 2]]);
    expect(rules[0]!.Conditions[1]).toEqual({ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'Authorization', Values: ['Bearer *'] } });
    expect(rules[0]!.Actions[0]).toEqual({
      Type: 'jwt-validation',
      Order: 1,
      JwtValidationConfig: {
        JwksEndpoint: 'https://token.actions.githubusercontent.com/.well-known/jwks',
        Issuer: 'https://token.actions.githubusercontent.com',
        AdditionalClaims: [
          { Name: 'repository', Format: 'single-string', Values: ['acme/shop'] },
          { Name: 'aud', Format: 'single-string', Values: ['envbot'] },
        ],
      },
    });
    expect(rules[1]!.Conditions[1]).toEqual({ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: SECRET.name, Values: [SECRET.value] } });
    expect(rules.length).toBeLessThanOrEqual(RULE_SLOTS_PER_ENV);
  });

  it('a public environment needs no bypass rules', () => {
    expect(environmentRules(input({ bypass: { secretHeader: SECRET } })).map((r) => r.role)).toEqual(['allow']);
  });

  it('refuses what AWS or safety would refuse, saying what to do', () => {
    expect(() => environmentRules(input({ https: false, protection: { mode: 'oidc', provider } }))).toThrow('needs an HTTPS listener');
    expect(() => environmentRules(input({ https: false, protection: { mode: 'ip', cidrs: ['10.0.0.0/8'] }, bypass: { ciToken: githubActionsBypass('a/b') } }))).toThrow('HTTPS');
    expect(environmentRules(input({ https: false, protection: { mode: 'ip', cidrs: ['10.0.0.0/8'] } }))).toHaveLength(2);
    expect(() => environmentRules(input({ protection: { mode: 'ip', cidrs: [] } }))).toThrow('at least one');
    expect(() => environmentRules(input({ protection: { mode: 'ip', cidrs: ['10.0.0.0'] } }))).toThrow('not a CIDR');
    expect(() => environmentRules(input({ protection: { mode: 'ip', cidrs: Array(21).fill('10.0.0.0/8') } }))).toThrow('at most 20');
    // * and ? are header-condition wildcards: a secret containing them would match other values.
    expect(() => environmentRules(input({ protection: { mode: 'oidc', provider }, bypass: { secretHeader: { ...SECRET, value: `${'a'.repeat(40)}*` } } }))).toThrow('bypass secret');
    expect(() => githubActionsBypass('not a repo')).toThrow('owner/repo');
  });

  it('counts rules per environment for the 100-rule listener limit', () => {
    const cases: [Protection, number, number][] = [
      [{ mode: 'public' }, 1, 1],
      [{ mode: 'oidc', provider }, 1, 3],
      [{ mode: 'ip', cidrs: Array(9).fill('10.0.0.0/8') }, 4, 6],
    ];
    for (const [protection, bare, withBypass] of cases) {
      expect(rulesPerEnvironment(protection)).toBe(bare);
      const bypass = { ciToken: githubActionsBypass('a/b'), secretHeader: SECRET };
      expect(rulesPerEnvironment(protection, bypass)).toBe(withBypass);
      expect(environmentRules(input({ protection, bypass }))).toHaveLength(withBypass);
    }
    expect(() => checkRuleBudget({ name: 'feature-x', rulesInUse: 97, rulesNeeded: 3 })).not.toThrow();
    expect(() => checkRuleBudget({ name: 'feature-x', rulesInUse: 98, rulesNeeded: 3 })).toThrow('98 of 100 in use — run /env list');
  });
});
