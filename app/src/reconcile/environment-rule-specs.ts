import type { RuleAction as Action } from '../aws/elb-types.js';
import type { Config } from '../config.js';
import type { Profile } from '../environments/profiles.js';
import { environmentRules, ProtectionConfigError, RULE_SLOTS_PER_ENV, type Bypass, type Protection, type Routing, type RuleSpec } from '../aws/rule-actions.js';
import { TerminalError } from './errors.js';

/**
 * What the environment's listener rules should be, from the installation's protection settings
 * and the profile's mode (rule-actions.ts has the shapes). Without a waking target group
 * (`wake.targetGroupArn` unset) the forward is a plain one to the environment's group, as before
 * issue 15. A setting the load balancer cannot serve fails the environment with the reason.
 */
export interface PlacedRule extends RuleSpec {
  priority: number;
}

export function rulePriority(base: number, slot: number): number {
  return base * RULE_SLOTS_PER_ENV + slot;
}

/** The block a priority belongs to (rules outside ours keep their whole block from being claimed). */
export function priorityBase(priority: number): number {
  return Math.floor(priority / RULE_SLOTS_PER_ENV);
}

export function environmentRuleSpecs(o: {
  config: Config;
  profile: Pick<Profile, 'protection'>;
  host: string;
  targetGroupArn: string;
  state: Routing['state'];
}): RuleSpec[] {
  const bot = o.config.wake.targetGroupArn;
  const routing: Routing = { state: bot ? o.state : 'running', environmentTargetGroupArn: o.targetGroupArn, botTargetGroupArn: bot ?? o.targetGroupArn };
  let specs: RuleSpec[];
  try {
    specs = environmentRules({ host: o.host, protection: protectionOf(o.config, o.profile), bypass: bypassOf(o.config), routing, https: o.config.urlScheme === 'https' });
  } catch (err) {
    if (err instanceof ProtectionConfigError) throw new TerminalError(`creating the load balancer rules for ${o.host}: ${err.message}`, { cause: err });
    throw err;
  }
  return bot ? specs : specs.map((s) => ({ ...s, Actions: s.Actions.map((a) => plainForward(a, o.targetGroupArn)) }));
}

export function protectionMode(config: Config, profile: Pick<Profile, 'protection'>): Protection['mode'] {
  return profile.protection ?? config.protection.mode;
}

function protectionOf(config: Config, profile: Pick<Profile, 'protection'>): Protection {
  const mode = protectionMode(config, profile);
  if (mode === 'ip') return { mode, cidrs: config.protection.allowedCidrs };
  if (mode === 'public') return { mode };
  const p = config.protection.oidc;
  if (!p) throw new TerminalError('oidc protection needs protection.oidc (the identity provider of the dashboard) — set it, or use ip protection');
  const { clientSecretArn: _arn, clientSecret, ...provider } = p;
  return { mode, provider: { ...provider, ...(clientSecret && { clientSecret }) } };
}

function bypassOf(config: Config): Bypass {
  const b = config.protection.bypass;
  const claims = Object.entries(b.ciClaims).map(([name, values]) => ({ name, values }));
  return {
    ...(b.ciIssuer && b.ciJwksEndpoint && { ciToken: { issuer: b.ciIssuer, jwksEndpoint: b.ciJwksEndpoint, claims } }),
    ...(b.secret && { secretHeader: { name: b.headerName, value: b.secret } }),
  };
}

/** No waking door: forward to the environment's group alone (the shape rules had before). */
function plainForward(a: Action, targetGroupArn: string): Action {
  if (a.Type !== 'forward') return a;
  return { Type: 'forward', ...(a.Order !== undefined && { Order: a.Order }), TargetGroupArn: targetGroupArn };
}

/** A new login action needs the client secret; only a rule that already has one can keep it. */
export function missingClientSecret(spec: RuleSpec, existing: { Actions?: Action[] } | undefined): boolean {
  const wantsKept = spec.Actions.some((a) => a.AuthenticateOidcConfig?.UseExistingClientSecret);
  return wantsKept && !existing?.Actions?.some((a) => a.Type === 'authenticate-oidc');
}
