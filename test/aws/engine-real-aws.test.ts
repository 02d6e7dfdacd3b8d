import { describe, expect, it } from 'vitest';
import { DeleteServiceCommand, DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { CreateTargetGroupCommand, DescribeRulesCommand, DescribeTargetGroupAttributesCommand, DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { inventory } from '../support/aws-inventory.js';
import { cli, engineFixture, type EngineFixture } from '../support/engine-fixture.js';
import { SimulatedCrash } from '../support/simulated-crash.js';

/**
 * The engine against behaviour real AWS has and moto lacks, imitated by the fidelity layer
 * (test/support/fidelity, docs/aws-behaviours.md): issue 12, defects 3, 4 and 5.
 */

const service = async (f: EngineFixture, env: string) =>
  (await f.clients.ecs.send(new DescribeServicesCommand({ cluster: f.config.cluster, services: [`envbot-${env}`] }))).services![0]!;

async function up(f: EngineFixture, env: string, args = ''): Promise<void> {
  await f.engine.runText(cli(), `up ${env} ${args}`.trim());
  await f.engine.idle();
}

describe('a no-change reconcile never restarts the environment (defect 3)', () => {
  it('sends no UpdateService for `up` again, and stop/start change only the desired count', async () => {
    const f = await engineFixture('nochange');
    await up(f, 'calm');
    expect(await f.engine.store.get('calm')).toMatchObject({ status: 'ready' });
    // ECS echoes the strategy with base 0 on every item, as real AWS does.
    expect((await service(f, 'calm')).capacityProviderStrategy).toEqual([{ capacityProvider: 'FARGATE_SPOT', weight: 1, base: 0 }]);
    const sentBefore = f.world.ecs.sent.length;

    await up(f, 'calm');
    const updates = () => f.world.ecs.sent.slice(sentBefore).filter((r) => r.operation === 'UpdateService').map((r) => r.input);
    expect(updates()).toEqual([]);

    await f.engine.runText(cli(), 'stop calm');
    await f.engine.idle();
    await f.engine.runText(cli(), 'start calm');
    await f.engine.idle();
    expect(updates()).toEqual([
      { cluster: f.config.cluster, service: 'envbot-calm', desiredCount: 0 },
      { cluster: f.config.cluster, service: 'envbot-calm', desiredCount: 1 },
    ]);
  });

  it('the stage profile (base 1 on demand + Spot) is not redeployed either', async () => {
    const f = await engineFixture('nochg2');
    await up(f, 'staged', '--profile stage');
    const sentBefore = f.world.ecs.sent.length;
    f.engine.queue.kick('staged');
    await f.engine.idle();
    expect(f.world.ecs.sent.slice(sentBefore).filter((r) => r.operation === 'UpdateService')).toEqual([]);
  });
});

describe('`up` right after `down` (defect 4)', () => {
  it('waits for the old service to finish DRAINING, then creates it under a new client token', async () => {
    const f = await engineFixture('redo');
    await up(f, 'again');
    await f.engine.runText(cli(), 'down again');
    await f.engine.idle();
    expect((await service(f, 'again')).status).toBe('DRAINING');

    await up(f, 'again');
    expect(await f.engine.store.get('again')).toMatchObject({ status: 'ready', desired: 'running' });
    expect(f.notices.kinds('again')).not.toContain('failed');
    expect((await service(f, 'again')).status).toBe('ACTIVE');
    // Nothing was sent to the draining service, and ECS refused nothing.
    expect(f.world.ecs.sent.filter((r) => r.error && /Service$/.test(r.operation))).toEqual([]);
    const tokens = f.world.ecs.requests('CreateService').map((r) => r.clientToken as string);
    expect(tokens).toHaveLength(2);
    expect(new Set(tokens).size).toBe(2);
    for (const t of tokens) {
      expect(t.length).toBeLessThanOrEqual(36);
      expect(t).not.toBe('envbot-again');
    }
  });

  it('a drain longer than one run is waited out over runs, never marked failed', async () => {
    const f = await engineFixture('slowdrain');
    f.world.ecs.drainMs = 15 * 60_000; // longer than one run waits (10 min)
    await up(f, 'slow');
    await f.engine.runText(cli(), 'down slow');
    await f.engine.idle();
    await up(f, 'slow');
    expect(await f.engine.store.get('slow')).toMatchObject({ status: 'ready' });
    expect(f.notices.kinds('slow').filter((k) => k === 'failed')).toEqual([]);
  });
});

describe("a service deleted behind the bot's back (ServiceNotActiveException)", () => {
  it('is not the environment failing: the next run waits for DRAINING to end and creates it again', async () => {
    const f = await engineFixture('notactive');
    await up(f, 'gone');
    // Someone deletes the service between the bot's DescribeServices and its UpdateService.
    let deleted = false;
    f.clients.ecs.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'UpdateServiceCommand' && !deleted) {
          deleted = true;
          await f.clients.ecs.send(new DeleteServiceCommand({ cluster: f.config.cluster, service: 'envbot-gone', force: true }));
        }
        return next(args);
      },
      { step: 'initialize', priority: 'high', name: 'deleteBehindTheBotsBack' },
    );
    await f.engine.runText(cli(), 'stop gone');
    await f.engine.idle();

    expect(f.world.ecs.sent.find((r) => r.operation === 'UpdateService')?.error).toBe('ServiceNotActiveException');
    expect(await f.engine.store.get('gone')).toMatchObject({ desired: 'stopped', status: 'stopped' });
    expect(f.notices.kinds('gone')).not.toContain('failed');
    expect(f.world.ecs.requests('CreateService')).toHaveLength(2);
  });
});

describe('stop waits until ECS has really stopped the tasks', () => {
  it('reports stopped only after the old task is gone (moto drops it at once; ECS keeps it through draining and stopTimeout)', async () => {
    const f = await engineFixture('stopwait', { env: { ENVBOT_STEADY_TIMEOUT_SECONDS: '120' } });
    await f.engine.runText(cli(), 'up lingering');
    await f.engine.idle();
    const before = f.world.now();
    await f.engine.runText(cli(), 'stop lingering');
    await f.engine.idle();
    expect(await f.engine.store.get('lingering')).toMatchObject({ desired: 'stopped', status: 'stopped' });
    expect(f.world.now() - before).toBeGreaterThanOrEqual(f.world.ecs.taskStopMs);
    await f.engine.stop();
  });
});

describe('a containerPort change reaches an existing environment (defect 5)', () => {
  async function changePort(f: EngineFixture, env: string, port: number): Promise<void> {
    await f.engine.store.mutate(env, (r) => ({ ...r, appSettings: { ...r.appSettings, containerPort: port }, status: 'queued' }));
    f.engine.queue.kick(env);
    await f.engine.idle();
  }

  async function routing(f: EngineFixture, env: string) {
    const rules = (await f.clients.elb.send(new DescribeRulesCommand({ ListenerArn: f.infra.listenerArn }))).Rules!.filter((r) =>
      (r.Conditions ?? []).some((c) => (c.HostHeaderConfig?.Values ?? []).includes(`${env}.envs.example.com`)),
    );
    const groups = ((await f.clients.elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? []).filter((t) => t.TargetGroupName?.startsWith(`eb-${env}`));
    return { ruleTarget: rules[0]?.Actions?.[0]?.TargetGroupArn, groups: groups.map((g) => ({ name: g.TargetGroupName, port: g.Port, arn: g.TargetGroupArn })) };
  }

  it('moves rule and service to a new target group on the new port and deletes the old one', async () => {
    const f = await engineFixture('port');
    await up(f, 'porty');
    await changePort(f, 'porty', 3000);

    expect((await f.engine.store.get('porty'))?.statusReason).toBeUndefined();
    expect(await f.engine.store.get('porty')).toMatchObject({ status: 'ready' });
    const { ruleTarget, groups } = await routing(f, 'porty');
    expect(groups).toEqual([{ name: 'eb-porty-3000', port: 3000, arn: expect.any(String) }]);
    expect(ruleTarget).toBe(groups[0]!.arn);
    expect((await service(f, 'porty')).loadBalancers).toEqual([{ targetGroupArn: groups[0]!.arn, containerName: 'app', containerPort: 3000 }]);
    expect(((await f.engine.store.get('porty')) as { retiredTargetGroupArns?: string[] }).retiredTargetGroupArns).toBeUndefined();
  });

  it.each(['target-group', 'rule', 'service'])('a crash after "%s" during the change converges with nothing left behind', async (step) => {
    let crashAt: string | undefined;
    const f = await engineFixture(`pc${step.slice(0, 4)}`, {
      afterStep: (s) => {
        if (s === crashAt) {
          crashAt = undefined;
          throw new SimulatedCrash(`killed after ${s}`);
        }
      },
    });
    await up(f, 'crashy');
    crashAt = step;
    await changePort(f, 'crashy', 9000);
    expect(crashAt).toBeUndefined();
    f.engine.queue.kick('crashy');
    await f.engine.idle();

    expect(await f.engine.store.get('crashy')).toMatchObject({ status: 'ready' });
    const { ruleTarget, groups } = await routing(f, 'crashy');
    expect(groups.map((g) => g.name)).toEqual(['eb-crashy-9000']);
    expect(ruleTarget).toBe(groups[0]!.arn);
    expect((await service(f, 'crashy')).loadBalancers?.[0]?.containerPort).toBe(9000);

    await f.engine.runText(cli(), 'down crashy');
    await f.engine.idle();
    expect(await inventory(f.clients, f.infra, 'crashy')).toMatchObject({ services: 0, targetGroups: 0, rules: 0 });
  });
});

describe('an environment made before target groups were per port', () => {
  it('keeps its eb-<name> group while the port fits, with today’s health check settings', async () => {
    const f = await engineFixture('legacytg');
    const made = await f.clients.elb.send(
      new CreateTargetGroupCommand({ Name: 'eb-oldie', Protocol: 'HTTP', Port: 8080, VpcId: f.infra.vpcId, TargetType: 'ip', HealthCheckIntervalSeconds: 10 }),
    );
    const legacyArn = made.TargetGroups![0]!.TargetGroupArn!;
    await up(f, 'oldie');
    expect(await f.engine.store.get('oldie')).toMatchObject({ status: 'ready', targetGroupArn: legacyArn });
    const groups = ((await f.clients.elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? []).filter((t) => t.TargetGroupName?.startsWith('eb-oldie'));
    expect(groups).toEqual([expect.objectContaining({ TargetGroupName: 'eb-oldie', HealthCheckIntervalSeconds: 5, UnhealthyThresholdCount: 3 })]);
    const attrs = await f.clients.elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: legacyArn }));
    expect(attrs.Attributes).toContainEqual({ Key: 'deregistration_delay.timeout_seconds', Value: '5' });
  });
});
