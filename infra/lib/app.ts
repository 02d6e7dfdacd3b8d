import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { configFromContext } from './config.js';
import { EnvbotStack } from './envbot-stack.js';

/** Builds the envbot stack into `app` from its context; the bin entry and the tests share this. */
export function buildEnvbotApp(app: App, { nag = true }: { nag?: boolean } = {}): EnvbotStack {
  const config = configFromContext((key) => app.node.tryGetContext(key));
  const stack = new EnvbotStack(app, config.stackName, {
    config,
    // Region is concrete (ALB access logging needs it); the account stays a deploy-time value unless set.
    env: { region: config.region, ...(config.account && { account: config.account }) },
    description: `envbot: per-branch environments on Fargate Spot for ${config.github.repository}`,
  });
  // Any unacknowledged AwsSolutions finding stops synthesis.
  if (nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}
