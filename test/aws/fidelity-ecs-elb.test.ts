import { beforeAll, describe, expect, it } from 'vitest';
import {
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeServicesCommand,
  ListServicesCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { CreateRuleCommand, CreateTargetGroupCommand, DeleteRuleCommand, DeleteTargetGroupCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { buildTaskDefinition } from '../../app/src/reconcile/task-definition.js';
import { DEFAULT_PROFILES } from '../../app/src/environments/profiles.js';
import type { SharedInfra } from '../../app/src/local/shared-infra.js';
import type { AwsClients } from '../../app/src/aws/clients.js';
import { emulatorClients, sharedInfra } from '../support/aws-fixture.js';
import { cli, engineFixture } from '../support/engine-fixture.js';
import { FidelityWorld } from '../support/fidelity/index.js';

/** The fidelity layer itself: each imitated AWS behaviour (docs/aws-behaviours.md). */
describe('fidelity layer: ECS and ELBv2', () => {
  const world = new FidelityWorld();
  let clients: AwsClients;
  let infra: SharedInfra;
  let taskDefinition = '';
  let tgArn = '';
  let n = 0;

  beforeAll(async () => {
    clients = emulatorClients(world);
    infra = await sharedInfra(clients, 'fidelity');
    const td = buildTaskDefinition({
      env: 'fid',
      image: 'nginx',
      size: 'xs',
      profile: DEFAULT_PROFILES.dev,
      environment: [],
      secrets: [],
      logGroup: infra.logGroup,
      region: 'us-east-1',
      tags: [],
    });
    taskDefinition = (await clients.ecs.send(new RegisterTaskDefinitionCommand(td))).taskDefinition!.taskDefinitionArn!;
    tgArn = await targetGroup('eb-fid-8080', 8080);
  });

  async function targetGroup(name: string, port: number): Promise<string> {
    const out = await clients.elb.send(new CreateTargetGroupCommand({ Name: name, Protocol: 'HTTP', Port: port, VpcId: infra.vpcId, TargetType: 'ip' }));
    return out.TargetGroups![0]!.TargetGroupArn!;
  }

  async function rule(host: string, target: string) {
    const out = await clients.elb.send(
      new CreateRuleCommand({
        ListenerArn: infra.listenerArn,
        Priority: 1000 + ++n,
        Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: [host] } }],
        Actions: [{ Type: 'forward', TargetGroupArn: target }],
      }),
    );
    return out.Rules![0]!.RuleArn!;
  }

  const create = (name: string, target = tgArn, token = name) =>
    clients.ecs.send(
      new CreateServiceCommand({
        cluster: infra.cluster,
        serviceName: name,
        taskDefinition,
        desiredCount: 1,
        capacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 0, base: 1 }, { capacityProvider: 'FARGATE_SPOT', weight: 1 }],
        networkConfiguration: { awsvpcConfiguration: { subnets: infra.subnets, securityGroups: infra.securityGroups, assignPublicIp: 'DISABLED' } },
        tags: [{ key: 'purpose', value: 'fidelity-test' }],
        loadBalancers: [{ targetGroupArn: target, containerName: 'app', containerPort: 8080 }],
        clientToken: token,
      }),
    );
  const describeOne = async (name: string) => (await clients.ecs.send(new DescribeServicesCommand({ cluster: infra.cluster, services: [name] }))).services![0]!;

  it('ECS refuses a target group that no listener or rule uses', async () => {
    await expect(create('no-lb')).rejects.toThrow(/does not have an associated load balancer/);
    await rule('fid.example.com', tgArn);
    await expect(create('with-lb')).resolves.toBeDefined();
  });

  it('echoes the capacity provider strategy with base and weight on every item', async () => {
    expect((await describeOne('with-lb')).capacityProviderStrategy).toEqual([
      { capacityProvider: 'FARGATE', weight: 0, base: 1 },
      { capacityProvider: 'FARGATE_SPOT', weight: 1, base: 0 },
    ]);
  });

  it('a repeated CreateService is idempotent only with the same token and request', async () => {
    await expect(create('with-lb')).resolves.toMatchObject({ service: { serviceName: 'with-lb' } });
    await expect(create('with-lb', tgArn, 'another-token')).rejects.toThrow('Creation of service was not idempotent.');
  });

  it('a deleted service is DRAINING (unlisted, not updatable, name taken), then INACTIVE', async () => {
    world.ecs.drainMs = 60_000;
    await clients.ecs.send(new DeleteServiceCommand({ cluster: infra.cluster, service: 'with-lb', force: true }));
    expect((await describeOne('with-lb')).status).toBe('DRAINING');
    const listed = (await clients.ecs.send(new ListServicesCommand({ cluster: infra.cluster }))).serviceArns ?? [];
    expect(listed.filter((a) => a.endsWith('/with-lb'))).toEqual([]);
    await expect(clients.ecs.send(new UpdateServiceCommand({ cluster: infra.cluster, service: 'with-lb', desiredCount: 1 }))).rejects.toMatchObject({
      name: 'ServiceNotActiveException',
    });
    await expect(create('with-lb', tgArn, 'fresh-token')).rejects.toThrow('Creation of service was not idempotent.');

    world.advance(60_000);
    expect((await describeOne('with-lb')).status).toBe('INACTIVE');
    await expect(create('with-lb', tgArn, 'fresh-token')).resolves.toMatchObject({ service: { status: 'ACTIVE' } });
  });

  it('a target group a rule forwards to cannot be deleted (ResourceInUse)', async () => {
    const other = await targetGroup('eb-fid-9090', 9090);
    const ruleArn = await rule('fid2.example.com', other);
    await expect(clients.elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: other }))).rejects.toMatchObject({ name: 'ResourceInUseException' });
    await clients.elb.send(new DeleteRuleCommand({ RuleArn: ruleArn }));
    await expect(clients.elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: other }))).resolves.toBeDefined();
  });
});

describe('the 100-rule limit of an Application Load Balancer', () => {
  it('`up` past the limit fails with what to do, and changes nothing for the others', async () => {
    const world = new FidelityWorld();
    world.elb.rulesPerLoadBalancer = 1; // the same check as at 100, without creating 100 rules
    const f = await engineFixture('rulecap', { world });
    await f.engine.runText(cli(), 'up first');
    await f.engine.idle();
    await f.engine.runText(cli(), 'up second');
    await f.engine.idle();
    expect(await f.engine.store.get('first')).toMatchObject({ status: 'ready' });
    expect(await f.engine.store.get('second')).toMatchObject({
      status: 'failed',
      statusReason: expect.stringMatching(/the ALB has 100 rules \(AWS limit\) — run \/env list and destroy an old environment/),
    });
  });
});

describe('the 100-target-group limit of an Application Load Balancer (not adjustable)', () => {
  it('`up` past the limit fails with what to do, and changes nothing for the others', async () => {
    const world = new FidelityWorld();
    world.elb.targetGroupsPerLoadBalancer = 1; // the same check as at 100, without creating 100 target groups
    const f = await engineFixture('tgcap', { world });
    await f.engine.runText(cli(), 'up first');
    await f.engine.idle();
    await f.engine.runText(cli(), 'up second');
    await f.engine.idle();
    expect(await f.engine.store.get('first')).toMatchObject({ status: 'ready' });
    expect(await f.engine.store.get('second')).toMatchObject({
      status: 'failed',
      statusReason: expect.stringMatching(/the ALB already forwards to 100 target groups \(AWS limit, cannot be raised\) — run \/env list and destroy an old environment/),
    });
    expect(world.elb.sent.filter((r) => r.operation === 'CreateRule').map((r) => r.error)).toEqual([undefined, 'TooManyUniqueTargetGroupsPerLoadBalancerException']);
  });
});
