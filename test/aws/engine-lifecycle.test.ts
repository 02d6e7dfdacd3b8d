import { beforeAll, describe, expect, it } from 'vitest';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ListTaskDefinitionsCommand, type CreateServiceCommandInput } from '@aws-sdk/client-ecs';
import { DescribeRulesCommand, DescribeTagsCommand, DescribeTargetGroupAttributesCommand, DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { PutParameterCommand, GetParametersByPathCommand } from '@aws-sdk/client-ssm';
import { engineFixture, slackUser, type EngineFixture } from '../support/engine-fixture.js';

/** Records CreateService requests: moto drops capacityProviderStrategy, so we assert on what we sent. */
function captureCreateService(f: EngineFixture): CreateServiceCommandInput[] {
  const sent: CreateServiceCommandInput[] = [];
  f.clients.ecs.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'CreateServiceCommand') sent.push(structuredClone(args.input as CreateServiceCommandInput));
      return next(args);
    },
    { step: 'initialize', name: 'captureCreateService' },
  );
  return sent;
}

const tagMap = (tags: { key?: string; value?: string; Key?: string; Value?: string }[] | undefined) =>
  Object.fromEntries((tags ?? []).map((t) => [t.key ?? t.Key, t.value ?? t.Value]));

describe('environment lifecycle against the emulator', () => {
  let f: EngineFixture;
  let created: CreateServiceCommandInput[];
  const owner = slackUser('U1');

  beforeAll(async () => {
    f = await engineFixture('life');
    created = captureCreateService(f);
    const prefix = f.config.ssmPrefix;
    // Three config layers: base, profile and the environment's own; later wins.
    const put = (Name: string, Value: string, Type: 'String' | 'SecureString' = 'String') =>
      f.clients.ssm.send(new PutParameterCommand({ Name, Value, Type, Overwrite: true }));
    await put(`${prefix}/base/LOG_LEVEL`, 'info');
    await put(`${prefix}/base/GREETING`, 'hello from base');
    await put(`${prefix}/base/DB_PASSWORD`, 'base-secret-value', 'SecureString');
    await put(`${prefix}/profiles/dev/LOG_LEVEL`, 'debug');
    await put(`${prefix}/envs/feature-x/GREETING`, 'hello from feature-x');
  });

  it('up creates service, task definition, target group and host rule with tags', async () => {
    const result = await f.engine.runText(owner, 'up feature-x --branch feature/X');
    expect(result).toMatchObject({ kind: 'accepted', text: 'Bringing up *feature-x* (branch `feature/X`, dev, size xs). I\'ll report progress here.' });
    await f.engine.idle();

    const record = await f.engine.store.get('feature-x');
    expect(record).toMatchObject({ status: 'ready', desired: 'running', owner: 'slack:U1', branch: 'feature/X', url: 'https://feature-x.envs.example.com' });

    const svc = (await f.clients.ecs.send(new DescribeServicesCommand({ cluster: f.config.cluster, services: ['envbot-feature-x'], include: ['TAGS'] }))).services![0]!;
    expect(svc.status).toBe('ACTIVE');
    expect(svc.desiredCount).toBe(1);
    expect(tagMap(svc.tags)).toMatchObject({ 'envbot:env': 'feature-x', 'envbot:owner': 'slack:U1', 'envbot:branch': 'feature/X', 'envbot:managed': 'true' });
    expect(created).toHaveLength(1);
    expect(created[0]!.capacityProviderStrategy).toEqual([{ capacityProvider: 'FARGATE_SPOT', weight: 1 }]);
    expect(created[0]!.networkConfiguration?.awsvpcConfiguration?.subnets).toEqual(f.infra.subnets);

    const td = await f.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: svc.taskDefinition!, include: ['TAGS'] }));
    const container = td.taskDefinition!.containerDefinitions![0]!;
    expect(td.taskDefinition).toMatchObject({ cpu: '256', memory: '512', networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'] });
    expect(container.image).toBe('public.ecr.aws/nginx/nginx:latest');
    expect(container.portMappings).toEqual([expect.objectContaining({ containerPort: 8080 })]);
    expect(container.environment).toEqual([
      { name: 'GREETING', value: 'hello from feature-x' },
      { name: 'LOG_LEVEL', value: 'debug' },
    ]);
    // The secret travels by reference only: its value is nowhere in the task definition.
    expect(container.secrets).toEqual([{ name: 'DB_PASSWORD', valueFrom: expect.stringMatching(/^arn:aws:ssm:us-east-1:\d+:parameter\/.*\/base\/DB_PASSWORD$/) }]);
    expect(JSON.stringify(td)).not.toContain('base-secret-value');
    expect(tagMap(td.tags)).toMatchObject({ 'envbot:env': 'feature-x' });

    const tgs = await f.clients.elb.send(new DescribeTargetGroupsCommand({ Names: ['eb-feature-x-8080'] }));
    // Tuned for throw-away environments (docs/aws-behaviours.md, "Time to URL and time to stop").
    expect(tgs.TargetGroups![0]).toMatchObject({
      TargetType: 'ip',
      Port: 8080,
      HealthCheckPath: '/actuator/health',
      VpcId: f.infra.vpcId,
      HealthCheckIntervalSeconds: 5,
      HealthCheckTimeoutSeconds: 4,
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 3,
    });
    const attrs = await f.clients.elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: tgs.TargetGroups![0]!.TargetGroupArn }));
    expect(attrs.Attributes).toContainEqual({ Key: 'deregistration_delay.timeout_seconds', Value: '5' });
    // 0.25 vCPU: a JVM app needs more than a minute before its first health check passes.
    expect(created[0]!.healthCheckGracePeriodSeconds).toBe(300);
    const rules = (await f.clients.elb.send(new DescribeRulesCommand({ ListenerArn: f.infra.listenerArn }))).Rules!.filter((r) => !r.IsDefault);
    expect(rules).toHaveLength(1);
    expect(rules[0]!.Conditions![0]!.HostHeaderConfig?.Values ?? rules[0]!.Conditions![0]!.Values).toEqual(['feature-x.envs.example.com']);
    expect(rules[0]!.Actions![0]).toMatchObject({ Type: 'forward', TargetGroupArn: tgs.TargetGroups![0]!.TargetGroupArn });
    const ruleTags = await f.clients.elb.send(new DescribeTagsCommand({ ResourceArns: [rules[0]!.RuleArn!] }));
    expect(tagMap(ruleTags.TagDescriptions![0]!.Tags)).toMatchObject({ 'envbot:env': 'feature-x' });
  });

  it('running up again changes nothing', async () => {
    const before = await f.clients.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'envbot-feature-x' }));
    const result = await f.engine.runText(owner, 'up feature-x');
    expect(result.text).toBe('*feature-x* already exists; making sure it is up to date and running. It lives at https://feature-x.envs.example.com.');
    await f.engine.idle();
    const after = await f.clients.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'envbot-feature-x' }));
    expect(after.taskDefinitionArns).toEqual(before.taskDefinitionArns);
    expect(created).toHaveLength(1);
  });

  it('stop and start change only the desired count', async () => {
    const svcBefore = (await f.clients.ecs.send(new DescribeServicesCommand({ cluster: f.config.cluster, services: ['envbot-feature-x'] }))).services![0]!;
    expect((await f.engine.runText(owner, 'stop feature-x')).kind).toBe('accepted');
    await f.engine.idle();
    let svc = (await f.clients.ecs.send(new DescribeServicesCommand({ cluster: f.config.cluster, services: ['envbot-feature-x'] }))).services![0]!;
    expect(svc.desiredCount).toBe(0);
    expect(svc.taskDefinition).toBe(svcBefore.taskDefinition);
    expect((await f.engine.store.get('feature-x'))?.status).toBe('stopped');
    expect((await f.engine.runText(owner, 'stop feature-x')).text).toBe('*feature-x* is already stopped.');

    expect((await f.engine.runText(owner, 'start feature-x')).kind).toBe('accepted');
    await f.engine.idle();
    svc = (await f.clients.ecs.send(new DescribeServicesCommand({ cluster: f.config.cluster, services: ['envbot-feature-x'] }))).services![0]!;
    expect(svc.desiredCount).toBe(1);
    expect(svc.taskDefinition).toBe(svcBefore.taskDefinition);
    expect((await f.engine.store.get('feature-x'))?.status).toBe('ready');
  });

  it('config shows each key with its layer, masks secrets, and set rolls a new revision', async () => {
    const shown = await f.engine.runText(owner, 'config feature-x');
    expect(shown.text).toBe(
      [
        'Config of *feature-x* (later layers win: base → profile → env):',
        'DB_PASSWORD=••••••  [base, secret]',
        'GREETING=hello from feature-x  [env] (overrides base)',
        'LOG_LEVEL=debug  [profile] (overrides base)',
      ].join('\n'),
    );
    const set = await f.engine.runText(owner, 'config feature-x --secret API_KEY=very-secret-key');
    expect(set.text).toBe('Set secret API_KEY on *feature-x*. Rolling the service with the new config.');
    expect(JSON.stringify(set)).not.toContain('very-secret-key');
    await f.engine.idle();
    const svc = (await f.clients.ecs.send(new DescribeServicesCommand({ cluster: f.config.cluster, services: ['envbot-feature-x'] }))).services![0]!;
    const td = await f.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: svc.taskDefinition! }));
    // A new revision is deployed. (RegisterTaskDefinition has no idempotency token: if the SDK
    // retries it after a time-out on a loaded machine, ECS can keep an identical extra revision.)
    expect(td.taskDefinition!.revision).toBeGreaterThanOrEqual(2);
    expect(td.taskDefinition!.containerDefinitions![0]!.secrets!.map((s) => s.name)).toEqual(['API_KEY', 'DB_PASSWORD']);
    expect(JSON.stringify(td)).not.toContain('very-secret-key');
    const audit = await f.engine.store.recentAudit(20);
    expect(audit.find((a) => a.action === 'config')).toMatchObject({ actor: 'slack:U1', source: 'slack', env: 'feature-x', detail: 'set API_KEY', outcome: 'accepted' });
    expect(JSON.stringify(audit)).not.toContain('very-secret-key');
  });

  it('refuses a stranger and changes nothing', async () => {
    const res = await f.engine.runText(slackUser('U2'), 'down feature-x');
    expect(res).toEqual({ kind: 'refused', text: "You can't down feature-x: feature-x belongs to slack:U1; only its owner or an envbot admin can change it." });
    expect((await f.engine.store.get('feature-x'))?.desired).toBe('running');
  });

  it('down removes everything tagged with the environment', async () => {
    const res = await f.engine.runText(owner, 'down feature-x');
    expect(res.kind).toBe('accepted');
    await f.engine.idle();
    expect(await f.engine.store.get('feature-x')).toBeUndefined();
    const svc = (await f.clients.ecs.send(new DescribeServicesCommand({ cluster: f.config.cluster, services: ['envbot-feature-x'] }))).services ?? [];
    // Deleted services stay DRAINING until their tasks stop, then INACTIVE (the fidelity layer's clock).
    expect(svc.filter((s) => s.status === 'ACTIVE')).toEqual([]);
    const active = await f.clients.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'envbot-feature-x', status: 'ACTIVE' }));
    expect(active.taskDefinitionArns).toEqual([]);
    await expect(f.clients.elb.send(new DescribeTargetGroupsCommand({ Names: ['eb-feature-x-8080'] }))).rejects.toThrow(/not found|One or more/i);
    const rules = (await f.clients.elb.send(new DescribeRulesCommand({ ListenerArn: f.infra.listenerArn }))).Rules!.filter((r) => !r.IsDefault);
    expect(rules).toEqual([]);
    const own = await f.clients.ssm.send(new GetParametersByPathCommand({ Path: `${f.config.ssmPrefix}/envs/feature-x/` }));
    expect(own.Parameters).toEqual([]);
    expect(f.notices.kinds('feature-x').at(-1)).toBe('destroyed');
    // Shared layers are not the environment's to delete.
    const base = await f.clients.ssm.send(new GetParametersByPathCommand({ Path: `${f.config.ssmPrefix}/base/` }));
    expect(base.Parameters).toHaveLength(3);
  });

  it('stage profile keeps one on-demand task and adds Spot', async () => {
    await f.engine.runText(owner, 'up stage-a --profile stage');
    await f.engine.idle();
    expect(created.at(-1)!.capacityProviderStrategy).toEqual([
      { capacityProvider: 'FARGATE', weight: 0, base: 1 },
      { capacityProvider: 'FARGATE_SPOT', weight: 1 },
    ]);
    const td = await f.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'envbot-stage-a' }));
    expect(td.taskDefinition).toMatchObject({ cpu: '512', memory: '1024' });
  });
});

describe('per-repository app settings', () => {
  it('a changed health-check path reaches the existing target group', async () => {
    const f = await engineFixture('appset');
    await f.engine.runText(slackUser('U1'), 'up tuned');
    await f.engine.idle();
    await f.engine.store.mutate('tuned', (r) => ({ ...r, appSettings: { healthCheckPath: '/ready' }, status: 'queued' }));
    f.engine.queue.kick('tuned');
    await f.engine.idle();
    const tg = await f.clients.elb.send(new DescribeTargetGroupsCommand({ Names: ['eb-tuned-8080'] }));
    expect(tg.TargetGroups![0]!.HealthCheckPath).toBe('/ready');
    expect(tg.TargetGroups).toHaveLength(1);
  });
});
