import { GetRoleCommand, SimulatePrincipalPolicyCommand, type ContextEntry, type IAMClient } from '@aws-sdk/client-iam';
import { AwsActionError } from './errors.js';

export type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny';

export interface SimulationRequest {
  /** The role (or user) whose identity policies, boundary and SCPs are evaluated. */
  principalArn: string;
  actions: string[];
  resources: string[];
  /** Condition keys with the value a real call would carry (e.g. iam:PassedToService). */
  context?: Record<string, string>;
}

export interface RoleFacts {
  arn: string;
  /** The trust policy, decoded (IAM returns it URL-encoded). */
  trust: TrustPolicy;
}

export interface TrustPolicy {
  Statement?: TrustStatement | TrustStatement[];
}

export interface TrustStatement {
  Effect?: string;
  Principal?: { Service?: string | string[]; AWS?: string | string[] } | string;
  Action?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** Read-only IAM: the policy simulator and role look-ups (used by `envbot doctor`). */
export class IamReader {
  constructor(private readonly iam: IAMClient) {}

  /**
   * One decision per action. AWS returns one aggregate result per action (the most restrictive over
   * the resources asked about); results are paged with Marker.
   */
  async simulate(req: SimulationRequest): Promise<Map<string, Decision>> {
    const out = new Map<string, Decision>();
    const context: ContextEntry[] = Object.entries(req.context ?? {}).map(([key, value]) => ({
      ContextKeyName: key,
      ContextKeyType: 'string',
      ContextKeyValues: [value],
    }));
    let marker: string | undefined;
    try {
      do {
        const page = await this.iam.send(
          new SimulatePrincipalPolicyCommand({
            PolicySourceArn: req.principalArn,
            ActionNames: req.actions,
            ResourceArns: req.resources,
            ...(context.length > 0 && { ContextEntries: context }),
            ...(marker && { Marker: marker }),
          }),
        );
        for (const r of page.EvaluationResults ?? []) {
          if (r.EvalActionName) out.set(r.EvalActionName, (r.EvalDecision ?? 'implicitDeny') as Decision);
        }
        marker = page.IsTruncated ? page.Marker : undefined;
      } while (marker);
    } catch (err) {
      throw new AwsActionError(`simulating ${req.actions.join(', ')} for ${req.principalArn}`, err, 'the operator needs iam:SimulatePrincipalPolicy');
    }
    return out;
  }

  async role(name: string): Promise<RoleFacts> {
    try {
      const out = await this.iam.send(new GetRoleCommand({ RoleName: name }));
      const raw = out.Role?.AssumeRolePolicyDocument ?? '{}';
      return { arn: out.Role?.Arn ?? '', trust: JSON.parse(decodeURIComponent(raw)) as TrustPolicy };
    } catch (err) {
      throw new AwsActionError(`reading IAM role ${name}`, err, 'the operator needs iam:GetRole');
    }
  }
}

/** `arn:aws:iam::1:role/path/Name` → `Name`. */
export function roleNameOf(roleArn: string): string {
  return roleArn.split('/').pop() ?? roleArn;
}
