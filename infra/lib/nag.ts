import { Stack, Validations } from 'aws-cdk-lib';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges cdk-nag findings next to the construct that causes them, with the reason a reviewer
 * reads. cdk-nag 3 matches each finding exactly: a rule id (`AwsSolutions-S1`) or, for rules with
 * several findings per resource, `AwsSolutions-IAM5[Resource::<the resource>]`.
 */
export function suppress(construct: IConstruct, reason: string, ...ids: string[]): void {
  for (const id of ids) Validations.of(construct).acknowledge({ id, reason });
}

/**
 * The id of cdk-nag's IAM5 finding for a wildcard inside a resource ARN, computed the way cdk-nag
 * prints it (tokens flattened to `<Logical.Attr>`), so acknowledgements follow renamed constructs.
 */
export function wildcardResource(scope: IConstruct, arn: string): string {
  return `AwsSolutions-IAM5[Resource::${flattenCfnReference(Stack.of(scope).resolve(arn))}]`;
}

/** The IAM5 finding for `Resource: *` (see test/infra/iam-allow-list.ts for what may use it). */
export const ANY_RESOURCE = 'AwsSolutions-IAM5[Resource::*]';
