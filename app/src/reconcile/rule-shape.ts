import type { ListenerRule as Rule, RuleAction as Action, RuleCondition } from '../aws/elb-types.js';

/**
 * Does an existing rule already say what a wanted one says, apart from the forward's weights
 * (routing is planRoutingFlip's job) and the OIDC client secret (DescribeRules never returns it)?
 * Compared as a canonical string of the conditions and actions.
 */
export function sameRuleShape(existing: Pick<Rule, 'Conditions' | 'Actions'>, wanted: { Conditions: RuleCondition[]; Actions: Action[] }): boolean {
  return shapeKey(existing.Conditions ?? [], existing.Actions ?? []) === shapeKey(wanted.Conditions, wanted.Actions);
}

function shapeKey(conditions: RuleCondition[], actions: Action[]): string {
  const c = conditions.map(conditionKey).sort();
  const a = [...actions].sort((x, y) => (x.Order ?? 0) - (y.Order ?? 0)).map(actionKey);
  return JSON.stringify([c, a]);
}

function conditionKey(c: RuleCondition): string {
  const values =
    c.HostHeaderConfig?.Values ?? c.SourceIpConfig?.Values ?? c.HttpHeaderConfig?.Values ?? c.PathPatternConfig?.Values ?? c.Values ?? [];
  const header = c.HttpHeaderConfig?.HttpHeaderName?.toLowerCase() ?? '';
  return `${c.Field}|${header}|${[...values].sort().join(',')}`;
}

function actionKey(a: Action): string {
  switch (a.Type) {
    case 'forward': {
      const groups = a.ForwardConfig?.TargetGroups?.map((g) => g.TargetGroupArn) ?? (a.TargetGroupArn ? [a.TargetGroupArn] : []);
      return `forward|${[...groups].sort().join(',')}`;
    }
    case 'authenticate-oidc': {
      const o = a.AuthenticateOidcConfig;
      return `oidc|${o?.Issuer}|${o?.ClientId}|${o?.AuthorizationEndpoint}|${o?.TokenEndpoint}|${o?.UserInfoEndpoint}|${o?.Scope}`;
    }
    case 'fixed-response':
      return `fixed|${a.FixedResponseConfig?.StatusCode}|${a.FixedResponseConfig?.MessageBody}`;
    default:
      return `${a.Type}|${JSON.stringify(a)}`;
  }
}
