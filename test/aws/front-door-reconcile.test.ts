import { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateListenerCommand, CreateTargetGroupCommand, DeleteRuleCommand, DescribeRulesCommand, type Rule } from '@aws-sdk/client-elastic-load-balancing-v2';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../app/src/config.js';
import { Engine } from '../../app/src/engine/engine.js';
import { hostFor } from '../../app/src/environments/names.js';
import { isAsleep } from '../../app/src/environments/record.js';
import { IDLE_SLEEP_ACTOR } from '../../app/src/background.js';
import { requestActivityReader } from '../../app/src/aws/request-metrics.js';
import { loadBalancerArnOfListener, runIdleSleepPass } from '../../app/src/schedules/idle-sleeper.js';
import { WAKE_ACTOR } from '../../app/src/wire-wake.js';
import { serviceNameFor } from '../../app/src/environments/task-event.js';
import { cli, engineFixture, silentLog, type EngineFixture } from '../support/engine-fixture.js';

/**
 * The reconciler's listener rules end to end against the emulator (issue 15): the weighted forward
 * while running, asleep and woken (ModifyRule), protection rules and their removal on `down`, and
 * the idle decision from PutMetricData metrics driving a real stop.
 */
const MINUTE = 60_000;
const BYPASS = 'b'.repeat(40);

describe('front door rules in the reconciler (emulator)', () => {
  let f: EngineFixture;
  let botTg: string;
  let httpsListener: string;

  const engineWith = (over: (c: Config) => Config) => {
    const engine = new Engine({ config: over(f.config), clients: f.clients, log: silentLog, sleep: f.world.sleep });
    engine.notifier.add(f.notices);
    return engine;
  };
  const modifies = () => f.world.elb.sent.filter((r) => r.operation === 'ModifyRule' && !r.error).length;
  const waking = (c: Config): Config => ({ ...c, wake: { ...c.wake, targetGroupArn: botTg } });
  const rulesOf = async (env: string, listenerArn = f.infra.listenerArn): Promise<Rule[]> =>
    ((await f.clients.elb.send(new DescribeRulesCommand({ ListenerArn: listenerArn }))).Rules ?? []).filter((r) =>
      r.Conditions?.some((c) => (c.HostHeaderConfig?.Values ?? c.Values)?.includes(hostFor(env, f.config.domain))),
    );
  const weights = (rule: Rule) =>
    Object.fromEntries((rule.Actions?.find((a) => a.Type === 'forward')?.ForwardConfig?.TargetGroups ?? []).map((g) => [g.TargetGroupArn === botTg ? 'bot' : 'env', g.Weight]));

  beforeAll(async () => {
    f = await engineFixture('frontdoor');
    const tg = await f.clients.elb.send(new CreateTargetGroupCommand({ Name: `${f.infra.cluster}-bot`.slice(-32), Protocol: 'HTTP', Port: 3000, VpcId: f.infra.vpcId, TargetType: 'ip' }));
    botTg = tg.TargetGroups![0]!.TargetGroupArn!;
    // authenticate-oidc exists only on HTTPS listeners; an IAM server-certificate ARN stands in for ACM.
    const listener = await f.clients.elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: f.infra.loadBalancerArn,
        Protocol: 'HTTPS',
        Port: 443,
        Certificates: [{ CertificateArn: `arn:aws:iam::123456789012:server-certificate/${f.infra.cluster}` }],
        DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain', MessageBody: 'no such environment' } }],
      }),
    );
    httpsListener = listener.Listeners![0]!.ListenerArn!;
  });

  it('routes a running environment to its group, a stopped one to the waking door, and back when woken (ModifyRule)', async () => {
    const engine = engineWith(waking);
    await engine.runText(cli(), 'up wakey');
    await engine.idle();
    const [running] = await rulesOf('wakey');
    expect(weights(running!)).toEqual({ env: 1, bot: 0 });

    const modifiesBefore = modifies();
    await engine.runText(cli(), 'stop wakey');
    await engine.idle();
    const stopped = await engine.store.get('wakey');
    expect(stopped).toMatchObject({ desired: 'stopped', status: 'stopped', stopReason: 'user' });
    const [asleep] = await rulesOf('wakey');
    expect(asleep!.RuleArn).toBe(running!.RuleArn);
    expect(weights(asleep!)).toEqual({ env: 0, bot: 1 });
    expect(modifies()).toBe(modifiesBefore + 1);

    // The waking door starts it as envbot itself; once the service is steady the host goes back to the app.
    const woken = await engine.run({ actor: WAKE_ACTOR }, { verb: 'start', name: 'wakey' });
    expect(woken.kind).toBe('accepted');
    await engine.idle();
    const awake = await engine.store.get('wakey');
    expect(awake?.status).toBe('ready');
    expect(awake?.stopReason).toBeUndefined();
    expect(awake?.startedAt).toBeDefined();
    const [back] = await rulesOf('wakey');
    expect(weights(back!)).toEqual({ env: 1, bot: 0 });
    expect(modifies()).toBe(modifiesBefore + 2);

    // Converged: another run changes no rule.
    engine.queue.kick('wakey');
    await engine.idle();
    expect(modifies()).toBe(modifiesBefore + 2);
  });

  it('moves an environment stopped by the schedule while the bot was away to the waking door at the next resync', async () => {
    const engine = engineWith(waking);
    await engine.runText(cli(), 'up night');
    await engine.idle();
    // The nightly schedule scales the service to zero; the record still says ready.
    await engine.ecs.updateService(serviceNameFor('night'), { desiredCount: 0 });
    await engine.resync.runOnce();
    await engine.idle();
    expect(await engine.store.get('night')).toMatchObject({ desired: 'stopped', stopReason: 'schedule' });
    const [rule] = await rulesOf('night');
    expect(weights(rule!)).toEqual({ env: 0, bot: 1 });
  });

  it('puts an environment without requests to sleep through the stop command, from PutMetricData request counts', async () => {
    const engine = engineWith(waking);
    await engine.runText(cli(), 'up quiet');
    await engine.runText(cli(), 'up busy');
    await engine.idle();
    const now = new Date(Math.floor(Date.now() / MINUTE) * MINUTE);
    const longAgo = new Date(now.getTime() - 3 * 3600_000).toISOString();
    for (const name of ['quiet', 'busy']) await engine.store.mutate(name, (r) => ({ ...r, startedAt: longAgo }));
    const lbArn = loadBalancerArnOfListener(f.infra.listenerArn);
    const busy = await engine.store.get('busy');
    // The test plays the ALB: RequestCount for busy's target group 4 minutes ago, nothing for quiet.
    await f.clients.cw.send(
      new PutMetricDataCommand({
        Namespace: 'AWS/ApplicationELB',
        MetricData: [
          {
            MetricName: 'RequestCount',
            Dimensions: [
              { Name: 'TargetGroup', Value: busy!.targetGroupArn!.split(':')[5]! },
              { Name: 'LoadBalancer', Value: lbArn.split(':')[5]!.replace('loadbalancer/', '') },
            ],
            Timestamp: new Date(now.getTime() - 4 * MINUTE),
            Value: 7,
            Unit: 'Count',
          },
        ],
      }),
    );
    const pass = await runIdleSleepPass(
      {
        readRequests: requestActivityReader(f.clients.cw),
        store: { list: async () => (await engine.store.list()).filter((r) => r.name === 'quiet' || r.name === 'busy') },
        loadBalancerArn: lbArn,
        profileOf: () => ({ sleepAfterIdleMinutes: 30, idleGraceMinutes: 15 }),
        sleep: async (name) => {
          const result = await engine.run({ actor: IDLE_SLEEP_ACTOR }, { verb: 'stop', name, reason: 'idle' });
          if (result.kind !== 'accepted') throw new Error(result.text);
        },
        warn: () => undefined,
      },
      now,
    );
    expect(pass.slept).toEqual(['quiet']);
    expect(pass.decisions.get('busy')).toEqual({ sleep: false, reason: 'active' });
    await engine.idle();
    const quiet = await engine.store.get('quiet');
    expect(quiet).toMatchObject({ desired: 'stopped', status: 'stopped', stopReason: 'idle' });
    expect(isAsleep(quiet!)).toBe(true);
    expect(weights((await rulesOf('quiet'))[0]!)).toEqual({ env: 0, bot: 1 });
    expect(await engine.store.get('busy')).toMatchObject({ desired: 'running', status: 'ready' });
  });

  it('a person cannot claim an idle stop: only envbot itself records reason idle', async () => {
    const engine = engineWith(waking);
    await engine.runText(cli(), 'up claim');
    await engine.idle();
    await engine.run(cli(), { verb: 'stop', name: 'claim', reason: 'idle' });
    await engine.idle();
    expect(await engine.store.get('claim')).toMatchObject({ stopReason: 'user' });
  });

  it('ip protection: allow rule with the source-ip condition, a 403 rule behind it, the secret-header bypass first; down removes all', async () => {
    const engine = engineWith((c) => ({
      ...waking(c),
      protection: { ...c.protection, mode: 'ip', allowedCidrs: ['203.0.113.0/24'], bypass: { ...c.protection.bypass, secret: BYPASS } },
    }));
    await engine.runText(cli(), 'up fenced');
    await engine.idle();
    expect((await engine.store.get('fenced'))?.status).toBe('ready');
    const rules = (await rulesOf('fenced')).sort((a, b) => Number(a.Priority) - Number(b.Priority));
    expect(rules).toHaveLength(3);
    const [bypass, allow, deny] = rules;
    expect(bypass!.Conditions?.find((c) => c.Field === 'http-header')?.HttpHeaderConfig).toMatchObject({ HttpHeaderName: 'x-envbot-bypass', Values: [BYPASS] });
    expect(allow!.Conditions?.find((c) => c.Field === 'source-ip')?.SourceIpConfig?.Values).toEqual(['203.0.113.0/24']);
    expect(weights(allow!)).toEqual({ env: 1, bot: 0 });
    expect(deny!.Actions?.[0]).toMatchObject({ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '403' } });

    // Asleep: every forwarding rule goes to the door; the 403 rule is left alone.
    await engine.runText(cli(), 'stop fenced');
    await engine.idle();
    const asleep = (await rulesOf('fenced')).sort((a, b) => Number(a.Priority) - Number(b.Priority));
    expect(asleep.map((r) => (r.Actions?.some((a) => a.Type === 'forward') ? weights(r) : 'no forward'))).toEqual([{ env: 0, bot: 1 }, { env: 0, bot: 1 }, 'no forward']);

    await engine.runText(cli(), 'down fenced');
    await engine.idle();
    expect(await rulesOf('fenced')).toHaveLength(0);
  });

  it('a rotated bypass secret: the redeployed bot\'s resync rewrites the bypass rule with one ModifyRule carrying the new value', async () => {
    const withSecret = (secret: string) => (c: Config): Config => ({
      ...waking(c),
      protection: { ...c.protection, mode: 'ip', allowedCidrs: ['203.0.113.0/24'], bypass: { ...c.protection.bypass, secret } },
    });
    const before = engineWith(withSecret(BYPASS));
    await before.runText(cli(), 'up rotated');
    await before.idle();
    const bypassRule = async () => (await rulesOf('rotated')).find((r) => r.Conditions?.some((c) => c.Field === 'http-header'))!;
    const ruleArn = (await bypassRule()).RuleArn;
    await before.stop();

    // ECS injects the secret at task start: the redeployed bot is a new engine with the new value.
    const ROTATED = 'r'.repeat(48);
    const after = engineWith(withSecret(ROTATED));
    const sentBefore = f.world.elb.sent.length;
    await after.resync.runOnce();
    await after.idle();
    // (Other tests' environments share the listener and are reconciled too: count this one's rules.)
    const mine = new Set((await rulesOf('rotated')).map((r) => r.RuleArn));
    const modified = f.world.elb.sent.slice(sentBefore).filter((r) => r.operation === 'ModifyRule' && !r.error && mine.has(r.input.RuleArn as string));
    expect(modified).toHaveLength(1);
    expect(modified[0]!.input.RuleArn).toBe(ruleArn);
    expect(JSON.stringify(modified[0]!.input.Conditions)).toContain(ROTATED);
    expect((await bypassRule()).Conditions?.find((c) => c.Field === 'http-header')?.HttpHeaderConfig).toMatchObject({ Values: [ROTATED] });
    expect(JSON.stringify(await rulesOf('rotated'))).not.toContain(BYPASS);
    // Same settings at the next resync: nothing to rewrite, nothing reconciled.
    const sentAfter = f.world.elb.sent.length;
    await after.resync.runOnce();
    await after.idle();
    expect(f.world.elb.sent.slice(sentAfter).filter((r) => r.operation === 'ModifyRule')).toEqual([]);

    await after.runText(cli(), 'down rotated');
    await after.idle();
    await after.stop();
  });

  it('oidc protection: the rule signs users in (authenticate-oidc) before the weighted forward; down removes it', async () => {
    const engine = engineWith((c) => ({
      ...waking(c),
      listenerArn: httpsListener,
      protection: {
        ...c.protection,
        mode: 'oidc',
        oidc: {
          issuer: 'https://idp.example.com',
          authorizationEndpoint: 'https://idp.example.com/authorize',
          tokenEndpoint: 'https://idp.example.com/token',
          userInfoEndpoint: 'https://idp.example.com/userinfo',
          clientId: 'envbot',
          clientSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:envbot-oidc',
          clientSecret: 's3cret',
          scope: 'openid email',
        },
      },
    }));
    await engine.runText(cli(), 'up signin');
    await engine.idle();
    expect((await engine.store.get('signin'))?.status).toBe('ready');
    const [rule] = await rulesOf('signin', httpsListener);
    expect(rule!.Actions?.map((a) => a.Type)).toEqual(['authenticate-oidc', 'forward']);
    expect(rule!.Actions?.[0]?.AuthenticateOidcConfig).toMatchObject({ Issuer: 'https://idp.example.com', ClientId: 'envbot' });

    await engine.runText(cli(), 'stop signin');
    await engine.idle();
    const [asleep] = await rulesOf('signin', httpsListener);
    // The login stays in front of the waking page.
    expect(asleep!.Actions?.map((a) => a.Type)).toEqual(['authenticate-oidc', 'forward']);
    expect(weights(asleep!)).toEqual({ env: 0, bot: 1 });

    await engine.runText(cli(), 'down signin');
    await engine.idle();
    expect(await rulesOf('signin', httpsListener)).toHaveLength(0);
  });

  it('migrates an older single host rule to the slotted rules without a gap', async () => {
    const engine = engineWith((c) => c);
    await engine.runText(cli(), 'up legacy');
    await engine.idle();
    const [slotted] = await rulesOf('legacy');
    // What an older envbot left: one plain forward at the base priority itself.
    await f.clients.elb.send(new DeleteRuleCommand({ RuleArn: slotted!.RuleArn! }));
    const record = await engine.store.get('legacy');
    await engine.lb.createRule({ priority: 40_000 + (record!.rulePriority ?? 0), host: hostFor('legacy', f.config.domain), targetGroupArn: record!.targetGroupArn!, tags: [] });
    engine.queue.kick('legacy');
    await engine.idle();
    const after = await rulesOf('legacy');
    expect(after).toHaveLength(1);
    expect(Number(after[0]!.Priority)).toBe(record!.rulePriority! * 10);
  });
});
