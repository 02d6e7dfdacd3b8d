import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { AwsActionError } from './errors.js';

export interface CallerIdentity {
  account: string;
  /** The caller's ARN: a user, or `arn:aws:sts::<account>:assumed-role/<role>/<session>`. */
  arn: string;
}

/** Who the SDK's credentials belong to (no permission needed: STS always answers this). */
export class Identity {
  constructor(private readonly sts: STSClient) {}

  async whoAmI(): Promise<CallerIdentity> {
    try {
      const out = await this.sts.send(new GetCallerIdentityCommand({}));
      return { account: out.Account ?? '', arn: out.Arn ?? '' };
    } catch (err) {
      throw new AwsActionError('asking STS who the credentials belong to', err, 'check AWS_PROFILE / AWS credentials');
    }
  }
}

/** `arn:aws:sts::1:assumed-role/Name/session` → `Name`; undefined for users and other principals. */
export function assumedRoleName(callerArn: string): string | undefined {
  const m = /^arn:[^:]+:sts::\d+:assumed-role\/([^/]+)\//.exec(callerArn);
  return m?.[1];
}
