import { Aws, Duration, SecretValue } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { botImage } from './bot-image.js';
import { botSecret } from './bot-secret.js';
import { BOT_SECRET_KEYS, BYPASS_SECRET_ENV, PROTECTION_OIDC_SECRET_ENV } from './bot-settings.js';
import type { InfraConfig } from './config.js';
import { createLogGroup } from './log-group.js';
import { NAMES, RULE_PRIORITY } from './names.js';
import { ANY_RESOURCE, suppress } from './nag.js';
import type { WakeResources } from './wake.js';

export interface BotServiceProps {
  config: InfraConfig;
  cluster: ecs.ICluster;
  listener: elbv2.IApplicationListener;
  environment: Record<string, string>;
  /** The waking target group and bypass secret (issue 15). */
  wake?: WakeResources;
  /** The identity provider's client secret, for `oidc` environment rules (protection-oidc.ts). */
  oidcClientSecret?: secretsmanager.ISecret;
}

/**
 * The bot: an always-on FARGATE (not Spot) service of `bot.desiredCount` replicas behind the shared
 * ALB at envbot.<domain>. Replicas share nothing but DynamoDB leases and the SQS queue, so 2+ is safe.
 */
export class BotService extends Construct {
  readonly service: ecs.FargateService;
  readonly taskRole: iam.Role;
  readonly secret: secretsmanager.ISecret;

  constructor(scope: Construct, id: string, { config, cluster, listener, environment, wake, oidcClientSecret }: BotServiceProps) {
    super(scope, id);
    this.secret = botSecret(this, config);
    this.taskRole = new iam.Role(this, 'TaskRole', {
      description: 'envbot bot: manages envbot environments',
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
      }),
    });
    const taskDefinition = this.taskDefinition(config, environment, { wake, oidcClientSecret });

    this.service = new ecs.FargateService(this, 'Service', {
      cluster,
      // Not "envbot-…" either: the bot must never mistake itself for an environment.
      serviceName: 'envbot',
      taskDefinition,
      desiredCount: config.bot.desiredCount,
      capacityProviderStrategies: [{ capacityProvider: 'FARGATE', weight: 1 }],
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { rollback: true },
      healthCheckGracePeriod: Duration.seconds(60),
    });
    // The FARGATE strategy only works once the cluster has its capacity providers. CloudFormation
    // does not know that (no Ref links them), so without this the first deploy can create the
    // service before the association and fail. Depending on the cluster construct covers the
    // AWS::ECS::ClusterCapacityProviderAssociations resource CDK adds under it at synth time.
    this.service.node.addDependency(cluster);
    this.route(config, listener, wake);
    if (wake) wake.restrictBypassSecretTo(taskDefinition.obtainExecutionRole());

    suppress(
      taskDefinition,
      'Only ecr:GetAuthorizationToken (no resource-level permissions) for the image pull; secrets and logs are granted by ARN.',
      ANY_RESOURCE,
    );
    suppress(
      taskDefinition,
      'The variables are non-secret resource names, ARNs and settings from this stack (also stack outputs). ' +
        'The Slack and GitHub credentials are injected from Secrets Manager as ECS secrets.',
      'AwsSolutions-ECS2',
    );
  }

  /** The bot's one container: read-only root, /tmp writable, secrets from Secrets Manager, 120 s to stop. */
  private taskDefinition(
    config: InfraConfig,
    environment: BotServiceProps['environment'],
    { wake, oidcClientSecret }: Pick<BotServiceProps, 'wake' | 'oidcClientSecret'>,
  ): ecs.FargateTaskDefinition {
    const taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      // Not "envbot-…": that prefix belongs to environments (and to the bot's own permissions).
      family: 'envbot',
      cpu: config.bot.cpu,
      memoryLimitMiB: config.bot.memory,
      taskRole: this.taskRole,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
    });
    const container = taskDefinition.addContainer('bot', {
      image: botImage(this, config),
      environment: {
        ...environment,
        PORT: String(NAMES.botPort),
        LOG_LEVEL: config.bot.logLevel,
        // The root filesystem is read-only; /tmp is the one writable volume.
        ENVBOT_DATA_DIR: '/tmp/envbot',
      },
      secrets: {
        ...Object.fromEntries(BOT_SECRET_KEYS.map((key) => [key, ecs.Secret.fromSecretsManager(this.secret, key)])),
        ...(wake && { [BYPASS_SECRET_ENV]: ecs.Secret.fromSecretsManager(wake.bypassSecret) }),
        // Same secret (and JSON key) as the dashboard's sign-in rule; ECS reads it at task start.
        ...(oidcClientSecret && {
          [PROTECTION_OIDC_SECRET_ENV]: ecs.Secret.fromSecretsManager(oidcClientSecret, config.dashboard.oidc?.clientSecretJsonKey),
        }),
      },
      portMappings: [{ containerPort: NAMES.botPort }],
      readonlyRootFilesystem: true,
      // SIGTERM → SIGKILL: the bot hands back long waits, releases leases and hands back GitHub
      // deliveries within its 100 s shutdown budget (app/src/main.ts); 120 s is Fargate's maximum.
      stopTimeout: Duration.seconds(120),
      logging: ecs.LogDrivers.awsLogs({ logGroup: createLogGroup(this, 'Logs', NAMES.botLogGroup, config), streamPrefix: 'bot' }),
    });
    taskDefinition.addVolume({ name: 'tmp' });
    container.addMountPoints({ sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false });
    return taskDefinition;
  }

  /** envbot.<domain> → the bot; with the dashboard on, its paths first pass the ALB's OIDC login. */
  private route(config: InfraConfig, listener: elbv2.IApplicationListener, wake?: WakeResources): void {
    const targetGroup = new elbv2.ApplicationTargetGroup(this, 'TargetGroup', {
      vpc: this.service.cluster.vpc,
      port: NAMES.botPort,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      targets: [this.service],
      healthCheck: { path: '/healthz', healthyHttpCodes: '200', interval: Duration.seconds(15), healthyThresholdCount: 2 },
      deregistrationDelay: Duration.seconds(30),
    });
    const host = elbv2.ListenerCondition.hostHeaders([`${NAMES.botHost}.${config.domain}`]);
    // The waking group rides along at weight 0: attached to the listener (ECS refuses a group no
    // listener uses) and health-checked, while the bot's own traffic all goes to its group.
    if (wake) wake.targetGroup.addTarget(this.service);
    new elbv2.ApplicationListenerRule(this, 'Rule', {
      listener,
      priority: RULE_PRIORITY.bot,
      conditions: [host],
      action: wake
        ? elbv2.ListenerAction.weightedForward([
            { targetGroup, weight: 1 },
            { targetGroup: wake.targetGroup, weight: 0 },
          ])
        : elbv2.ListenerAction.forward([targetGroup]),
    });
    const oidc = config.dashboard.oidc;
    if (!config.dashboard.enabled || !oidc) return;
    new elbv2.ApplicationListenerRule(this, 'DashboardRule', {
      listener,
      priority: RULE_PRIORITY.dashboard,
      conditions: [host, elbv2.ListenerCondition.pathPatterns(config.dashboard.pathPatterns)],
      action: elbv2.ListenerAction.authenticateOidc({
        issuer: oidc.issuer,
        authorizationEndpoint: oidc.authorizationEndpoint,
        tokenEndpoint: oidc.tokenEndpoint,
        userInfoEndpoint: oidc.userInfoEndpoint,
        clientId: oidc.clientId,
        // A dynamic reference: CloudFormation resolves it at deploy time, the template never holds it.
        clientSecret: SecretValue.secretsManager(oidc.clientSecretName, oidc.clientSecretJsonKey ? { jsonField: oidc.clientSecretJsonKey } : {}),
        scope: oidc.scope,
        onUnauthenticatedRequest: elbv2.UnauthenticatedAction.AUTHENTICATE,
        next: elbv2.ListenerAction.forward([targetGroup]),
      }),
    });
  }
}
