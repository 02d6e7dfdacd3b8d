import {
  CreateListenerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DeleteRuleCommand,
  DescribeRulesCommand,
  ModifyRuleCommand,
  type ElasticLoadBalancingV2Client,
  type Rule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { beforeAll, describe, expect, it } from 'vitest';
import { environmentRules, weightedForward, type Routing, type RuleSpec } from '../../app/src/aws/rule-actions.js';
import { planRoutingFlip, routingOf } from '../../app/src/aws/rule-flip.js';
import { emulatorClients, sharedInfra, uniquePrefix } from '../support/aws-fixture.js';

// jwt-validation (the CI bypass) is not exercised here: moto 5.x knows only redirect,
// authenticate-cognito, authenticate-oidc, fixed-response and forward, and refuses it, while AWS
// accepts it on HTTPS listeners (listener-verify-jwt.html). Its shape is covered in test/unit/rule-actions.test.ts.
const provider = {
  issuer: 'https://idp.example.com',
  authorizationEndpoint: 'https://idp.example.com/authorize',
  tokenEndpoint: 'https://idp.example.com/token',
  userInfoEndpoint: 'https://idp.example.com/userinfo',
  clientId: 'envbot',
  clientSecret: 's3cret',
};

describe('environment listener rules on the load balancer (emulator)', () => {
  let elb: ElasticLoadBalancingV2Client;
  let listenerArn: string;
  let routing: Routing;
  const prefix = uniquePrefix('rules');

  async function targetGroup(name: string, vpcId: string): Promise<string> {
    const out = await elb.send(new CreateTargetGroupCommand({ Name: name, Protocol: 'HTTP', Port: 8080, VpcId: vpcId, TargetType: 'ip' }));
    return out.TargetGroups![0]!.TargetGroupArn!;
  }
  async function create(spec: RuleSpec, base: number): Promise<Rule> {
    const out = await elb.send(new CreateRuleCommand({ ListenerArn: listenerArn, Priority: base + spec.slot, Conditions: spec.Conditions, Actions: spec.Actions }));
    return out.Rules![0]!;
  }
  async function describe1(ruleArn: string): Promise<Rule> {
    return (await elb.send(new DescribeRulesCommand({ RuleArns: [ruleArn] }))).Rules![0]!;
  }
  const weightsOf = (rule: Rule) =>
    rule.Actions?.find((a) => a.Type === 'forward')?.ForwardConfig?.TargetGroups?.map((t) => [t.TargetGroupArn, t.Weight]);

  beforeAll(async () => {
    const clients = emulatorClients();
    elb = clients.elb;
    const infra = await sharedInfra(clients, 'rules');
    // authenticate-oidc exists only on HTTPS listeners; an IAM server-certificate ARN stands in for ACM.
    const listener = await elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: infra.loadBalancerArn,
        Protocol: 'HTTPS',
        Port: 443,
        Certificates: [{ CertificateArn: `arn:aws:iam::123456789012:server-certificate/${prefix}` }],
        DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain', MessageBody: 'no such environment' } }],
      }),
    );
    listenerArn = listener.Listeners![0]!.ListenerArn!;
    routing = {
      state: 'running',
      environmentTargetGroupArn: await targetGroup(`${prefix}-env`, infra.vpcId),
      botTargetGroupArn: await targetGroup(`${prefix}-bot`, infra.vpcId),
    };
  });

  it('accepts an oidc rule with a weighted forward, and ModifyRule flips it asleep and back keeping the login', async () => {
    const [spec] = environmentRules({ host: 'oidc.dev.example.com', protection: { mode: 'oidc', provider }, routing, https: true });
    const rule = await create(spec!, 100);
    expect(weightsOf(await describe1(rule.RuleArn!))).toEqual([[routing.environmentTargetGroupArn, 1], [routing.botTargetGroupArn, 0]]);

    // Sleep: ModifyRule replaces the actions, so the authenticate action is sent again (with the stored secret kept).
    const { clientSecret: _s, ...keepSecret } = provider;
    const [asleep] = environmentRules({ host: 'oidc.dev.example.com', protection: { mode: 'oidc', provider: keepSecret }, routing: { ...routing, state: 'asleep' }, https: true });
    await elb.send(new ModifyRuleCommand({ RuleArn: rule.RuleArn, Actions: asleep!.Actions }));
    const slept = await describe1(rule.RuleArn!);
    expect(slept.Actions?.map((a) => a.Type)).toEqual(['authenticate-oidc', 'forward']);
    expect(slept.Actions?.[0]?.AuthenticateOidcConfig).toMatchObject({ Issuer: provider.issuer, ClientId: 'envbot' });
    expect(weightsOf(slept)).toEqual([[routing.environmentTargetGroupArn, 0], [routing.botTargetGroupArn, 1]]);

    await elb.send(new ModifyRuleCommand({ RuleArn: rule.RuleArn, Actions: [weightedForward(routing)] }));
    expect(weightsOf(await describe1(rule.RuleArn!))).toEqual([[routing.environmentTargetGroupArn, 1], [routing.botTargetGroupArn, 0]]);
  });

  it('like AWS, never returns the OIDC client secret, and refuses a secret sent with UseExistingClientSecret', async () => {
    const [spec] = environmentRules({ host: 'secret.dev.example.com', protection: { mode: 'oidc', provider }, routing, https: true });
    const rule = await create(spec!, 300);
    expect((await describe1(rule.RuleArn!)).Actions?.[0]?.AuthenticateOidcConfig).not.toHaveProperty('ClientSecret');
    const both = { ...spec!.Actions[0]!, AuthenticateOidcConfig: { ...spec!.Actions[0]!.AuthenticateOidcConfig!, UseExistingClientSecret: true } };
    await expect(elb.send(new ModifyRuleCommand({ RuleArn: rule.RuleArn, Actions: [both, spec!.Actions[1]!] }))).rejects.toMatchObject({
      name: 'InvalidLoadBalancerActionException',
    });
    await elb.send(new DeleteRuleCommand({ RuleArn: rule.RuleArn }));
  });

  it('accepts the ip allow-list, the secret-header bypass and the 403 rule, and removes them on down', async () => {
    const specs = environmentRules({
      host: 'ip.dev.example.com',
      protection: { mode: 'ip', cidrs: ['203.0.113.0/24', '198.51.100.0/24', '192.0.2.0/24', '10.1.0.0/16', '10.2.0.0/16'] },
      bypass: { secretHeader: { name: 'X-Envbot-Bypass', value: 'b'.repeat(48) } },
      routing,
      https: true,
    });
    const created: Rule[] = [];
    for (const spec of specs) created.push(await create(spec, 200));
    const stored = (await elb.send(new DescribeRulesCommand({ RuleArns: created.map((r) => r.RuleArn!) }))).Rules!;
    const byPriority = [...stored].sort((a, b) => Number(a.Priority) - Number(b.Priority));
    expect(byPriority.map((r) => r.Priority)).toEqual(['200', '201', '202', '203']);
    expect(byPriority[0]!.Conditions?.find((c) => c.Field === 'http-header')?.HttpHeaderConfig).toEqual({ HttpHeaderName: 'X-Envbot-Bypass', Values: ['b'.repeat(48)] });
    expect(byPriority[2]!.Conditions?.find((c) => c.Field === 'source-ip')?.SourceIpConfig?.Values).toEqual(['10.2.0.0/16']);
    expect(byPriority[3]!.Actions?.[0]).toMatchObject({ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '403' } });

    for (const r of created) await elb.send(new DeleteRuleCommand({ RuleArn: r.RuleArn }));
    const left = (await elb.send(new DescribeRulesCommand({ ListenerArn: listenerArn }))).Rules!;
    expect(left.filter((r) => created.some((c) => c.RuleArn === r.RuleArn))).toEqual([]);
  });

  it('sleep and wake from what DescribeRules returns: one ModifyRule per forwarding rule, then nothing to do', async () => {
    const specs = environmentRules({
      host: 'flip.dev.example.com',
      protection: { mode: 'oidc', provider },
      bypass: { secretHeader: { name: 'X-Envbot-Bypass', value: 'c'.repeat(40) } },
      routing,
      https: true,
    });
    const arns: string[] = [];
    for (const spec of specs) arns.push((await create(spec, 300)).RuleArn!);
    const read = async () => (await elb.send(new DescribeRulesCommand({ RuleArns: arns }))).Rules!;

    for (const target of [{ ...routing, state: 'asleep' as const }, routing]) {
      const flips = planRoutingFlip(await read(), target);
      expect(flips).toHaveLength(2);
      for (const f of flips) await elb.send(new ModifyRuleCommand(f));
      const after = await read();
      expect(after.map((r) => routingOf(r, routing))).toEqual([target.state, target.state]);
      expect(planRoutingFlip(after, target)).toEqual([]);
    }
  });
});
