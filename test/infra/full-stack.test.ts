import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV_KEYS, loadConfig } from '../../app/src/config.js';
import { BOT_SECRET_KEYS, BYPASS_SECRET_ENV, PROTECTION_OIDC_SECRET_ENV } from '../../infra/lib/bot-settings.js';
import { unscopedGrants } from './support/iam-scoping.js';
import { botEnvironment, nagFindings, resourcesOf, synthesize, type Synthesized } from './support/synth.js';

// Every option switched on: HTTPS through a Route 53 zone, the OIDC-protected dashboard, interface
// endpoints, two NAT gateways, Container Insights, a prebuilt bot image, a customer KMS key.
const SETTINGS = {
  account: '123456789012',
  region: 'ap-northeast-2',
  domain: 'envs.acme.dev',
  hostedZone: { id: 'Z0123456789ABCDEFGHIJ', name: 'acme.dev' },
  vpcCidr: '10.80.0.0/20',
  natGateways: 2,
  interfaceEndpoints: true,
  flowLogs: 'ALL',
  containerInsights: true,
  timezone: 'Europe/Berlin',
  logRetentionDays: 90,
  tableRemoval: 'destroy',
  ssmKmsKeyArn: 'arn:aws:kms:ap-northeast-2:123456789012:key/11111111-2222-3333-4444-555555555555',
  github: { repository: 'acme/shop' },
  slack: { costChannel: 'C0COSTS' },
  access: { admins: ['U0ADMIN1'], allowedUsers: ['U0DEV1', 'U0DEV2'], maxPerUser: 2, maxTotal: 40 },
  profiles: { dev: { containerPort: 3000, healthCheckPath: '/health', size: 's' }, stage: {} },
  bot: {
    desiredCount: 3,
    cpu: 1024,
    memory: 2048,
    imageRepository: 'envbot-bot',
    imageTag: 'v1.2.3',
    secretArn: 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:envbot/bot-AbCdEf',
  },
  build: { computeType: 'LARGE', timeoutMinutes: 45, cache: 'local', cacheExpirationDays: 7, concurrentBuildLimit: 10 },
  images: { keepCommitImages: 50, commitImageMaxAgeDays: 14 },
  dashboard: {
    enabled: true,
    oidc: {
      issuer: 'https://login.acme.dev',
      authorizationEndpoint: 'https://login.acme.dev/authorize',
      tokenEndpoint: 'https://login.acme.dev/token',
      userInfoEndpoint: 'https://login.acme.dev/userinfo',
      clientId: 'envbot-dashboard',
      clientSecretName: 'envbot/oidc',
      clientSecretJsonKey: 'clientSecret',
    },
  },
};

let s: Synthesized;
beforeAll(() => {
  s = synthesize(SETTINGS);
});

describe('envbot stack with every option on', () => {
  it('has no unacknowledged cdk-nag findings and no stale acknowledgements', () => {
    expect(nagFindings(s.nag)).toEqual([]);
    expect(s.unusedAcknowledgements).toEqual([]);
  });

  it('grants `*` only for actions AWS cannot scope', () => {
    expect(unscopedGrants(s.json)).toEqual([]);
  });

  it('serves *.<domain> over HTTPS with an ACM certificate, a wildcard record and an HTTP redirect', () => {
    s.template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: '*.envs.acme.dev',
      DomainValidationOptions: [{ DomainName: '*.envs.acme.dev', HostedZoneId: 'Z0123456789ABCDEFGHIJ' }],
      ValidationMethod: 'DNS',
    });
    s.template.hasResourceProperties('AWS::Route53::RecordSet', { Name: '*.envs.acme.dev.', Type: 'A', HostedZoneId: 'Z0123456789ABCDEFGHIJ' });
    s.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      DefaultActions: [Match.objectLike({ Type: 'fixed-response', FixedResponseConfig: Match.objectLike({ StatusCode: '404' }) })],
    });
    s.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      DefaultActions: [Match.objectLike({ Type: 'redirect', RedirectConfig: Match.objectLike({ Port: '443', Protocol: 'HTTPS' }) })],
    });
  });

  it('puts the dashboard behind ALB OIDC login, before the bot’s public route, with the secret resolved at deploy time', () => {
    const [httpsId] = resourcesOf(s, 'AWS::ElasticLoadBalancingV2::Listener').find(([, l]) => l.Properties.Port === 443)!;
    s.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      ListenerArn: { Ref: httpsId },
      Priority: 49990,
      Conditions: Match.arrayWith([
        { Field: 'host-header', HostHeaderConfig: { Values: ['envbot.envs.acme.dev'] } },
        { Field: 'path-pattern', PathPatternConfig: { Values: ['/dashboard', '/dashboard/*'] } },
      ]),
      Actions: [
        Match.objectLike({
          Order: 1,
          Type: 'authenticate-oidc',
          AuthenticateOidcConfig: Match.objectLike({
            Issuer: 'https://login.acme.dev',
            ClientId: 'envbot-dashboard',
            ClientSecret: '{{resolve:secretsmanager:envbot/oidc:SecretString:clientSecret::}}',
            OnUnauthenticatedRequest: 'authenticate',
          }),
        }),
        Match.objectLike({ Order: 2, Type: 'forward' }),
      ],
    });
    s.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', { ListenerArn: { Ref: httpsId }, Priority: 50000 });
  });

  it('applies network, cluster and build options', () => {
    s.template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.80.0.0/20' });
    s.template.resourceCountIs('AWS::EC2::NatGateway', 2);
    expect(resourcesOf(s, 'AWS::EC2::VPCEndpoint').filter(([, e]) => e.Properties.VpcEndpointType === 'Interface')).toHaveLength(5);
    s.template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL' });
    s.template.hasResourceProperties('AWS::ECS::Cluster', { ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] });
    s.template.hasResourceProperties('AWS::CodeBuild::Project', {
      Source: Match.objectLike({ Location: 'https://github.com/acme/shop.git' }),
      Environment: Match.objectLike({ ComputeType: 'BUILD_GENERAL1_LARGE' }),
      TimeoutInMinutes: 45,
      ConcurrentBuildLimit: 10,
      Cache: { Type: 'LOCAL', Modes: ['LOCAL_SOURCE_CACHE', 'LOCAL_DOCKER_LAYER_CACHE', 'LOCAL_CUSTOM_CACHE'] },
    });
    s.template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 7 })]) },
    });
    const lifecycle = JSON.parse(resourcesOf(s, 'AWS::ECR::Repository')[0]![1].Properties.LifecyclePolicy.LifecyclePolicyText);
    expect(lifecycle.rules.map((r: { selection: { countNumber: number } }) => r.selection.countNumber)).toContain(50);
    for (const [, g] of resourcesOf(s, 'AWS::Logs::LogGroup')) expect(g.Properties.RetentionInDays).toBe(90);
  });

  it('deletes the table on destroy when configured to', () => {
    s.template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
  });

  it('runs the prebuilt bot image with the configured size and replicas', () => {
    s.template.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 3 });
    const [, taskDef] = resourcesOf(s, 'AWS::ECS::TaskDefinition')[0]!;
    expect(taskDef.Properties).toMatchObject({ Cpu: '1024', Memory: '2048' });
    expect(JSON.stringify(taskDef.Properties.ContainerDefinitions[0].Image)).toContain('envbot-bot:v1.2.3');
  });

  it('reads the credentials from the existing secret instead of creating one', () => {
    // The one secret created is the automation bypass secret (infra/lib/wake.ts), not a credential.
    expect(resourcesOf(s, 'AWS::SecretsManager::Secret').map(([id]) => id)).toEqual([expect.stringMatching(/^WakeBypassSecret/)]);
    const [, taskDef] = resourcesOf(s, 'AWS::ECS::TaskDefinition')[0]!;
    const credentials = (taskDef.Properties.ContainerDefinitions[0].Secrets as { Name: string; ValueFrom: unknown }[]).filter((x) => x.Name !== BYPASS_SECRET_ENV && x.Name !== PROTECTION_OIDC_SECRET_ENV);
    expect(credentials.map((x) => x.Name).sort()).toEqual([...BOT_SECRET_KEYS].sort());
    for (const secret of credentials) {
      expect(secret.ValueFrom).toBe(`${SETTINGS.bot.secretArn}:${secret.Name}::`);
    }
  });

  it('passes the optional settings and the profile overrides to the bot', () => {
    const env = botEnvironment(s);
    expect(env).toMatchObject({
      ENVBOT_URL_SCHEME: 'https',
      ENVBOT_DOMAIN: 'envs.acme.dev',
      ENVBOT_TIMEZONE: 'Europe/Berlin',
      ENVBOT_COST_CHANNEL: 'C0COSTS',
      ENVBOT_ADMINS: 'slack:U0ADMIN1',
      ENVBOT_ALLOWED_USERS: 'slack:U0DEV1,slack:U0DEV2',
      ENVBOT_MAX_PER_USER: '2',
      ENVBOT_MAX_TOTAL: '40',
      ENVBOT_DASHBOARD: 'true',
      ENVBOT_DASHBOARD_OIDC_ISSUER: 'https://login.acme.dev',
      GITHUB_REPOSITORY: 'acme/shop',
    });
    // The dashboard verifies the ALB's OIDC token against this load balancer's ARN.
    expect(env.ENVBOT_DASHBOARD_ALB_ARN).toEqual({ Ref: expect.stringMatching(/LoadBalancer/) });
    expect(JSON.parse(env.ENVBOT_CONFIG_JSON as string)).toEqual({
      profiles: { dev: { containerPort: 3000, healthCheckPath: '/health', size: 's' }, stage: {} },
    });
  });

  it('gives the bot the dashboard’s identity provider for `oidc` environments: the client secret as an ECS secret, never a plain value', () => {
    const [, taskDef] = resourcesOf(s, 'AWS::ECS::TaskDefinition').find(([id]) => id.startsWith('BotTaskDefinition'))!;
    const container = taskDef.Properties.ContainerDefinitions[0];
    const secret = (container.Secrets as { Name: string; ValueFrom: unknown }[]).find((x) => x.Name === PROTECTION_OIDC_SECRET_ENV);
    // The same Secrets Manager secret and JSON key as the dashboard's sign-in rule.
    expect(JSON.stringify(secret?.ValueFrom)).toContain(':secret:envbot/oidc:clientSecret::');
    const env = botEnvironment(s);
    expect(env).not.toHaveProperty([PROTECTION_OIDC_SECRET_ENV]);
    expect((container.Environment as { Name: string }[]).map((e) => e.Name)).not.toContain(PROTECTION_OIDC_SECRET_ENV);
    expect(ENV_KEYS[PROTECTION_OIDC_SECRET_ENV]).toBe('protection.oidc.clientSecret');
    expect(env).toMatchObject({
      ENVBOT_PROTECTION_OIDC_ISSUER: 'https://login.acme.dev',
      ENVBOT_PROTECTION_OIDC_AUTHORIZATION_ENDPOINT: 'https://login.acme.dev/authorize',
      ENVBOT_PROTECTION_OIDC_TOKEN_ENDPOINT: 'https://login.acme.dev/token',
      ENVBOT_PROTECTION_OIDC_USER_INFO_ENDPOINT: 'https://login.acme.dev/userinfo',
      ENVBOT_PROTECTION_OIDC_CLIENT_ID: 'envbot-dashboard',
      ENVBOT_PROTECTION_OIDC_SCOPE: 'openid email',
    });
    expect(JSON.stringify(env.ENVBOT_PROTECTION_OIDC_CLIENT_SECRET_ARN)).toContain(':secret:envbot/oidc');
    // The bot's own config loader turns these names into its protection.oidc provider.
    const protection = loadConfig({
      ENVBOT_MODE: 'local',
      ...Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith('ENVBOT_PROTECTION_OIDC_') && typeof v === 'string')),
      ENVBOT_PROTECTION_OIDC_CLIENT_SECRET_ARN: 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:envbot/oidc',
      [PROTECTION_OIDC_SECRET_ENV]: 'injected-by-ecs',
    }).protection;
    expect(protection.oidc).toMatchObject({ issuer: 'https://login.acme.dev', clientId: 'envbot-dashboard', clientSecret: 'injected-by-ecs' });
  });

  it('lets environments and the bot use the customer KMS key only through SSM', () => {
    const kms = JSON.stringify(resourcesOf(s, 'AWS::IAM::Policy').map(([, p]) => p.Properties.PolicyDocument.Statement));
    expect(kms).toContain('"kms:Decrypt"');
    expect(kms).toContain('"kms:ViaService":"ssm.ap-northeast-2.amazonaws.com"');
  });
});
