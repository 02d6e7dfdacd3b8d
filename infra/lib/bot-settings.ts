import type { InfraConfig } from './config.js';
import { NAMES } from './names.js';

/**
 * The bot's environment: every setting it needs, named as app/src/config.ts reads them (ENV_KEYS),
 * with the stack output key a developer copies it from to run the bot outside AWS. Output keys are
 * the bot's config paths in camelCase (config.ts names them in its "missing setting" errors).
 */
export const BOT_SETTING_OUTPUTS = {
  ENVBOT_MODE: 'mode',
  AWS_REGION: 'awsRegion',
  ENVBOT_ACCOUNT_ID: 'awsAccountId',
  ENVBOT_DOMAIN: 'domain',
  ENVBOT_URL_SCHEME: 'urlScheme',
  ENVBOT_CLUSTER: 'cluster',
  ENVBOT_LISTENER_ARN: 'listenerArn',
  ENVBOT_VPC_ID: 'vpcId',
  ENVBOT_SUBNETS: 'subnets',
  ENVBOT_SECURITY_GROUPS: 'securityGroups',
  ENVBOT_TABLE: 'table',
  ENVBOT_ECR_REPOSITORY: 'ecrRepository',
  ENVBOT_EXECUTION_ROLE_ARN: 'executionRoleArn',
  ENVBOT_TASK_ROLE_ARN: 'taskRoleArn',
  ENVBOT_LOG_GROUP: 'logGroup',
  ENVBOT_SSM_PREFIX: 'ssmPrefix',
  ENVBOT_SCHEDULE_GROUP: 'scheduleGroup',
  ENVBOT_SCHEDULER_ROLE_ARN: 'schedulerRoleArn',
  ENVBOT_TIMEZONE: 'timezone',
  ENVBOT_CODEBUILD_PROJECT: 'codebuildProject',
  ENVBOT_BUILD_CACHE_BUCKET: 'buildsCacheBucket',
  ENVBOT_PROTECTED_BUILD_ROLE_ARN: 'buildsProtectedRoleArn',
  ENVBOT_EVENTS_QUEUE_URL: 'eventsQueueUrl',
  ENVBOT_SCHEDULE_FAILURES_QUEUE_ARN: 'scheduleFailuresQueueArn',
  ENVBOT_SCHEDULE_FAILURES_QUEUE_URL: 'scheduleFailuresQueueUrl',
  ENVBOT_MAX_PER_USER: 'accessMaxPerUser',
  ENVBOT_MAX_TOTAL: 'accessMaxTotal',
  ENVBOT_ADMINS: 'accessAdmins',
  ENVBOT_ALLOWED_USERS: 'accessAllowedUsers',
  ENVBOT_COST_CHANNEL: 'slackCostChannel',
  GITHUB_REPOSITORY: 'githubRepository',
  ENVBOT_DASHBOARD: 'dashboardEnabled',
  ENVBOT_DASHBOARD_ALB_ARN: 'dashboardAlbArn',
  ENVBOT_DASHBOARD_OIDC_ISSUER: 'dashboardOidcIssuer',
  ENVBOT_WAKE_TARGET_GROUP_ARN: 'wakeTargetGroupArn',
  ENVBOT_BYPASS_SECRET_ARN: 'protectionBypassSecretArn',
  /** The dashboard's identity provider, for `oidc` environment rules (the client secret is an ECS secret). */
  ENVBOT_PROTECTION_OIDC_ISSUER: 'protectionOidcIssuer',
  ENVBOT_PROTECTION_OIDC_AUTHORIZATION_ENDPOINT: 'protectionOidcAuthorizationEndpoint',
  ENVBOT_PROTECTION_OIDC_TOKEN_ENDPOINT: 'protectionOidcTokenEndpoint',
  ENVBOT_PROTECTION_OIDC_USER_INFO_ENDPOINT: 'protectionOidcUserInfoEndpoint',
  ENVBOT_PROTECTION_OIDC_CLIENT_ID: 'protectionOidcClientId',
  ENVBOT_PROTECTION_OIDC_CLIENT_SECRET_ARN: 'protectionOidcClientSecretArn',
  ENVBOT_PROTECTION_OIDC_SCOPE: 'protectionOidcScope',
  /** Settings without an env var of their own (profiles), as a config document; see infra/docker/entrypoint.sh. */
  ENVBOT_CONFIG_JSON: 'configJson',
} as const;

export type BotSettingName = keyof typeof BOT_SETTING_OUTPUTS;

/** The four secrets, all JSON keys of one Secrets Manager secret; never plain environment values. */
export const BOT_SECRET_KEYS = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'GITHUB_TOKEN', 'GITHUB_WEBHOOK_SECRET'] as const;

/** The automation bypass header's value: its own secret (infra/lib/wake.ts), injected by ECS under this name. */
export const BYPASS_SECRET_ENV = 'ENVBOT_BYPASS_SECRET';

/** The identity provider's client secret for `oidc` environment rules, injected by ECS under this name. */
export const PROTECTION_OIDC_SECRET_ENV = 'ENVBOT_PROTECTION_OIDC_CLIENT_SECRET';

/** Stack values the settings come from (tokens at synth time). */
export interface BotSettingSources {
  region: string;
  account: string;
  listenerArn: string;
  vpcId: string;
  subnetIds: string;
  securityGroupIds: string;
  executionRoleArn: string;
  taskRoleArn: string;
  schedulerRoleArn: string;
  eventsQueueUrl: string;
  scheduleFailuresQueueArn: string;
  scheduleFailuresQueueUrl: string;
  /** The build project's cache bucket and the role protected branches build with (app/src/builds/build-isolation.ts). */
  buildCacheBucket?: string;
  protectedBuildRoleArn?: string;
  tableName: string;
  /** The dashboard verifies the ALB's OIDC token against this load balancer. */
  loadBalancerArn: string;
  /** The bot's waking target group (infra/lib/wake.ts) and the automation bypass secret. */
  wakeTargetGroupArn?: string;
  bypassSecretArn?: string;
  /** The secret holding the identity provider's client secret (protection-oidc.ts). */
  oidcClientSecretArn?: string;
}

export function botSettings(config: InfraConfig, s: BotSettingSources): Partial<Record<BotSettingName, string>> {
  const settings: Partial<Record<BotSettingName, string>> = {
    ENVBOT_MODE: 'aws',
    AWS_REGION: s.region,
    ENVBOT_ACCOUNT_ID: s.account,
    ENVBOT_DOMAIN: config.domain,
    ENVBOT_URL_SCHEME: config.httpOnly ? 'http' : 'https',
    ENVBOT_CLUSTER: NAMES.cluster,
    ENVBOT_LISTENER_ARN: s.listenerArn,
    ENVBOT_VPC_ID: s.vpcId,
    ENVBOT_SUBNETS: s.subnetIds,
    ENVBOT_SECURITY_GROUPS: s.securityGroupIds,
    ENVBOT_TABLE: s.tableName,
    ENVBOT_ECR_REPOSITORY: NAMES.repository,
    ENVBOT_EXECUTION_ROLE_ARN: s.executionRoleArn,
    ENVBOT_TASK_ROLE_ARN: s.taskRoleArn,
    ENVBOT_LOG_GROUP: NAMES.environmentsLogGroup,
    ENVBOT_SSM_PREFIX: NAMES.ssmPrefix,
    ENVBOT_SCHEDULE_GROUP: NAMES.scheduleGroup,
    ENVBOT_SCHEDULER_ROLE_ARN: s.schedulerRoleArn,
    ENVBOT_TIMEZONE: config.timezone,
    ENVBOT_CODEBUILD_PROJECT: NAMES.buildProject,
    ENVBOT_EVENTS_QUEUE_URL: s.eventsQueueUrl,
    ENVBOT_SCHEDULE_FAILURES_QUEUE_ARN: s.scheduleFailuresQueueArn,
    ENVBOT_SCHEDULE_FAILURES_QUEUE_URL: s.scheduleFailuresQueueUrl,
    ENVBOT_MAX_PER_USER: String(config.access.maxPerUser),
    ENVBOT_MAX_TOTAL: String(config.access.maxTotal),
    GITHUB_REPOSITORY: config.github.repository,
    ENVBOT_CONFIG_JSON: JSON.stringify({ profiles: config.profiles }),
  };
  // Optional settings are left out rather than sent empty: the bot's boolean parsing reads any
  // non-empty string (even "false") as true, and empty lists mean "not set".
  if (s.buildCacheBucket) settings.ENVBOT_BUILD_CACHE_BUCKET = s.buildCacheBucket;
  if (s.protectedBuildRoleArn) settings.ENVBOT_PROTECTED_BUILD_ROLE_ARN = s.protectedBuildRoleArn;
  if (s.wakeTargetGroupArn) settings.ENVBOT_WAKE_TARGET_GROUP_ARN = s.wakeTargetGroupArn;
  if (s.bypassSecretArn) settings.ENVBOT_BYPASS_SECRET_ARN = s.bypassSecretArn;
  // The settings file names Slack users; the bot wants every id with its door (`slack:U…`).
  const slackIds = (ids: string[]) => ids.map((id) => `slack:${id}`).join(',');
  if (config.access.admins.length > 0) settings.ENVBOT_ADMINS = slackIds(config.access.admins);
  if (config.access.allowedUsers.length > 0) settings.ENVBOT_ALLOWED_USERS = slackIds(config.access.allowedUsers);
  if (config.slack.costChannel) settings.ENVBOT_COST_CHANNEL = config.slack.costChannel;
  if (config.dashboard.enabled) {
    settings.ENVBOT_DASHBOARD = 'true';
    settings.ENVBOT_DASHBOARD_ALB_ARN = s.loadBalancerArn;
    if (config.dashboard.oidc) settings.ENVBOT_DASHBOARD_OIDC_ISSUER = config.dashboard.oidc.issuer;
  }
  if (config.dashboard.oidc && s.oidcClientSecretArn) Object.assign(settings, protectionOidcSettings(config.dashboard.oidc, s.oidcClientSecretArn));
  return settings;
}

/** The non-secret half of the identity provider, so profiles with `protection: oidc` can create rules. */
function protectionOidcSettings(oidc: NonNullable<InfraConfig['dashboard']['oidc']>, secretArn: string): Partial<Record<BotSettingName, string>> {
  return {
    ENVBOT_PROTECTION_OIDC_ISSUER: oidc.issuer,
    ENVBOT_PROTECTION_OIDC_AUTHORIZATION_ENDPOINT: oidc.authorizationEndpoint,
    ENVBOT_PROTECTION_OIDC_TOKEN_ENDPOINT: oidc.tokenEndpoint,
    ENVBOT_PROTECTION_OIDC_USER_INFO_ENDPOINT: oidc.userInfoEndpoint,
    ENVBOT_PROTECTION_OIDC_CLIENT_ID: oidc.clientId,
    ENVBOT_PROTECTION_OIDC_CLIENT_SECRET_ARN: secretArn,
    ENVBOT_PROTECTION_OIDC_SCOPE: oidc.scope,
  };
}
