import { z } from 'zod';
import { PROTECTION_MODES } from './profiles.js';

/**
 * Installation settings for the environments' front door (issue 15): who may reach
 * `<name>.<domain>` (`protection`), how automation gets past it (`bypass`), and the waking route
 * (`wake`). Parsed as part of app/src/config.ts; the rule shapes live in app/src/aws/rule-actions.ts.
 */

const csv = z.string().transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));
const list = z.union([z.array(z.string()), csv]);
const CIDR = /^((\d{1,3}\.){3}\d{1,3}\/\d{1,2}|[0-9a-f:]+\/\d{1,3})$/i;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/;
const TARGET_GROUP_ARN = /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup\/[^/]+\/[^/]+$/;

/** `repository=acme/shop, aud=envbot` (or a mapping in the config file) → pinned claims. */
const claims = z
  .union([z.record(z.string(), z.union([z.string(), z.array(z.string())])), csv])
  .transform((v, ctx) => {
    const pairs: [string, string][] = Array.isArray(v)
      ? v.map((item) => {
          const at = item.indexOf('=');
          return at > 0 ? [item.slice(0, at).trim(), item.slice(at + 1).trim()] : [item, ''];
        })
      : Object.entries(v).flatMap(([k, vs]) => (Array.isArray(vs) ? vs : [vs]).map((x): [string, string] => [k, x]));
    const out: Record<string, string[]> = {};
    for (const [k, value] of pairs) {
      if (!k || !value) ctx.addIssue({ code: 'custom', message: `"${k}" has no value: write claims as name=value, e.g. repository=acme/shop` });
      else (out[k] ??= []).push(value);
    }
    return out;
  });

export const oidcProviderSchema = z.object({
  issuer: z.url(),
  authorizationEndpoint: z.url(),
  tokenEndpoint: z.url(),
  userInfoEndpoint: z.url(),
  clientId: z.string().min(1),
  /** The client secret lives in Secrets Manager; the reconciler reads it for CreateRule. */
  clientSecretArn: z.string().regex(SECRET_ARN, 'a Secrets Manager secret ARN'),
  /** Its value, as an ECS secret from that ARN (never a plain task variable; the CDK stack injects it from the dashboard's secret); CreateRule needs it. */
  clientSecret: z.string().min(1).optional(),
  scope: z.string().default('openid email'),
});

export const protectionSchema = z
  .object({
    mode: z.enum(PROTECTION_MODES).default('public'),
    allowedCidrs: list
      .superRefine((cidrs, ctx) => {
        const bad = cidrs.filter((c) => !CIDR.test(c));
        if (bad.length > 0) ctx.addIssue({ code: 'custom', message: `${bad.map((b) => `"${b}"`).join(', ')}: write each network as a CIDR such as 203.0.113.0/24` });
      })
      .prefault([]),
    /** The identity provider the ALB signs users in with (the dashboard's). */
    oidc: oidcProviderSchema.optional(),
    /** May a repository's `.envbot.yml` make its environments `public` when the profile protects them? */
    repositoriesMayMakePublic: z.union([z.boolean(), z.stringbool()]).default(false),
    bypass: z
      .object({
        /** CI OIDC tokens the ALB verifies itself (jwt-validation), e.g. GitHub Actions'. */
        ciIssuer: z.url().optional(),
        ciJwksEndpoint: z.url().optional(),
        /** Claims every token must carry, e.g. repository=acme/shop (GitHub Actions: pin the repository). */
        ciClaims: claims.prefault({}),
        /** For CI without OIDC: a header whose value is the secret (Secrets Manager, by ARN). */
        headerName: z.string().regex(/^[A-Za-z0-9-]{1,40}$/, 'a header name such as x-envbot-bypass').default('x-envbot-bypass'),
        secretArn: z.string().regex(SECRET_ARN, 'a Secrets Manager secret ARN').optional(),
        /**
         * The header's value, injected by ECS from that secret (never a plain task variable); a
         * rotation takes effect when the bot restarts and resync rewrites the rules.
         * ALB header conditions allow 128 characters and treat * and ? as wildcards.
         */
        secret: z.string().regex(/^[A-Za-z0-9_-]{32,128}$/, '32 to 128 characters of A-Z a-z 0-9 _ - (the value is not shown here)').optional(),
      })
      .prefault({}),
  })
  .prefault({});

export const wakeSchema = z
  .object({
    /** The bot's own target group on the shared listener; sleeping environments' rules forward to it. */
    targetGroupArn: z.string().regex(TARGET_GROUP_ARN, 'a target group ARN (arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id>)').optional(),
    /** How often the idle-sleep job runs. */
    idleCheckMinutes: z.coerce.number().int().min(1).max(60).default(5),
  })
  .prefault({});

export type ProtectionSettings = z.infer<typeof protectionSchema>;
export type WakeSettings = z.infer<typeof wakeSchema>;

/** What the config check needs to know; `profiles` are the effective modes per profile. */
export interface ProtectionCheckInput {
  protection: ProtectionSettings;
  profileModes: string[];
  urlScheme: 'http' | 'https';
  mode: 'local' | 'aws';
}

/**
 * Problems a protection setting has, each saying what to set. The load balancer can sign users in
 * (authenticate-oidc) and verify CI tokens (jwt-validation) only on an HTTPS listener; the bot knows
 * the listener is HTTP-only from ENVBOT_URL_SCHEME=http (the CDK stack sets it from `httpOnly`).
 */
export function protectionProblems(i: ProtectionCheckInput): string[] {
  const p = i.protection;
  const modes = new Set([p.mode, ...i.profileModes]);
  const problems: string[] = [];
  const httpOnly = i.urlScheme === 'http' && i.mode === 'aws';
  if (modes.has('oidc') && httpOnly) {
    problems.push(
      'ENVBOT_PROTECTION (protection.mode): oidc needs HTTPS — the load balancer signs users in only on an HTTPS listener, and this one is HTTP-only (ENVBOT_URL_SCHEME=http); deploy the stack with a certificate (hostedZone or certificateArn), or use ip protection',
    );
  }
  if (modes.has('oidc') && !p.oidc) problems.push('protection.oidc is missing: oidc protection needs the identity provider (issuer, endpoints, clientId, clientSecretArn) — the dashboard\'s');
  if (modes.has('ip') && p.allowedCidrs.length === 0) problems.push('ENVBOT_PROTECTION_ALLOWED_CIDRS (protection.allowedCidrs) is missing: ip protection needs at least one allowed network, e.g. 203.0.113.0/24');
  const b = p.bypass;
  if (b.ciIssuer || b.ciJwksEndpoint) {
    if (!b.ciIssuer || !b.ciJwksEndpoint) problems.push('ENVBOT_BYPASS_CI_ISSUER and ENVBOT_BYPASS_CI_JWKS_URL go together: set both (GitHub Actions: https://token.actions.githubusercontent.com and …/.well-known/jwks)');
    if (Object.keys(b.ciClaims).length === 0) problems.push('ENVBOT_BYPASS_CI_CLAIMS (protection.bypass.ciClaims) is missing: pin at least one claim, e.g. repository=acme/shop — otherwise every token of the issuer (any GitHub repository) gets in');
    if (httpOnly) problems.push('ENVBOT_BYPASS_CI_ISSUER (protection.bypass.ciIssuer): the CI token bypass needs HTTPS — the load balancer verifies tokens only on an HTTPS listener; deploy with a certificate or use the secret header bypass');
  }
  if (b.secretArn && !b.secret && i.mode === 'aws') problems.push('ENVBOT_BYPASS_SECRET is missing: the bypass secret (ENVBOT_BYPASS_SECRET_ARN) reaches the bot as an ECS secret of that name — redeploy the stack, or unset ENVBOT_BYPASS_SECRET_ARN');
  return problems;
}

/** Environment variables for these settings (merged into config.ts's ENV_KEYS). */
export const PROTECTION_ENV_KEYS: Record<string, string> = {
  ENVBOT_PROTECTION: 'protection.mode',
  ENVBOT_PROTECTION_ALLOWED_CIDRS: 'protection.allowedCidrs',
  ENVBOT_PROTECTION_REPOSITORIES_MAY_MAKE_PUBLIC: 'protection.repositoriesMayMakePublic',
  ENVBOT_BYPASS_CI_ISSUER: 'protection.bypass.ciIssuer',
  ENVBOT_BYPASS_CI_JWKS_URL: 'protection.bypass.ciJwksEndpoint',
  ENVBOT_BYPASS_CI_CLAIMS: 'protection.bypass.ciClaims',
  ENVBOT_BYPASS_HEADER: 'protection.bypass.headerName',
  ENVBOT_BYPASS_SECRET_ARN: 'protection.bypass.secretArn',
  ENVBOT_BYPASS_SECRET: 'protection.bypass.secret',
  ENVBOT_PROTECTION_OIDC_ISSUER: 'protection.oidc.issuer',
  ENVBOT_PROTECTION_OIDC_AUTHORIZATION_ENDPOINT: 'protection.oidc.authorizationEndpoint',
  ENVBOT_PROTECTION_OIDC_TOKEN_ENDPOINT: 'protection.oidc.tokenEndpoint',
  ENVBOT_PROTECTION_OIDC_USER_INFO_ENDPOINT: 'protection.oidc.userInfoEndpoint',
  ENVBOT_PROTECTION_OIDC_CLIENT_ID: 'protection.oidc.clientId',
  ENVBOT_PROTECTION_OIDC_CLIENT_SECRET_ARN: 'protection.oidc.clientSecretArn',
  ENVBOT_PROTECTION_OIDC_SCOPE: 'protection.oidc.scope',
  ENVBOT_PROTECTION_OIDC_CLIENT_SECRET: 'protection.oidc.clientSecret',
  ENVBOT_WAKE_TARGET_GROUP_ARN: 'wake.targetGroupArn',
  ENVBOT_IDLE_CHECK_MINUTES: 'wake.idleCheckMinutes',
};
