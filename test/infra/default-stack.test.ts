import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { buildLifecyclePolicy } from '../../app/src/builds/lifecycle-policy.js';
import { loadConfig } from '../../app/src/config.js';
import { BOT_SECRET_KEYS, BOT_SETTING_OUTPUTS, BYPASS_SECRET_ENV } from '../../infra/lib/bot-settings.js';
import { BUILDSPEC_PATH } from '../../infra/lib/build-project.js';
import { unscopedGrants } from './support/iam-scoping.js';
import { botEnvironment, nagFindings, resourcesOf, synthesize, type Synthesized } from './support/synth.js';

// No context at all: the defaults must synthesize offline (httpOnly, asset-built bot image).
let s: Synthesized;
beforeAll(() => {
  s = synthesize();
});

describe('envbot stack with default settings', () => {
  it('has no unacknowledged cdk-nag AwsSolutions findings', () => {
    expect(nagFindings(s.nag)).toEqual([]);
  });

  it('acknowledges findings only with a reason a reviewer can check, and none that hide nothing', () => {
    expect(s.acknowledgements.length).toBeGreaterThan(0);
    for (const a of s.acknowledgements) expect(a.reason.length, `${a.id} at ${a.path}`).toBeGreaterThanOrEqual(40);
    expect(s.unusedAcknowledgements).toEqual([]);
  });

  it('grants `*` only for actions AWS cannot scope', () => {
    expect(unscopedGrants(s.json)).toEqual([]);
  });

  it('builds a 2-AZ VPC with one NAT gateway, private subnets and free gateway endpoints', () => {
    s.template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.40.0.0/16' });
    s.template.resourceCountIs('AWS::EC2::Subnet', 4);
    s.template.resourceCountIs('AWS::EC2::NatGateway', 1);
    const endpoints = resourcesOf(s, 'AWS::EC2::VPCEndpoint').map(([, r]) => JSON.stringify(r.Properties.ServiceName));
    expect(endpoints.some((e) => e.includes('.s3'))).toBe(true);
    expect(endpoints.some((e) => e.includes('.dynamodb'))).toBe(true);
    s.template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'REJECT' });
  });

  it('gives the cluster FARGATE and FARGATE_SPOT capacity providers, Spot by default', () => {
    s.template.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterName: 'envbot',
      ClusterSettings: [{ Name: 'containerInsights', Value: 'disabled' }],
    });
    s.template.hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', {
      CapacityProviders: Match.arrayWith(['FARGATE', 'FARGATE_SPOT']),
      DefaultCapacityProviderStrategy: [{ CapacityProvider: 'FARGATE_SPOT', Weight: 1 }],
    });
  });

  it("creates the bot's service only after the cluster's capacity providers are associated (first deploy)", () => {
    const [association] = resourcesOf(s, 'AWS::ECS::ClusterCapacityProviderAssociations').map(([id]) => id);
    const bot = resourcesOf(s, 'AWS::ECS::Service').find(([, r]) => r.Properties.ServiceName === 'envbot');
    expect(bot?.[1].Properties.CapacityProviderStrategy).toEqual([{ CapacityProvider: 'FARGATE', Weight: 1 }]);
    expect(bot?.[1].DependsOn).toContain(association);
  });

  it('answers unknown hosts on the shared HTTP listener with a friendly 404 (httpOnly mode)', () => {
    s.template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
    s.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [
        { Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain', MessageBody: Match.stringLikeRegexp('/env list') } },
      ],
    });
    s.template.resourceCountIs('AWS::CertificateManager::Certificate', 0);
    s.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internet-facing',
    });
    for (const attribute of [
      { Key: 'access_logs.s3.enabled', Value: 'true' },
      { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
    ]) {
      s.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { LoadBalancerAttributes: Match.arrayWith([attribute]) });
    }
  });

  it('lets only the ALB reach environment tasks, on any TCP port (profiles choose the port)', () => {
    const groups = resourcesOf(s, 'AWS::EC2::SecurityGroup');
    const [envSg, env] = groups.find(([, g]) => g.Properties.GroupDescription.startsWith('envbot environments'))!;
    const [albSg] = groups.find(([id]) => id.startsWith('LoadBalancerAlbSecurityGroup'))!;
    expect(env.Properties.SecurityGroupIngress).toBeUndefined();
    const ingress = resourcesOf(s, 'AWS::EC2::SecurityGroupIngress').filter(([, r]) => r.Properties.GroupId['Fn::GetAtt']?.[0] === envSg);
    expect(ingress.map(([, r]) => r.Properties)).toEqual([
      expect.objectContaining({ IpProtocol: 'tcp', FromPort: 0, ToPort: 65535, SourceSecurityGroupId: { 'Fn::GetAtt': [albSg, 'GroupId'] } }),
    ]);
  });

  it('routes envbot.<domain> to the bot at the top of the priority range, clear of environment rules', () => {
    s.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Priority: 50000,
      Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: ['envbot.envs.example.com'] } }],
      Actions: [Match.objectLike({ Type: 'forward' })],
    });
    s.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Port: 3000,
      TargetType: 'ip',
      HealthCheckPath: '/healthz',
    });
  });

  it('attaches the app-owned lifecycle policy to the immutable ECR repository', () => {
    s.template.hasResource('AWS::ECR::Repository', {
      DeletionPolicy: 'Delete',
      Properties: {
        RepositoryName: 'envbot-apps',
        ImageTagMutability: 'IMMUTABLE',
        EmptyOnDelete: true,
        LifecyclePolicy: {
          LifecyclePolicyText: JSON.stringify(buildLifecyclePolicy({ keepCommitImages: 30, commitImageMaxAgeDays: 30 })),
        },
      },
    });
  });

  it('builds in a privileged, webhook-less CodeBuild project with an expiring S3 jar cache', () => {
    const [bucketId] = resourcesOf(s, 'AWS::S3::Bucket').find(([, b]) => b.Properties.LoggingConfiguration)!;
    s.template.hasResourceProperties('AWS::CodeBuild::Project', {
      Name: 'envbot-build',
      // envbot's own buildspec, inline: the branch under build cannot change what the build does.
      Source: { Type: 'GITHUB', Location: 'https://github.com/example-org/example-app.git', BuildSpec: Match.stringLikeRegexp('IMAGE_DIGEST'), ReportBuildStatus: false },
      Environment: Match.objectLike({
        PrivilegedMode: true,
        ComputeType: 'BUILD_GENERAL1_MEDIUM',
        EnvironmentVariables: Match.arrayWith([
          Match.objectLike({ Name: 'IMAGE_REPO_URI', Type: 'PLAINTEXT' }),
          Match.objectLike({ Name: 'ECR_REPOSITORY_URI', Type: 'PLAINTEXT' }),
          Match.objectLike({ Name: 'AWS_ACCOUNT_ID', Type: 'PLAINTEXT' }),
          Match.objectLike({ Name: 'CACHE_BUCKET', Type: 'PLAINTEXT' }),
        ]),
      }),
      Cache: { Type: 'S3', Location: { 'Fn::Join': ['', [{ Ref: bucketId }, '/branches']] } },
      TimeoutInMinutes: 30,
      ConcurrentBuildLimit: Match.absent(),
      Triggers: { Webhook: false },
    });
    s.template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 14, Status: 'Enabled' })]) },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'build-cache/' }),
    });
  });

  it('carries buildspec.yml byte-for-byte in meaning, and gives protected branches their own role and cache prefix', () => {
    const [, project] = resourcesOf(s, 'AWS::CodeBuild::Project')[0]!;
    expect(parseYaml(project.Properties.Source.BuildSpec)).toEqual(parseYaml(readFileSync(BUILDSPEC_PATH, 'utf8')));
    const [bucketId] = resourcesOf(s, 'AWS::S3::Bucket').find(([, b]) => b.Properties.LoggingConfiguration)!;
    const policies = resourcesOf(s, 'AWS::IAM::Policy').map(([, p]) => JSON.stringify(p.Properties));
    const objectsUnder = (prefix: string) => JSON.stringify({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, `/${prefix}/*`]] });
    const writers = (prefix: string) => policies.filter((p) => p.includes(objectsUnder(prefix)) && p.includes('s3:PutObject'));
    // Each prefix has exactly one writer: the project role writes branches/, the protected role protected/.
    expect(writers('branches')).toHaveLength(1);
    expect(writers('protected')).toHaveLength(1);
    expect(writers('protected')[0]).toContain('BuildProtectedRole');
    expect(policies.some((p) => p.includes(JSON.stringify({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] })))).toBe(false);
    // The bot may pass that role to CodeBuild only, and learns its ARN and the bucket.
    expect(policies.some((p) => p.includes('iam:PassRole') && p.includes('codebuild.amazonaws.com') && p.includes('BuildProtectedRole'))).toBe(true);
  });

  it('keeps state in a pk/sk table with point-in-time recovery and TTL, retained on destroy', () => {
    s.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: {
        TableName: 'envbot',
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      },
    });
  });

  it('retains nothing but the table on `cdk destroy`', () => {
    const retained = Object.entries(s.json.Resources)
      .filter(([, r]) => r.DeletionPolicy === 'Retain' || r.UpdateReplacePolicy === 'Retain')
      .map(([, r]) => r.Type);
    expect(retained).toEqual(['AWS::DynamoDB::Table']);
  });

  it('sends this cluster’s task state changes to a queue with a dead-letter queue', () => {
    const queues = resourcesOf(s, 'AWS::SQS::Queue');
    const [dlqId] = queues.find(([, q]) => q.Properties.QueueName === 'envbot-task-events-dlq')!;
    s.template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'envbot-task-events',
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 5 },
    });
    const [clusterId] = resourcesOf(s, 'AWS::ECS::Cluster')[0]!;
    s.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.ecs'],
        'detail-type': ['ECS Task State Change'],
        detail: { clusterArn: [{ 'Fn::GetAtt': [clusterId, 'Arn'] }] },
      },
      Targets: [Match.objectLike({ DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } } })],
    });
    s.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'events.amazonaws.com' }, Action: Match.arrayWith(['sqs:SendMessage']) })]) },
    });
  });

  it('lets schedules do two things: UpdateService on envbot environment services, and report a failure to their dead-letter queue', () => {
    s.template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'envbot' });
    const [roleId, role] = resourcesOf(s, 'AWS::IAM::Role').find(([, r]) =>
      JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('scheduler.amazonaws.com'),
    )!;
    expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument)).toContain('aws:SourceArn');
    const policies = resourcesOf(s, 'AWS::IAM::Policy').filter(([, p]) => JSON.stringify(p.Properties.Roles).includes(roleId));
    expect(policies).toHaveLength(1);
    const [dlqId] = resourcesOf(s, 'AWS::SQS::Queue').find(([, q]) => q.Properties.QueueName === 'envbot-schedule-failures')!;
    expect(policies[0]![1].Properties.PolicyDocument.Statement).toEqual([
      {
        Action: 'ecs:UpdateService',
        Effect: 'Allow',
        Resource: { 'Fn::Join': ['', ['arn:aws:ecs:us-east-1:', { Ref: 'AWS::AccountId' }, ':service/envbot/envbot-*']] },
      },
      { Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [dlqId, 'Arn'] } },
    ]);
  });

  it('gives the schedules a standard, encrypted dead-letter queue the bot reads, and tells the bot where it is', () => {
    const [dlqId, dlq] = resourcesOf(s, 'AWS::SQS::Queue').find(([, q]) => q.Properties.QueueName === 'envbot-schedule-failures')!;
    expect(dlq.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    expect(dlq.Properties.FifoQueue).toBeUndefined(); // Scheduler does not support FIFO dead-letter queues
    const botPolicy = resourcesOf(s, 'AWS::IAM::Policy').find(([id]) => id.startsWith('BotTaskRole'))!;
    const statements = botPolicy[1].Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[];
    const queueArn = JSON.stringify({ 'Fn::GetAtt': [dlqId, 'Arn'] });
    const onQueue = statements.filter((st) => [st.Resource].flat().some((r) => JSON.stringify(r) === queueArn)).flatMap((st) => st.Action);
    expect(onQueue).toEqual(expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage']));
    expect(onQueue).not.toContain('sqs:SendMessage');
    const env = botEnvironment(s);
    expect(env.ENVBOT_SCHEDULE_FAILURES_QUEUE_ARN).toEqual({ 'Fn::GetAtt': [dlqId, 'Arn'] });
    expect(env.ENVBOT_SCHEDULE_FAILURES_QUEUE_URL).toEqual({ Ref: dlqId });
  });

  it('keeps logs for the configured retention and deletes them on destroy', () => {
    const groups = resourcesOf(s, 'AWS::Logs::LogGroup');
    expect(groups.map(([, g]) => g.Properties.LogGroupName).sort()).toEqual(
      ['/envbot/bot', '/envbot/builds', '/envbot/environments', '/envbot/vpc-flow-logs'],
    );
    for (const [, g] of groups) {
      expect(g.Properties.RetentionInDays).toBe(30);
      expect(g.DeletionPolicy).toBe('Delete');
    }
  });

  it('runs the bot on on-demand FARGATE with 2 replicas in private subnets', () => {
    s.template.hasResourceProperties('AWS::ECS::Service', {
      ServiceName: 'envbot',
      DesiredCount: 2,
      LaunchType: Match.absent(),
      CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE', Weight: 1 }],
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }) },
      DeploymentConfiguration: Match.objectLike({ DeploymentCircuitBreaker: { Enable: true, Rollback: true } }),
    });
    s.template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Family: 'envbot',
      ContainerDefinitions: [Match.objectLike({ ReadonlyRootFilesystem: true, PortMappings: [Match.objectLike({ ContainerPort: 3000 })] })],
    });
  });

  it('gives the bot every setting it needs from stack values, in the names config.ts reads', () => {
    const env = botEnvironment(s);
    for (const name of [
      'ENVBOT_MODE', 'ENVBOT_CLUSTER', 'ENVBOT_LISTENER_ARN', 'ENVBOT_VPC_ID', 'ENVBOT_SUBNETS', 'ENVBOT_SECURITY_GROUPS',
      'ENVBOT_TABLE', 'ENVBOT_ECR_REPOSITORY', 'ENVBOT_EXECUTION_ROLE_ARN', 'ENVBOT_TASK_ROLE_ARN', 'ENVBOT_LOG_GROUP',
      'ENVBOT_SCHEDULE_GROUP', 'ENVBOT_SCHEDULER_ROLE_ARN', 'ENVBOT_CODEBUILD_PROJECT', 'ENVBOT_DOMAIN', 'ENVBOT_TIMEZONE',
      'ENVBOT_EVENTS_QUEUE_URL', 'ENVBOT_SCHEDULE_FAILURES_QUEUE_ARN', 'ENVBOT_SCHEDULE_FAILURES_QUEUE_URL', 'GITHUB_REPOSITORY', 'AWS_REGION', 'PORT',
    ]) {
      expect(env, name).toHaveProperty([name]);
    }
    expect(env).toMatchObject({
      ENVBOT_MODE: 'aws',
      ENVBOT_CLUSTER: 'envbot',
      ENVBOT_ECR_REPOSITORY: 'envbot-apps',
      ENVBOT_LOG_GROUP: '/envbot/environments',
      ENVBOT_SCHEDULE_GROUP: 'envbot',
      ENVBOT_CODEBUILD_PROJECT: 'envbot-build',
      ENVBOT_DOMAIN: 'envs.example.com',
      ENVBOT_URL_SCHEME: 'http',
      ENVBOT_TIMEZONE: 'Asia/Seoul',
      GITHUB_REPOSITORY: 'example-org/example-app',
      PORT: '3000',
    });
    const [listenerId] = resourcesOf(s, 'AWS::ElasticLoadBalancingV2::Listener')[0]!;
    expect(env.ENVBOT_LISTENER_ARN).toEqual({ Ref: listenerId });
    expect(env.ENVBOT_SUBNETS).toMatchObject({ 'Fn::Join': [',', [expect.anything(), expect.anything()]] });
    // Unset optional settings are absent, not empty (the bot's boolean parsing reads "false" as true).
    expect(env).not.toHaveProperty(['ENVBOT_DASHBOARD']);
    expect(env).not.toHaveProperty(['ENVBOT_COST_CHANNEL']);
  });

  it('starts a bot whose own config loader accepts the container environment and the secret placeholders', () => {
    // Deploy-time values stand in for the CloudFormation tokens.
    const deployed: Record<string, string> = {
      AWS_REGION: 'us-east-1',
      ENVBOT_ACCOUNT_ID: '123456789012',
      ENVBOT_VPC_ID: 'vpc-0abc',
      ENVBOT_SUBNETS: 'subnet-a,subnet-b',
      ENVBOT_SECURITY_GROUPS: 'sg-0abc',
      ENVBOT_TABLE: 'envbot',
      ENVBOT_EVENTS_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/envbot-task-events',
      ENVBOT_SCHEDULE_FAILURES_QUEUE_ARN: 'arn:aws:sqs:us-east-1:123456789012:envbot-schedule-failures',
      ENVBOT_SCHEDULE_FAILURES_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/envbot-schedule-failures',
      ENVBOT_WAKE_TARGET_GROUP_ARN: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/EnvbotWake/73e2d6bc24d8a067',
      ENVBOT_BYPASS_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:WakeBypassSecret-AbCdEf',
    };
    const sample = (name: string) => deployed[name] ?? (name.endsWith('_ARN') ? 'arn:aws:iam::123456789012:role/sample' : 'unknown');
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(botEnvironment(s))) env[name] = typeof value === 'string' ? value : sample(name);
    const [, secret] = resourcesOf(s, 'AWS::SecretsManager::Secret').find(([id]) => id.startsWith('BotSecret'))!;
    const generate = secret.Properties.GenerateSecretString;
    Object.assign(env, JSON.parse(generate.SecretStringTemplate), { [generate.GenerateStringKey]: 'x'.repeat(generate.PasswordLength) });
    // The bypass secret (infra/lib/wake.ts) is a generated string of its own, injected as ENVBOT_BYPASS_SECRET.
    const [, bypass] = resourcesOf(s, 'AWS::SecretsManager::Secret').find(([id]) => id.startsWith('WakeBypassSecret'))!;
    env[BYPASS_SECRET_ENV] = 'k'.repeat(bypass.Properties.GenerateSecretString.PasswordLength);
    // What infra/docker/entrypoint.sh does with ENVBOT_CONFIG_JSON.
    const file = join(mkdtempSync(join(tmpdir(), 'envbot-')), 'config.json');
    writeFileSync(file, env.ENVBOT_CONFIG_JSON!);
    const config = loadConfig({ ...env, ENVBOT_CONFIG_FILE: file });
    expect(config).toMatchObject({
      mode: 'aws',
      port: 3000,
      cluster: 'envbot',
      table: 'envbot',
      ecrRepository: 'envbot-apps',
      subnets: ['subnet-a', 'subnet-b'],
      urlScheme: 'http',
      dataDir: '/tmp/envbot',
      github: { repository: 'example-org/example-app' },
    });
  });

  it('injects the Slack and GitHub credentials as ECS secrets from one secret, never as plain values', () => {
    const [, taskDef] = resourcesOf(s, 'AWS::ECS::TaskDefinition')[0]!;
    const container = taskDef.Properties.ContainerDefinitions[0];
    const credentials = (container.Secrets as { Name: string; ValueFrom: unknown }[]).filter((x) => x.Name !== BYPASS_SECRET_ENV);
    expect(credentials.map((x) => x.Name).sort()).toEqual([...BOT_SECRET_KEYS].sort());
    const [secretId] = resourcesOf(s, 'AWS::SecretsManager::Secret').find(([id]) => id.startsWith('BotSecret'))!;
    for (const secret of credentials) {
      expect(secret.ValueFrom).toEqual({ 'Fn::Join': ['', [{ Ref: secretId }, `:${secret.Name}::`]] });
    }
    const env = botEnvironment(s);
    for (const key of BOT_SECRET_KEYS) expect(env).not.toHaveProperty([key]);
  });

  it('gives environments an execution role that pulls, logs and reads /envbot parameters, and an empty task role', () => {
    const execution = resourcesOf(s, 'AWS::IAM::Policy').find(([id]) => id.startsWith('EnvironmentsExecutionRole'))!;
    const statements = JSON.stringify(execution[1].Properties.PolicyDocument.Statement);
    expect(statements).toContain('ssm:GetParameters');
    expect(statements).toContain(':parameter/envbot/*');
    expect(statements).toContain('ecr:BatchGetImage');
    const taskRolePolicies = resourcesOf(s, 'AWS::IAM::Policy').filter(([id]) => id.startsWith('EnvironmentsTaskRole'));
    expect(taskRolePolicies).toEqual([]);
  });

  it('outputs every bot setting under the bot’s config key', () => {
    const outputs = Object.keys(s.json.Outputs);
    for (const name of ['cluster', 'listenerArn', 'vpcId', 'subnets', 'securityGroups', 'executionRoleArn', 'eventsQueueUrl', 'botUrl', 'botSecretArn']) {
      expect(outputs).toContain(name);
    }
    const env = botEnvironment(s);
    for (const [name, output] of Object.entries(BOT_SETTING_OUTPUTS)) {
      if (name in env) expect(s.json.Outputs[output]?.Value, name).toEqual(env[name]);
    }
  });
});
