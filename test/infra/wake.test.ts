import { beforeAll, describe, expect, it } from 'vitest';
import { ENV_KEYS } from '../../app/src/config.js';
import { BOT_SETTING_OUTPUTS, BYPASS_SECRET_ENV } from '../../infra/lib/bot-settings.js';
import { botEnvironment, resourcesOf, synthesize, type Synthesized } from './support/synth.js';

/** Issue 15's stack parts: the bot's waking target group, its IAM, the automation bypass secret. */
let s: Synthesized;
beforeAll(() => {
  s = synthesize();
});

const ref = (v: unknown) => JSON.stringify(v);

function wakeGroup(): [string, Record<string, any>] {
  const groups = resourcesOf(s, 'AWS::ElasticLoadBalancingV2::TargetGroup');
  const found = groups.find(([id]) => id.startsWith('WakeTargetGroup'));
  expect(found, groups.map(([id]) => id).join(', ')).toBeDefined();
  return found!;
}

describe('waking target group', () => {
  it('targets the bot tasks on the bot port and health-checks /healthz', () => {
    const [, tg] = wakeGroup();
    expect(tg.Properties).toMatchObject({ Port: 3000, Protocol: 'HTTP', TargetType: 'ip', HealthCheckPath: '/healthz', Matcher: { HttpCode: '200' } });
  });

  it('is attached to the shared listener through the bot rule at weight 0, so ECS accepts it and all bot traffic stays on the bot group', () => {
    const [wakeId] = wakeGroup();
    const rules = resourcesOf(s, 'AWS::ElasticLoadBalancingV2::ListenerRule').filter(([, r]) => r.Properties.Priority === 50_000);
    expect(rules).toHaveLength(1);
    const forward = rules[0]![1].Properties.Actions.find((a: any) => a.Type === 'forward');
    const groups = forward.ForwardConfig.TargetGroups as { TargetGroupArn: unknown; Weight: number }[];
    expect(groups).toHaveLength(2);
    expect(groups.find((g) => ref(g.TargetGroupArn).includes(wakeId))?.Weight).toBe(0);
    expect(groups.find((g) => !ref(g.TargetGroupArn).includes(wakeId))?.Weight).toBe(1);
  });

  it('has the bot service registered in it', () => {
    const [wakeId] = wakeGroup();
    const bot = resourcesOf(s, 'AWS::ECS::Service').find(([, r]) => r.Properties.ServiceName === 'envbot')!;
    const lbs = bot[1].Properties.LoadBalancers as { TargetGroupArn: unknown; ContainerPort: number }[];
    expect(lbs).toHaveLength(2);
    expect(lbs.some((l) => ref(l.TargetGroupArn).includes(wakeId) && l.ContainerPort === 3000)).toBe(true);
  });

  it('reaches the bot as ENVBOT_WAKE_TARGET_GROUP_ARN, the name the bot reads (wake.targetGroupArn)', () => {
    const [wakeId] = wakeGroup();
    expect(ref(botEnvironment(s).ENVBOT_WAKE_TARGET_GROUP_ARN)).toContain(wakeId);
    expect(ENV_KEYS.ENVBOT_WAKE_TARGET_GROUP_ARN).toBe('wake.targetGroupArn');
    expect(BOT_SETTING_OUTPUTS.ENVBOT_WAKE_TARGET_GROUP_ARN).toBe('wakeTargetGroupArn');
    expect(s.json.Outputs).toHaveProperty(['wakeTargetGroupArn']);
  });
});

describe('bot permissions for idle sleep and waking', () => {
  const botStatements = () => {
    const [roleId] = resourcesOf(s, 'AWS::IAM::Role').find(([id]) => id.startsWith('BotTaskRole'))!;
    return resourcesOf(s, 'AWS::IAM::Policy')
      .filter(([, p]) => ref(p.Properties.Roles).includes(`"${roleId}"`))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);
  };
  const actions = (st: { Action: string | string[] }) => ([] as string[]).concat(st.Action);

  it('may read request counts (GetMetricData has no resource type)', () => {
    expect(botStatements().some((st) => actions(st).includes('cloudwatch:GetMetricData') && st.Resource === '*')).toBe(true);
  });

  it('may modify the environments’ rules on the shared listener only', () => {
    const modify = botStatements().filter((st) => actions(st).includes('elasticloadbalancing:ModifyRule'));
    expect(modify).toHaveLength(1);
    // listener-rule/<the shared listener's path>/* , built from the listener ARN
    expect(ref(modify[0]!.Resource)).toContain('":listener-rule/"');
    expect(ref(modify[0]!.Resource)).toContain('LoadBalancerAlbHttp');
    expect(modify[0]!.Resource).not.toBe('*');
  });
});

describe('automation bypass secret', () => {
  const bypass = () => resourcesOf(s, 'AWS::SecretsManager::Secret').find(([id]) => id.startsWith('WakeBypassSecret'))!;

  it('is generated with letters and digits only (ALB header conditions treat * and ? as wildcards)', () => {
    expect(bypass()[1].Properties.GenerateSecretString).toMatchObject({ ExcludePunctuation: true, IncludeSpace: false, PasswordLength: 64 });
  });

  it('is readable by the bot’s execution role only: the resource policy denies every other principal', () => {
    const [id] = bypass();
    const policy = resourcesOf(s, 'AWS::SecretsManager::ResourcePolicy').find(([, p]) => ref(p.Properties.SecretId).includes(id))!;
    const [statement] = policy[1].Properties.ResourcePolicy.Statement;
    expect(statement).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 'secretsmanager:GetSecretValue' });
    const [execRoleId] = resourcesOf(s, 'AWS::IAM::Role').find(([rid]) => rid.startsWith('BotTaskDefinitionExecutionRole'))!;
    expect(ref(statement.Condition.ArnNotEquals['aws:PrincipalArn'])).toContain(execRoleId);
  });

  it('reaches the bot as an ECS secret, never a plain variable; its ARN is a setting', () => {
    const [id] = bypass();
    const [, taskDef] = resourcesOf(s, 'AWS::ECS::TaskDefinition').find(([tid]) => tid.startsWith('BotTaskDefinition'))!;
    const secrets = taskDef.Properties.ContainerDefinitions[0].Secrets as { Name: string; ValueFrom: unknown }[];
    expect(ref(secrets.find((x) => x.Name === BYPASS_SECRET_ENV)?.ValueFrom)).toContain(id);
    expect(botEnvironment(s)).not.toHaveProperty([BYPASS_SECRET_ENV]);
    expect(ref(botEnvironment(s).ENVBOT_BYPASS_SECRET_ARN)).toContain(id);
    expect(ENV_KEYS[BYPASS_SECRET_ENV]).toBe('protection.bypass.secret');
  });
});
