import type { RuleAction as Action, RuleCondition } from './elb-types.js';

/**
 * The listener rules of one environment, as pure data for CreateRule/ModifyRule: who may reach
 * `<name>.<domain>` (protection + automation bypass) and where its requests go (the environment
 * while it runs, the bot's waking door while it sleeps).
 *
 * Routing is always a weighted forward over both target groups, so sleeping and waking are one
 * ModifyRule per rule that swaps the weights: ECS refuses a target group that no listener uses
 * ("does not have an associated load balancer") and the ALB health-checks only attached groups,
 * so the environment's group must stay in the rule at weight 0 while asleep (as CodeDeploy does).
 *
 * Rules are returned in evaluation order (first = lowest priority number); `slot` is the offset
 * inside the environment's block of `RULE_SLOTS_PER_ENV` priorities.
 * AWS: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-update-rules.html,
 * .../listener-authenticate-users.html, .../listener-verify-jwt.html, .../load-balancer-limits.html
 */

export type Routing = { state: 'running' | 'asleep'; environmentTargetGroupArn: string; botTargetGroupArn: string };

export interface OidcProvider {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  userInfoEndpoint: string;
  clientId: string;
  /** Required by CreateRule; on ModifyRule the stored one can be kept with `useExistingClientSecret`. */
  clientSecret?: string;
  scope?: string;
  sessionTimeoutSeconds?: number;
}

export type Protection = { mode: 'public' } | { mode: 'oidc'; provider: OidcProvider } | { mode: 'ip'; cidrs: string[] };

export interface Bypass {
  /** CI tokens the ALB verifies itself (jwt-validation), e.g. GitHub Actions OIDC with the repository pinned. */
  ciToken?: { issuer: string; jwksEndpoint: string; claims: { name: string; values: string[] }[] };
  /** For CI without OIDC: requests carrying this header value skip protection (value from Secrets Manager). */
  secretHeader?: { name: string; value: string };
}

export interface EnvironmentRuleInput {
  host: string;
  protection: Protection;
  bypass?: Bypass;
  routing: Routing;
  /** The shared listener speaks HTTPS (authenticate-oidc and jwt-validation exist only there). */
  https: boolean;
}

export type RuleRole = 'ci-bypass' | 'secret-bypass' | 'allow' | 'deny';
export interface RuleSpec {
  role: RuleRole;
  slot: number;
  Conditions: RuleCondition[];
  Actions: Action[];
}

/** Priorities per environment: base × slots + slot; enough for 2 bypass + 5 allow-list + 1 deny rule. */
export const RULE_SLOTS_PER_ENV = 10;
/** Condition values per rule (AWS quota 5, not adjustable); the host header takes one. */
const SOURCE_IPS_PER_RULE = 4;
export const MAX_ALLOWED_CIDRS = 5 * SOURCE_IPS_PER_RULE;
export const GITHUB_ACTIONS_ISSUER = 'https://token.actions.githubusercontent.com';
export const GITHUB_ACTIONS_JWKS = 'https://token.actions.githubusercontent.com/.well-known/jwks';

export class ProtectionConfigError extends Error {
  readonly code = 'PROTECTION_CONFIG';
}

export function environmentRules(input: EnvironmentRuleInput): RuleSpec[] {
  checkInput(input);
  const host: RuleCondition = { Field: 'host-header', HostHeaderConfig: { Values: [input.host] } };
  const forward = weightedForward(input.routing);
  const rules: Omit<RuleSpec, 'slot'>[] = [];
  if (input.protection.mode !== 'public') rules.push(...bypassRules(host, forward, input.bypass));
  rules.push(...protectedRules(host, forward, input.protection));
  return rules.map((r, slot) => ({ ...r, slot }));
}

/** Running: all traffic to the environment. Asleep: all to the bot's waking door; the environment's group stays attached. */
export function weightedForward(r: Routing, order?: number): Action {
  const awake = r.state === 'running';
  return {
    Type: 'forward',
    ...(order !== undefined && { Order: order }),
    ForwardConfig: {
      TargetGroups: [
        { TargetGroupArn: r.environmentTargetGroupArn, Weight: awake ? 1 : 0 },
        { TargetGroupArn: r.botTargetGroupArn, Weight: awake ? 0 : 1 },
      ],
      TargetGroupStickinessConfig: { Enabled: false },
    },
  };
}

export function authenticateOidcAction(p: OidcProvider, order: number): Action {
  return {
    Type: 'authenticate-oidc',
    Order: order,
    AuthenticateOidcConfig: {
      Issuer: p.issuer,
      AuthorizationEndpoint: p.authorizationEndpoint,
      TokenEndpoint: p.tokenEndpoint,
      UserInfoEndpoint: p.userInfoEndpoint,
      ClientId: p.clientId,
      ...(p.clientSecret ? { ClientSecret: p.clientSecret } : { UseExistingClientSecret: true }),
      Scope: p.scope ?? 'openid email',
      SessionTimeout: p.sessionTimeoutSeconds ?? 8 * 3600,
      OnUnauthenticatedRequest: 'authenticate',
    },
  };
}

export function jwtValidationAction(t: NonNullable<Bypass['ciToken']>, order: number): Action {
  return {
    Type: 'jwt-validation',
    Order: order,
    JwtValidationConfig: {
      JwksEndpoint: t.jwksEndpoint,
      Issuer: t.issuer,
      AdditionalClaims: t.claims.map((c) => ({ Name: c.name, Format: 'single-string', Values: c.values })),
    },
  };
}

/** GitHub Actions OIDC tokens of one repository (the `repository` claim pinned; `aud` as the workflow requests it). */
export function githubActionsBypass(repository: string, audience = 'envbot'): NonNullable<Bypass['ciToken']> {
  if (!/^[\w.-]+\/[\w.-]+$/.test(repository)) throw new ProtectionConfigError(`"${repository}" is not owner/repo`);
  return {
    issuer: GITHUB_ACTIONS_ISSUER,
    jwksEndpoint: GITHUB_ACTIONS_JWKS,
    claims: [
      { name: 'repository', values: [repository] },
      { name: 'aud', values: [audience] },
    ],
  };
}

function bypassRules(host: RuleCondition, forward: Action, bypass: Bypass | undefined): Omit<RuleSpec, 'slot'>[] {
  const out: Omit<RuleSpec, 'slot'>[] = [];
  if (bypass?.ciToken) {
    // Only requests that carry a bearer token come here; a browser without one goes on to the login.
    const bearer: RuleCondition = { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'Authorization', Values: ['Bearer *'] } };
    out.push({ role: 'ci-bypass', Conditions: [host, bearer], Actions: [jwtValidationAction(bypass.ciToken, 1), { ...forward, Order: 2 }] });
  }
  if (bypass?.secretHeader) {
    const { name, value } = bypass.secretHeader;
    const header: RuleCondition = { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: name, Values: [value] } };
    out.push({ role: 'secret-bypass', Conditions: [host, header], Actions: [forward] });
  }
  return out;
}

function protectedRules(host: RuleCondition, forward: Action, p: Protection): Omit<RuleSpec, 'slot'>[] {
  if (p.mode === 'public') return [{ role: 'allow', Conditions: [host], Actions: [forward] }];
  if (p.mode === 'oidc') return [{ role: 'allow', Conditions: [host], Actions: [authenticateOidcAction(p.provider, 1), { ...forward, Order: 2 }] }];
  const allow = chunk(p.cidrs, SOURCE_IPS_PER_RULE).map((cidrs) => ({
    role: 'allow' as const,
    Conditions: [host, { Field: 'source-ip', SourceIpConfig: { Values: cidrs } }],
    Actions: [forward],
  }));
  // Everyone else gets a plain answer instead of falling through to the listener's default.
  const deny = { role: 'deny' as const, Conditions: [host], Actions: [forbidden()] };
  return [...allow, deny];
}

function forbidden(): Action {
  return {
    Type: 'fixed-response',
    FixedResponseConfig: { StatusCode: '403', ContentType: 'text/plain', MessageBody: 'This preview environment accepts requests only from allowed networks.\n' },
  };
}

function checkInput(i: EnvironmentRuleInput): void {
  const needsHttps = i.protection.mode === 'oidc' ? 'oidc protection' : i.bypass?.ciToken && i.protection.mode !== 'public' ? 'the CI token bypass' : undefined;
  if (needsHttps && !i.https) {
    throw new ProtectionConfigError(`${needsHttps} needs an HTTPS listener: the load balancer can only sign users in or verify tokens over HTTPS — configure a certificate, or use ip protection`);
  }
  if (i.protection.mode === 'ip') checkCidrs(i.protection.cidrs);
  if (i.bypass?.secretHeader) checkSecretHeader(i.bypass.secretHeader);
}

function checkCidrs(cidrs: string[]): void {
  if (cidrs.length === 0) throw new ProtectionConfigError('ip protection needs at least one allowed network (CIDR)');
  if (cidrs.length > MAX_ALLOWED_CIDRS) throw new ProtectionConfigError(`ip protection allows at most ${MAX_ALLOWED_CIDRS} networks; merge some into wider CIDRs`);
  const bad = cidrs.find((c) => !/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/.test(c) && !/^[0-9a-f:]+\/\d{1,3}$/i.test(c));
  if (bad) throw new ProtectionConfigError(`"${bad}" is not a CIDR such as 203.0.113.0/24`);
}

function checkSecretHeader(h: { name: string; value: string }): void {
  if (!/^[A-Za-z0-9-]{1,40}$/.test(h.name)) throw new ProtectionConfigError(`"${h.name}" is not a usable header name`);
  // ALB header conditions treat * and ? as wildcards and allow 128 characters per value.
  if (!/^[A-Za-z0-9_-]{32,128}$/.test(h.value)) throw new ProtectionConfigError('the bypass secret must be 32 to 128 characters of A-Z a-z 0-9 _ -');
}

/** How many listener rules an environment with this protection takes. */
export function rulesPerEnvironment(protection: Protection, bypass?: Bypass): number {
  const bypassCount = protection.mode === 'public' ? 0 : Number(Boolean(bypass?.ciToken)) + Number(Boolean(bypass?.secretHeader));
  const main = protection.mode === 'ip' ? Math.ceil(protection.cidrs.length / SOURCE_IPS_PER_RULE) + 1 : 1;
  return bypassCount + main;
}

/** Rules per ALB, excluding the default rule (AWS quota, adjustable). */
export const DEFAULT_RULE_LIMIT = 100;

/** Refuses, in the user's terms, an environment whose rules would not fit on the listener. */
export function checkRuleBudget(o: { name: string; rulesInUse: number; rulesNeeded: number; limit?: number }): void {
  const limit = o.limit ?? DEFAULT_RULE_LIMIT;
  if (o.rulesInUse + o.rulesNeeded <= limit) return;
  throw new ProtectionConfigError(
    `creating the listener rules for ${o.name}: it needs ${o.rulesNeeded} rule(s) and the load balancer has ${o.rulesInUse} of ${limit} in use — run /env list and stop an old environment, or ask an admin to raise the quota`,
  );
}

function chunk<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}
