import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { configSchema as botConfigSchema } from '../../app/src/config.js';

/**
 * The one typed configuration of the CDK app. Sources, later wins: defaults below → the JSON/YAML
 * file named by context `envbotConfigFile` → context `envbot` (an object in cdk.json, or a JSON
 * string from `-c envbot='{"domain":"envs.acme.dev"}'`). Every default synthesizes offline.
 */

const DOMAIN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;
const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
// Valid Fargate cpu → memory (MiB) pairs for the bot's own task.
const FARGATE_MEMORY: Record<number, number[]> = {
  256: [512, 1024, 2048],
  512: [1024, 2048, 3072, 4096],
  1024: [2048, 3072, 4096, 5120, 6144, 7168, 8192],
  2048: Array.from({ length: 13 }, (_, i) => 4096 + i * 1024),
};

const domain = z.string().regex(DOMAIN, 'a DNS name such as envs.example.com');
const timezone = z.string().refine(isTimeZone, 'an IANA time zone such as Asia/Seoul');
const slackUserIds = z.array(z.string().regex(/^[UW][A-Z0-9]+$/, 'a Slack user id such as U012ABCDEF')).default([]);

const oidcSchema = z.strictObject({
  issuer: z.url(),
  authorizationEndpoint: z.url(),
  tokenEndpoint: z.url(),
  userInfoEndpoint: z.url(),
  clientId: z.string().min(1),
  /** Secrets Manager secret (ARN or name) holding the client secret; never put the secret itself here. */
  clientSecretName: z.string().min(1),
  /** JSON key inside that secret; omit when the secret is the bare client secret string. */
  clientSecretJsonKey: z.string().min(1).optional(),
  scope: z.string().default('openid email'),
});

export const infraConfigSchema = z
  .strictObject({
    /** Leave unset for an account-agnostic template (deploy to whatever account the CLI uses). */
    account: z.string().regex(/^\d{12}$/, 'a 12-digit AWS account id').optional(),
    /** A concrete region: ALB access logging needs it at synth time. */
    region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'an AWS region such as ap-northeast-2').default('us-east-1'),
    stackName: z.string().regex(/^[A-Za-z][A-Za-z0-9-]*$/).default('Envbot'),
    domain: domain.default('envs.example.com'),
    /** Route 53 zone that contains `domain`: enables the ACM certificate and the `*.domain` record. */
    hostedZone: z.strictObject({ id: z.string().regex(/^Z[A-Z0-9]+$/, 'a hosted zone id such as Z0123ABC'), name: domain }).optional(),
    /** An existing ACM certificate for `*.domain` (instead of issuing one through `hostedZone`). */
    certificateArn: z.string().startsWith('arn:').optional(),
    /** HTTP only (no certificate): for a first try. Default: on unless a hosted zone or certificate is given. */
    httpOnly: z.boolean().optional(),
    vpcCidr: z.string().regex(CIDR, 'an IPv4 CIDR such as 10.40.0.0/16').default('10.40.0.0/16'),
    natGateways: z.number().int().min(1).max(2).default(1),
    /** Interface endpoints (ECR, Logs, SSM, Secrets Manager): less NAT traffic, ~$15/month per endpoint. */
    interfaceEndpoints: z.boolean().default(false),
    flowLogs: z.enum(['REJECT', 'ALL']).default('REJECT'),
    containerInsights: z.boolean().default(false),
    timezone: timezone.default('Asia/Seoul'),
    logRetentionDays: z.number().refine((d) => RETENTION_DAYS.includes(d), `one of ${RETENTION_DAYS.join(', ')}`).default(30),
    tableName: z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/).default('envbot'),
    /** What `cdk destroy` does with the DynamoDB table (environment records, audit log). */
    tableRemoval: z.enum(['retain', 'destroy']).default('retain'),
    /** Customer-managed KMS key of SecureString parameters; unset = the AWS-managed aws/ssm key. */
    ssmKmsKeyArn: z.string().startsWith('arn:').optional(),
    github: z.strictObject({
      repository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'owner/repo').default('example-org/example-app'),
    }).default({ repository: 'example-org/example-app' }),
    slack: z.strictObject({ costChannel: z.string().min(1).optional() }).default({}),
    access: z.strictObject({
      admins: slackUserIds,
      allowedUsers: slackUserIds,
      maxPerUser: z.number().int().min(1).default(3),
      // The ALB allows 100 rules; envbot keeps a few for itself.
      maxTotal: z.number().int().min(1).max(95).default(50),
    }).default({ admins: [], allowedUsers: [], maxPerUser: 3, maxTotal: 50 }),
    /** Environment profile overrides, same shape as the bot's `profiles` setting. */
    profiles: botConfigSchema.shape.profiles,
    bot: z.strictObject({
      desiredCount: z.number().int().min(0).max(10).default(2),
      cpu: z.number().int().default(512),
      memory: z.number().int().default(1024),
      /** Unset: CDK builds ./Dockerfile at deploy time. Set: run `<imageRepository>:<imageTag>` from this account's ECR. */
      imageRepository: z.string().min(2).optional(),
      imageTag: z.string().min(1).default('latest'),
      /** Use an existing secret (JSON keys SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, GITHUB_TOKEN, GITHUB_WEBHOOK_SECRET). */
      secretArn: z.string().startsWith('arn:').optional(),
      logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
    }).default({ desiredCount: 2, cpu: 512, memory: 1024, imageTag: 'latest', logLevel: 'info' }),
    build: z.strictObject({
      computeType: z.enum(['SMALL', 'MEDIUM', 'LARGE']).default('MEDIUM'),
      timeoutMinutes: z.number().int().min(5).max(480).default(30),
      /**
       * A project has one cache: `s3` (durable jar cache shared by every build host: the 2-minute
       * builds) or `local` (source, Docker layer and custom-path caches on warm hosts only).
       */
      cache: z.enum(['s3', 'local']).default('s3'),
      /** S3 cache objects expire after this many days. */
      cacheExpirationDays: z.number().int().min(1).default(14),
      /** Unset: as many concurrent builds as the account quota allows. */
      concurrentBuildLimit: z.number().int().min(2).optional(),
    }).default({ computeType: 'MEDIUM', timeoutMinutes: 30, cache: 's3', cacheExpirationDays: 14 }),
    images: z.strictObject({
      keepCommitImages: z.number().int().min(1).default(30),
      commitImageMaxAgeDays: z.number().int().min(1).default(30),
    }).default({ keepCommitImages: 30, commitImageMaxAgeDays: 30 }),
    dashboard: z.strictObject({
      enabled: z.boolean().default(false),
      /** Paths on envbot.<domain> behind OIDC login; Slack and GitHub endpoints stay reachable. */
      pathPatterns: z.array(z.string().startsWith('/')).min(1).max(4).default(['/dashboard', '/dashboard/*']),
      oidc: oidcSchema.optional(),
    }).default({ enabled: false, pathPatterns: ['/dashboard', '/dashboard/*'] }),
  })
  .superRefine((c, ctx) => {
    const problem = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const httpOnly = c.httpOnly ?? !(c.hostedZone || c.certificateArn);
    if (!httpOnly && !c.hostedZone && !c.certificateArn) {
      problem(['httpOnly'], 'HTTPS needs a certificate: set hostedZone (issues one) or certificateArn, or set httpOnly: true');
    }
    if (c.hostedZone && c.domain !== c.hostedZone.name && !c.domain.endsWith(`.${c.hostedZone.name}`)) {
      problem(['hostedZone', 'name'], `the zone ${c.hostedZone.name} does not contain the domain ${c.domain}`);
    }
    if (c.dashboard.enabled && !c.dashboard.oidc) problem(['dashboard', 'oidc'], 'the dashboard needs OIDC settings (it is never public)');
    if (c.dashboard.enabled && httpOnly) problem(['dashboard', 'enabled'], 'ALB OIDC login needs HTTPS: set hostedZone or certificateArn');
    if (!FARGATE_MEMORY[c.bot.cpu]?.includes(c.bot.memory)) {
      problem(['bot', 'memory'], `${c.bot.cpu} CPU units with ${c.bot.memory} MiB is not a Fargate size`);
    }
    const mask = Number(CIDR.exec(c.vpcCidr)?.[5]);
    if (mask < 16 || mask > 22) problem(['vpcCidr'], 'use a /16 to /22 network (two public and two private subnets must fit)');
  });

type Parsed = z.infer<typeof infraConfigSchema>;
export type InfraConfig = Parsed & { httpOnly: boolean };

export class InfraConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`envbot infrastructure configuration is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Validates raw settings and fills in defaults; throws one error listing every problem. */
export function parseInfraConfig(raw: unknown): InfraConfig {
  const parsed = infraConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    throw new InfraConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  const c = parsed.data;
  return { ...c, httpOnly: c.httpOnly ?? !(c.hostedZone || c.certificateArn) };
}

/** Reads `envbotConfigFile` and `envbot` from CDK context (cdk.json or `-c`). */
export function configFromContext(getContext: (key: string) => unknown): InfraConfig {
  const file = getContext('envbotConfigFile');
  const fromFile = typeof file === 'string' ? asObject(parseYaml(readFileSync(file, 'utf8')), file) : {};
  const inline = getContext('envbot');
  const fromContext = typeof inline === 'string' ? asObject(JSON.parse(inline), 'context envbot') : asObject(inline ?? {}, 'context envbot');
  return parseInfraConfig(deepMerge(fromFile, fromContext));
}

function asObject(value: unknown, source: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InfraConfigError([`${source}: expected an object of settings`]);
  }
  return value as Record<string, unknown>;
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prev = out[key];
    const bothObjects = [prev, value].every((v) => v !== null && typeof v === 'object' && !Array.isArray(v));
    out[key] = bothObjects ? deepMerge(prev as Record<string, unknown>, value as Record<string, unknown>) : value;
  }
  return out;
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
