import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { InfraConfig } from './config.js';
import { suppress } from './nag.js';

/**
 * One secret, four JSON keys. Created with placeholders (and a generated webhook secret) unless
 * `bot.secretArn` names an existing one; the operator puts the real Slack/GitHub values in. The
 * placeholders pass the bot's config validation, so it starts and passes health checks meanwhile.
 */
export function botSecret(scope: Construct, config: InfraConfig): secretsmanager.ISecret {
  if (config.bot.secretArn) return secretsmanager.Secret.fromSecretCompleteArn(scope, 'Secret', config.bot.secretArn);
  const secret = new secretsmanager.Secret(scope, 'Secret', {
    description: 'envbot: Slack and GitHub credentials (JSON keys SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, GITHUB_TOKEN, GITHUB_WEBHOOK_SECRET)',
    generateSecretString: {
      secretStringTemplate: JSON.stringify({
        SLACK_BOT_TOKEN: 'xoxb-replace-me',
        SLACK_SIGNING_SECRET: 'replace-me',
        GITHUB_TOKEN: 'replace-me',
      }),
      generateStringKey: 'GITHUB_WEBHOOK_SECRET',
      excludePunctuation: true,
      passwordLength: 40,
    },
  });
  suppress(
    secret,
    'The values are third-party credentials (a Slack bot token and signing secret, a GitHub token and webhook secret) ' +
      'that can only be rotated in the Slack and GitHub consoles; a rotation Lambda has nothing it could rotate.',
    'AwsSolutions-SMG4',
  );
  return secret;
}
