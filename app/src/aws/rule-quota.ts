import { DEFAULT_RULE_LIMIT, rulesPerEnvironment, type Bypass, type Protection } from './rule-actions.js';
import type { ProtectionSettings } from '../environments/protection-settings.js';
import type { Profile } from '../environments/profiles.js';

/**
 * Protection takes listener rules: a bypass rule per bypass form, one allow rule per four allowed
 * networks plus a deny rule for `ip`. The shared listener holds 100 rules (AWS quota, adjustable),
 * two of which are the stack's own (the bot and the dashboard), so protection lowers how many
 * environments fit. Pure: `rulesFor` is what one environment needs (the command layer's quota
 * check adds it to the rules in use), `ruleQuotaProblems` the config check on `maxTotal`.
 */
export const STACK_RULES = 2;

/** The shape `rulesPerEnvironment` counts; placeholders stand in for secrets (only presence matters). */
export function protectionShape(settings: ProtectionSettings, mode: Profile['protection']): { protection: Protection; bypass: Bypass } {
  const m = mode ?? settings.mode;
  const protection: Protection =
    m === 'ip'
      ? { mode: 'ip', cidrs: settings.allowedCidrs }
      : m === 'oidc'
        ? { mode: 'oidc', provider: { issuer: '', authorizationEndpoint: '', tokenEndpoint: '', userInfoEndpoint: '', clientId: '' } }
        : { mode: 'public' };
  const b = settings.bypass;
  const bypass: Bypass = {
    ...(b.ciIssuer && b.ciJwksEndpoint && { ciToken: { issuer: b.ciIssuer, jwksEndpoint: b.ciJwksEndpoint, claims: [] } }),
    ...((b.secret || b.secretArn) && { secretHeader: { name: b.headerName, value: '' } }),
  };
  return { protection, bypass };
}

/** Listener rules one environment of this profile takes. */
export function rulesFor(settings: ProtectionSettings, profile: Pick<Profile, 'protection'>): number {
  const { protection, bypass } = protectionShape(settings, profile.protection);
  return rulesPerEnvironment(protection, bypass);
}

/** How many environments fit when each takes `perEnvironment` rules. */
export function environmentsThatFit(perEnvironment: number, limit = DEFAULT_RULE_LIMIT): number {
  return Math.floor((limit - STACK_RULES) / Math.max(1, perEnvironment));
}

/** Config check: `maxTotal` environments of the hungriest profile must fit on the listener. */
export function ruleQuotaProblems(o: { settings: ProtectionSettings; profiles: Pick<Profile, 'protection'>[]; maxTotal: number; limit?: number }): string[] {
  const worst = Math.max(1, ...o.profiles.map((p) => rulesFor(o.settings, p)));
  const fit = environmentsThatFit(worst, o.limit);
  if (o.maxTotal <= fit) return [];
  return [
    `ENVBOT_MAX_TOTAL (access.maxTotal): ${o.maxTotal} environments do not fit on the load balancer with this protection — each takes ${worst} listener rules, so at most ${fit} fit in ${o.limit ?? DEFAULT_RULE_LIMIT}; lower ENVBOT_MAX_TOTAL to ${fit}, allow fewer networks, or raise the rules-per-load-balancer quota`,
  ];
}
