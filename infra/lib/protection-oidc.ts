import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { InfraConfig } from './config.js';

type Oidc = NonNullable<InfraConfig['dashboard']['oidc']>;

/**
 * The identity provider's client secret (the dashboard's, issue 15 reuses it for `oidc`
 * environment rules) as a secret the bot's task can be given by ECS. `clientSecretName` is an ARN
 * or a name, like for the dashboard's listener rule (SecretValue.secretsManager accepts both).
 */
export function oidcClientSecret(scope: Construct, oidc: Oidc): secretsmanager.ISecret {
  const ref = oidc.clientSecretName;
  return ref.startsWith('arn:')
    ? secretsmanager.Secret.fromSecretCompleteArn(scope, 'ProtectionOidcClientSecret', ref)
    : secretsmanager.Secret.fromSecretNameV2(scope, 'ProtectionOidcClientSecret', ref);
}
