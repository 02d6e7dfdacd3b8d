import { ACTIONS_ALLOWED_ON_ANY_RESOURCE } from './iam-allow-list.js';

type Json = Record<string, unknown>;

export interface ScopingProblem {
  policy: string;
  action: string;
  why: string;
}

/** Every identity-policy statement in a template: AWS::IAM::Policy, ManagedPolicy and Role inline policies. */
export function identityStatements(template: { Resources?: Record<string, Json> }): { policy: string; statement: Json }[] {
  const out: { policy: string; statement: Json }[] = [];
  for (const [id, resource] of Object.entries(template.Resources ?? {})) {
    const props = (resource.Properties ?? {}) as Json;
    const documents: Json[] = [];
    if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') documents.push(props.PolicyDocument as Json);
    if (resource.Type === 'AWS::IAM::Role') {
      for (const p of (props.Policies ?? []) as Json[]) documents.push(p.PolicyDocument as Json);
    }
    for (const doc of documents) {
      for (const statement of asArray(doc?.Statement) as Json[]) out.push({ policy: id, statement });
    }
  }
  return out;
}

/**
 * Allowed statements that reach every resource (`Resource: "*"`, or NotResource) may only carry
 * actions from the allow-list, spelled out (no `service:*` or `Describe*` wildcards).
 */
export function unscopedGrants(template: { Resources?: Record<string, Json> }): ScopingProblem[] {
  const problems: ScopingProblem[] = [];
  for (const { policy, statement } of identityStatements(template)) {
    if (statement.Effect !== 'Allow') continue;
    if (statement.NotAction !== undefined) {
      problems.push({ policy, action: String(statement.NotAction), why: 'NotAction grants everything else' });
      continue;
    }
    const everywhere = statement.NotResource !== undefined || asArray(statement.Resource).includes('*');
    if (!everywhere) continue;
    for (const action of asArray(statement.Action) as string[]) {
      if (!Object.hasOwn(ACTIONS_ALLOWED_ON_ANY_RESOURCE, action)) {
        problems.push({ policy, action, why: 'granted on * but AWS lets this action be scoped (or it is a wildcard)' });
      }
    }
  }
  return problems;
}

function asArray(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}
