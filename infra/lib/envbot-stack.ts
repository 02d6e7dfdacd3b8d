import { Aws, CfnOutput, Fn, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AccessLogsBucket } from './access-logs-bucket.js';
import { grantBotPermissions } from './bot-permissions.js';
import { BotService } from './bot-service.js';
import { BOT_SETTING_OUTPUTS, botSettings, type BotSettingName } from './bot-settings.js';
import { BuildProject } from './build-project.js';
import { EnvbotCluster } from './cluster.js';
import type { InfraConfig } from './config.js';
import { EnvironmentResources } from './environments.js';
import { TaskEvents } from './events.js';
import { ImageRepository } from './image-repository.js';
import { LoadBalancer } from './load-balancer.js';
import { NAMES } from './names.js';
import { Network } from './network.js';
import { Schedules } from './scheduler.js';
import { StateTable } from './state-table.js';
import { oidcClientSecret } from './protection-oidc.js';
import { WakeResources } from './wake.js';

export interface EnvbotStackProps extends StackProps {
  config: InfraConfig;
}

interface ExtraOutputs {
  botSecretArn: string;
  loadBalancerDnsName: string;
  cacheBucket: string;
}

/** Everything envbot needs in one stack: shared infrastructure, the bot, and its outputs. */
export class EnvbotStack extends Stack {
  constructor(scope: Construct, id: string, props: EnvbotStackProps) {
    super(scope, id, props);
    const { config } = props;
    Tags.of(this).add('app', 'envbot');
    const { vpc } = new Network(this, 'Network', { config });
    const accessLogs = new AccessLogsBucket(this, 'AccessLogs', { config }).bucket;
    const { cluster } = new EnvbotCluster(this, 'Cluster', { vpc, config });
    const lb = new LoadBalancer(this, 'LoadBalancer', { vpc, config, accessLogs });
    const { repository } = new ImageRepository(this, 'Images', { config });
    const build = new BuildProject(this, 'Build', { config, repository, accessLogs });
    const { table } = new StateTable(this, 'State', { config });
    const events = new TaskEvents(this, 'TaskEvents', { cluster });
    const schedules = new Schedules(this, 'Schedules');
    const environments = new EnvironmentResources(this, 'Environments', { vpc, loadBalancer: lb.alb, repository, config });
    const wake = new WakeResources(this, 'Wake', { vpc });
    const oidcSecret = config.dashboard.oidc && oidcClientSecret(this, config.dashboard.oidc);
    const settings = botSettings(config, {
      region: Aws.REGION,
      account: Aws.ACCOUNT_ID,
      listenerArn: lb.listener.listenerArn,
      vpcId: vpc.vpcId,
      subnetIds: Fn.join(',', vpc.privateSubnets.map((s) => s.subnetId)),
      securityGroupIds: environments.securityGroup.securityGroupId,
      executionRoleArn: environments.executionRole.roleArn,
      taskRoleArn: environments.taskRole.roleArn,
      schedulerRoleArn: schedules.role.roleArn,
      eventsQueueUrl: events.queue.queueUrl,
      scheduleFailuresQueueArn: schedules.deadLetterQueue.queueArn,
      scheduleFailuresQueueUrl: schedules.deadLetterQueue.queueUrl,
      buildCacheBucket: build.cacheBucket.bucketName,
      protectedBuildRoleArn: build.protectedRole.roleArn,
      tableName: table.tableName,
      loadBalancerArn: lb.alb.loadBalancerArn,
      wakeTargetGroupArn: wake.targetGroup.targetGroupArn,
      bypassSecretArn: wake.bypassSecret.secretArn,
      ...(oidcSecret && { oidcClientSecretArn: oidcSecret.secretArn }),
    });
    const bot = new BotService(this, 'Bot', { config, cluster, listener: lb.listener, environment: settings as Record<string, string>, wake, ...(oidcSecret && { oidcClientSecret: oidcSecret }) });
    grantBotPermissions(this, bot.taskRole, {
      config,
      cluster,
      listenerArn: lb.listener.listenerArn,
      table,
      repository,
      buildProject: build.project,
      protectedBuildRole: build.protectedRole,
      queue: events.queue,
      scheduleFailures: schedules.deadLetterQueue,
      scheduleGroup: schedules.group,
      schedulerRole: schedules.role,
      environmentRoles: [environments.executionRole, environments.taskRole],
      readableLogGroups: [build.logGroup, environments.logGroup],
    });

    this.addOutputs(config, settings, {
      botSecretArn: bot.secret.secretArn,
      loadBalancerDnsName: lb.alb.loadBalancerDnsName,
      cacheBucket: build.cacheBucket.bucketName,
    });
  }

  /** One output per bot setting (key = the bot's config path), so the bot can also run outside AWS. */
  private addOutputs(config: InfraConfig, settings: Partial<Record<BotSettingName, string>>, extra: ExtraOutputs): void {
    for (const [env, value] of Object.entries(settings) as [BotSettingName, string][]) {
      new CfnOutput(this, BOT_SETTING_OUTPUTS[env], { value, description: `${env} for the envbot bot` });
    }
    const scheme = config.httpOnly ? 'http' : 'https';
    new CfnOutput(this, 'botUrl', { value: `${scheme}://${NAMES.botHost}.${config.domain}`, description: 'Slack request URL and GitHub webhook host' });
    new CfnOutput(this, 'botSecretArn', { value: extra.botSecretArn, description: 'Put SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, GITHUB_TOKEN, GITHUB_WEBHOOK_SECRET here' });
    new CfnOutput(this, 'loadBalancerDnsName', { value: extra.loadBalancerDnsName, description: `Point *.${config.domain} here when Route 53 is not managed by the stack` });
    new CfnOutput(this, 'cacheBucket', { value: extra.cacheBucket, description: 'S3 build cache (CACHE_BUCKET in CodeBuild)' });
  }
}
