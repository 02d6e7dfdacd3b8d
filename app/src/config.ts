import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { DEFAULT_PROFILES, effectiveProfile, MAX_IDLE_MINUTES, MIN_IDLE_MINUTES, PROFILE_NAMES, PROTECTION_MODES, type Profile, type ProfileName } from './environments/profiles.js';
import type { EnvironmentRecord } from './environments/record.js';
import { SIZE_NAMES } from './environments/sizes.js';
import { TIME_OF_DAY } from './environments/time-of-day.js';
import { PROTECTION_ENV_KEYS, protectionProblems, protectionSchema, wakeSchema } from './environments/protection-settings.js';
import { ruleQuotaProblems } from './aws/rule-quota.js';

/**
 * One validated configuration. Sources, later wins: built-in defaults → the YAML/JSON file named by
 * ENVBOT_CONFIG_FILE → environment variables. Every problem is reported by key with what to set.
 */

const csv = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

/** Env vars arrive as strings (`true`/`false`/`1`/`0`/`yes`/`no`), a config file may hold real booleans. */
const bool = z.union([z.boolean(), z.stringbool()]);

/** Ids in admin lists, allow-lists and links name their door, as actors do (commands/actor.ts). */
const DOOR_ID = /^(slack|github|oidc|cli):[^\s:=,][^\s=,]*$/;
const doorIdHelp = 'write each id with its door: slack:U0123ABCD (or slack:S… for a Slack user group), github:<login>, oidc:<email> or cli:<user>';

const canonical = (id: string) => (/^(github|oidc):/.test(id) ? id.toLowerCase() : id);

const doorIds = csv.transform((ids) => ids.map(canonical)).superRefine((ids, ctx) => {
  const bare = ids.filter((id) => !DOOR_ID.test(id));
  if (bare.length > 0) ctx.addIssue({ code: 'custom', message: `${bare.map((b) => `"${b}"`).join(', ')} ${bare.length === 1 ? 'has' : 'have'} no door: ${doorIdHelp}` });
});

/** `slack:U1=github:alice=oidc:a@x.com, slack:U2=github:bob`: each item is one person's ids. */
const identityLinks = csv
  .transform((items) => items.map((item) => item.split('=').map((x) => canonical(x.trim()))))
  .superRefine((groups, ctx) => {
    for (const g of groups) {
      const bad = g.filter((id) => !DOOR_ID.test(id));
      if (g.length < 2 || bad.length > 0) {
        ctx.addIssue({ code: 'custom', message: `"${g.join('=')}" is not a link: join two or more ids with "=", e.g. slack:U0123ABCD=github:alice; ${doorIdHelp}` });
      }
    }
  });

const hhmm = z.string().regex(TIME_OF_DAY, 'use 24-hour HH:MM, e.g. 20:00');

const profileOverride = z
  .object({
    containerPort: z.coerce.number().int().min(1).max(65535),
    healthCheckPath: z.string().startsWith('/'),
    size: z.enum(SIZE_NAMES),
    autoStopAt: hhmm.nullable(),
    autoStopDays: z.enum(['weekdays', 'daily']),
    autoStartAt: hhmm.nullable(),
    /** 0 or null = never sleep. */
    sleepAfterIdleMinutes: z.coerce
      .number()
      .int()
      .refine((m) => m === 0 || (m >= MIN_IDLE_MINUTES && m <= MAX_IDLE_MINUTES), `use 0 (never sleep) or ${MIN_IDLE_MINUTES} to ${MAX_IDLE_MINUTES} minutes`)
      .nullable(),
    idleGraceMinutes: z.coerce.number().int().min(0).max(MAX_IDLE_MINUTES),
    wakeAfterUserStop: bool,
    protection: z.enum(PROTECTION_MODES),
  })
  .partial();

export const configSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(3000),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `local`: embedded store + local emulator; `aws`: a real account. */
  mode: z.enum(['local', 'aws']),
  dataDir: z.string().default('.envbot'),
  aws: z.object({
    region: z.string().min(1).default('us-east-1'),
    endpoint: z.url().optional(),
    accountId: z.string().regex(/^\d{12}$/, 'a 12-digit AWS account id').optional(),
  }).prefault({}),
  domain: z
    .string()
    // `localhost` alone is the local mode default (browsers resolve *.localhost to loopback).
    .regex(/^(localhost|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+)$/, 'a DNS domain such as envs.example.com'),
  urlScheme: z.enum(['https', 'http']).default('https'),
  cluster: z.string().min(1).default('envbot'),
  listenerArn: z.string().startsWith('arn:', 'the ARN of the shared ALB listener').optional(),
  vpcId: z.string().startsWith('vpc-', 'a VPC id such as vpc-0abc…').optional(),
  subnets: csv.optional(),
  securityGroups: csv.optional(),
  assignPublicIp: bool.default(false),
  table: z.string().min(3).default('envbot'),
  ecrRepository: z.string().min(2).default('envbot-apps'),
  defaultImage: z.string().min(1).optional(),
  executionRoleArn: z.string().startsWith('arn:').optional(),
  taskRoleArn: z.string().startsWith('arn:').optional(),
  logGroup: z.string().default('/envbot/environments'),
  ssmPrefix: z
    .string()
    .regex(/^\/[A-Za-z0-9_.\-/]*[A-Za-z0-9_.\-]$/, 'an SSM path such as /envbot')
    .default('/envbot'),
  scheduleGroup: z.string().default('envbot'),
  schedulerRoleArn: z.string().startsWith('arn:').optional(),
  timezone: z.string().default('Asia/Seoul'),
  codebuildProject: z.string().default('envbot-build'),
  /** How long `up` waits for the service to be steady before reporting a time-out. */
  steadyTimeoutSeconds: z.coerce.number().int().min(5).max(3600).default(600),
  resyncIntervalSeconds: z.coerce.number().int().min(10).default(300),
  /** SQS queue the CDK stack's EventBridge rule fills with ECS task state changes. */
  eventsQueueUrl: z.url().optional(),
  /** The schedules' dead-letter queue (CDK stack): its ARN goes on every schedule, the bot reads its URL. */
  scheduleFailuresQueueArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[a-zA-Z0-9_-]+$/, 'an SQS queue ARN (arn:aws:sqs:<region>:<account>:<name>)')
    .optional(),
  scheduleFailuresQueueUrl: z.url().optional(),
  /** Environments untouched this long are warned, then destroyed after the grace period; 0 = never. */
  reaperIdleDays: z.coerce.number().int().min(0).default(7),
  reaperGraceHours: z.coerce.number().int().min(1).default(24),
  /** After a fall-back to on-demand, try Spot again after this long. */
  spotReturnMinutes: z.coerce.number().int().min(5).default(180),
  /** Bearer token for the operator API (`envbot` CLI against a deployed bot); unset = API off in AWS. */
  apiToken: z.string().min(16, 'at least 16 characters').optional(),
  profiles: z.object({ dev: profileOverride.prefault({}), stage: profileOverride.prefault({}) }).prefault({}),
  access: z
    .object({
      admins: doorIds.prefault(''),
      allowedUsers: doorIds.prefault(''),
      /** Admin-maintained links between one person's ids in different doors. */
      identityLinks: identityLinks.prefault(''),
      /** Also link ids whose verified emails match (Slack users.lookupByEmail, GitHub public email). */
      linkByEmail: bool.default(false),
      maxPerUser: z.coerce.number().int().min(1).default(3),
      maxTotal: z.coerce.number().int().min(1).max(95).default(50),
    })
    .prefault({}),
  slack: z
    .object({
      botToken: z.string().startsWith('xoxb-', 'a bot token starting with xoxb-').optional(),
      signingSecret: z.string().min(8).optional(),
      appToken: z.string().startsWith('xapp-', 'an app-level token starting with xapp-').optional(),
      socketMode: bool.default(false),
      costChannel: z.string().optional(),
      apiUrl: z.url().optional(),
    })
    .prefault({}),
  github: z
    .object({
      token: z.string().min(1).optional(),
      appId: z.string().optional(),
      privateKey: z.string().optional(),
      installationId: z.string().optional(),
      webhookSecret: z.string().min(8).optional(),
      repository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'owner/repo').optional(),
      apiUrl: z.url().optional(),
      allowForks: bool.default(false),
    })
    .prefault({}),
  dashboard: z
    .object({ enabled: bool.optional() })
    .prefault({}),
  /** Who may reach `<name>.<domain>` and how automation gets past it (environments/protection-settings.ts). */
  protection: protectionSchema,
  /** The waking route and the idle-sleep job. */
  wake: wakeSchema,
  /** Who builds with what (app/src/builds/build-isolation.ts) and which `--image` URIs are allowed (image-allow-list.ts). */
  builds: z
    .object({
      /** Branches (or `*` patterns) whose builds use their own role and dependency cache. */
      protectedBranches: csv.prefault('main'),
      /** The build project's cache bucket; protected builds use `<bucket>/protected`. */
      cacheBucket: z.string().min(3).optional(),
      /** Role only protected builds run with (the bot needs iam:PassRole on it). */
      protectedRoleArn: z.string().startsWith('arn:').optional(),
      /** `--image` URIs allowed besides envbot's own repository: registry/repository prefixes, `*` wildcards. */
      allowedImages: csv.prefault(''),
    })
    .prefault({}),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: string[]) {
    super(`envbot configuration is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Environment variable → config path. The README's configuration reference mirrors this table. */
export const ENV_KEYS: Record<string, string> = {
  PORT: 'port',
  LOG_LEVEL: 'logLevel',
  ENVBOT_DATA_DIR: 'dataDir',
  AWS_REGION: 'aws.region',
  AWS_ENDPOINT_URL: 'aws.endpoint',
  ENVBOT_ACCOUNT_ID: 'aws.accountId',
  ENVBOT_DOMAIN: 'domain',
  ENVBOT_URL_SCHEME: 'urlScheme',
  ENVBOT_CLUSTER: 'cluster',
  ENVBOT_LISTENER_ARN: 'listenerArn',
  ENVBOT_VPC_ID: 'vpcId',
  ENVBOT_SUBNETS: 'subnets',
  ENVBOT_SECURITY_GROUPS: 'securityGroups',
  ENVBOT_ASSIGN_PUBLIC_IP: 'assignPublicIp',
  ENVBOT_TABLE: 'table',
  ENVBOT_ECR_REPOSITORY: 'ecrRepository',
  ENVBOT_DEFAULT_IMAGE: 'defaultImage',
  ENVBOT_EXECUTION_ROLE_ARN: 'executionRoleArn',
  ENVBOT_TASK_ROLE_ARN: 'taskRoleArn',
  ENVBOT_LOG_GROUP: 'logGroup',
  ENVBOT_SSM_PREFIX: 'ssmPrefix',
  ENVBOT_SCHEDULE_GROUP: 'scheduleGroup',
  ENVBOT_SCHEDULER_ROLE_ARN: 'schedulerRoleArn',
  ENVBOT_TIMEZONE: 'timezone',
  ENVBOT_CODEBUILD_PROJECT: 'codebuildProject',
  ENVBOT_PROTECTED_BRANCHES: 'builds.protectedBranches',
  ENVBOT_BUILD_CACHE_BUCKET: 'builds.cacheBucket',
  ENVBOT_PROTECTED_BUILD_ROLE_ARN: 'builds.protectedRoleArn',
  ENVBOT_ALLOWED_IMAGES: 'builds.allowedImages',
  ENVBOT_STEADY_TIMEOUT_SECONDS: 'steadyTimeoutSeconds',
  ENVBOT_RESYNC_INTERVAL_SECONDS: 'resyncIntervalSeconds',
  ENVBOT_EVENTS_QUEUE_URL: 'eventsQueueUrl',
  ENVBOT_SCHEDULE_FAILURES_QUEUE_ARN: 'scheduleFailuresQueueArn',
  ENVBOT_SCHEDULE_FAILURES_QUEUE_URL: 'scheduleFailuresQueueUrl',
  ENVBOT_REAPER_IDLE_DAYS: 'reaperIdleDays',
  ENVBOT_REAPER_GRACE_HOURS: 'reaperGraceHours',
  ENVBOT_SPOT_RETURN_MINUTES: 'spotReturnMinutes',
  ENVBOT_API_TOKEN: 'apiToken',
  ENVBOT_ADMINS: 'access.admins',
  ENVBOT_ALLOWED_USERS: 'access.allowedUsers',
  ENVBOT_IDENTITY_LINKS: 'access.identityLinks',
  ENVBOT_LINK_BY_EMAIL: 'access.linkByEmail',
  ENVBOT_MAX_PER_USER: 'access.maxPerUser',
  ENVBOT_MAX_TOTAL: 'access.maxTotal',
  SLACK_BOT_TOKEN: 'slack.botToken',
  SLACK_SIGNING_SECRET: 'slack.signingSecret',
  SLACK_APP_TOKEN: 'slack.appToken',
  SLACK_SOCKET_MODE: 'slack.socketMode',
  ENVBOT_COST_CHANNEL: 'slack.costChannel',
  SLACK_API_URL: 'slack.apiUrl',
  GITHUB_TOKEN: 'github.token',
  GITHUB_APP_ID: 'github.appId',
  GITHUB_PRIVATE_KEY: 'github.privateKey',
  GITHUB_INSTALLATION_ID: 'github.installationId',
  GITHUB_WEBHOOK_SECRET: 'github.webhookSecret',
  GITHUB_REPOSITORY: 'github.repository',
  GITHUB_API_URL: 'github.apiUrl',
  ENVBOT_ALLOW_FORKS: 'github.allowForks',
  ENVBOT_DASHBOARD: 'dashboard.enabled',
  ...PROTECTION_ENV_KEYS,
};

const PATH_TO_ENV = Object.fromEntries(Object.entries(ENV_KEYS).map(([k, v]) => [v, k]));

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    node[key] = typeof node[key] === 'object' && node[key] !== null ? node[key] : {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = value;
}

function hasAwsCredentials(env: NodeJS.ProcessEnv): boolean {
  return Boolean(
    env.AWS_ACCESS_KEY_ID || env.AWS_PROFILE || env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI ||
      env.AWS_CONTAINER_CREDENTIALS_FULL_URI || env.AWS_WEB_IDENTITY_TOKEN_FILE,
  );
}

/** Local mode when nothing points at AWS: no credentials and no endpoint. */
export function detectMode(env: NodeJS.ProcessEnv): 'local' | 'aws' {
  if (env.ENVBOT_MODE === 'local' || env.ENVBOT_MODE === 'aws') return env.ENVBOT_MODE;
  return hasAwsCredentials(env) || env.AWS_ENDPOINT_URL ? 'aws' : 'local';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, unknown> = {};
  const problems: string[] = [];
  if (env.ENVBOT_CONFIG_FILE) {
    try {
      Object.assign(raw, parseYaml(readFileSync(env.ENVBOT_CONFIG_FILE, 'utf8')) ?? {});
    } catch (err) {
      problems.push(`ENVBOT_CONFIG_FILE (${env.ENVBOT_CONFIG_FILE}): ${(err as Error).message}`);
    }
  }
  for (const [name, path] of Object.entries(ENV_KEYS)) {
    const value = env[name];
    if (value !== undefined && value !== '') setPath(raw, path, value);
  }
  const mode = detectMode(env);
  raw.mode = mode;
  // Browsers and curl resolve `*.localhost` to the loopback address: links are http://<name>.localhost:<port>/.
  if (mode === 'local') raw.domain ??= LOCAL_DOMAIN;
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.join('.');
      const envName = PATH_TO_ENV[path];
      const where = envName ? `${envName} (${path})` : path;
      const given = issue.path.reduce<unknown>((node, key) => (node as Record<PropertyKey, unknown> | undefined)?.[key], raw) !== undefined;
      problems.push(given ? `${where}: ${issue.message}` : `${where} is missing: set it`);
    }
  }
  if (parsed.success && mode === 'aws') problems.push(...awsModeProblems(parsed.data));
  if (parsed.success) problems.push(...protectionProblemsOf(parsed.data));
  if (problems.length > 0) throw new ConfigError(problems);
  return parsed.data!;
}

/** In a real account the shared resources come from the CDK stack's outputs; all are required. */
function awsModeProblems(config: Config): string[] {
  const required: [keyof Config, string][] = [
    ['listenerArn', 'ENVBOT_LISTENER_ARN'],
    ['vpcId', 'ENVBOT_VPC_ID'],
    ['subnets', 'ENVBOT_SUBNETS'],
    ['securityGroups', 'ENVBOT_SECURITY_GROUPS'],
    ['executionRoleArn', 'ENVBOT_EXECUTION_ROLE_ARN'],
  ];
  // Schedules without their dead-letter queue would fail silently: both come with the scheduler role.
  if (config.schedulerRoleArn) {
    required.push(['scheduleFailuresQueueArn', 'ENVBOT_SCHEDULE_FAILURES_QUEUE_ARN'], ['scheduleFailuresQueueUrl', 'ENVBOT_SCHEDULE_FAILURES_QUEUE_URL']);
  }
  return required
    .filter(([key]) => config[key] === undefined)
    .map(([key, env]) => `${env} (${key}) is missing: set it from the CDK stack output "${key}"`);
}

export const LOCAL_DOMAIN = 'localhost';

function protectionProblemsOf(config: Config): string[] {
  const profileModes = PROFILE_NAMES.map((n) => config.profiles[n].protection).filter((m): m is NonNullable<typeof m> => m !== undefined);
  const profiles = PROFILE_NAMES.map((n) => profileFor(config, n));
  return [
    ...protectionProblems({ protection: config.protection, profileModes, urlScheme: config.urlScheme, mode: config.mode }),
    ...ruleQuotaProblems({ settings: config.protection, profiles, maxTotal: config.access.maxTotal }),
  ];
}

/** A record's effective profile: the configured profile plus its per-repository settings. */
export function profileOfRecord(config: Config) {
  return (record: Pick<EnvironmentRecord, 'profile' | 'appSettings'>): Profile => effectiveProfile(profileFor(config, record.profile), record);
}

export function profileFor(config: Config, name: ProfileName): Profile {
  const base = DEFAULT_PROFILES[name];
  const o = config.profiles[name];
  return {
    ...base,
    ...(o.containerPort !== undefined && { containerPort: o.containerPort }),
    ...(o.healthCheckPath !== undefined && { healthCheckPath: o.healthCheckPath }),
    ...(o.size !== undefined && { size: o.size }),
    ...(o.autoStopDays !== undefined && { autoStopDays: o.autoStopDays }),
    ...(o.autoStopAt !== undefined && { autoStopAt: o.autoStopAt ?? undefined }),
    ...(o.autoStartAt !== undefined && { autoStartAt: o.autoStartAt ?? undefined }),
    ...(o.sleepAfterIdleMinutes !== undefined && { sleepAfterIdleMinutes: o.sleepAfterIdleMinutes || undefined }),
    ...(o.idleGraceMinutes !== undefined && { idleGraceMinutes: o.idleGraceMinutes }),
    ...(o.wakeAfterUserStop !== undefined && { wakeAfterUserStop: o.wakeAfterUserStop }),
    protection: o.protection ?? config.protection.mode,
  };
}
