import { describe, expect, it } from 'vitest';
import { TTL_ATTRIBUTE as APP_TTL_ATTRIBUTE } from '../../app/src/aws/store.js';
import { configSchema, ENV_KEYS } from '../../app/src/config.js';
import { SERVICE_NAME_PREFIX } from '../../app/src/environments/task-event.js';
import { RESERVED_NAMES } from '../../app/src/environments/names.js';
import { BOT_SECRET_KEYS, BOT_SETTING_OUTPUTS } from '../../infra/lib/bot-settings.js';
import { NAMES } from '../../infra/lib/names.js';
import { TTL_ATTRIBUTE } from '../../infra/lib/state-table.js';
import { unscopedGrants } from './support/iam-scoping.js';

/** Settings the bot reads that are (not yet) in ENV_KEYS, and why. */
const NOT_IN_ENV_KEYS: Record<string, string> = {
  ENVBOT_MODE: 'read directly by detectMode()',
  ENVBOT_DASHBOARD_ALB_ARN: 'read by the dashboard gate (app/src/dashboard/settings.ts)',
  ENVBOT_DASHBOARD_OIDC_ISSUER: 'read by the dashboard gate (app/src/dashboard/settings.ts)',
  ENVBOT_CONFIG_JSON: 'turned into ENVBOT_CONFIG_FILE by infra/docker/entrypoint.sh',
};

describe('names the stack and the bot share', () => {
  it('match the bot’s defaults and naming rules', () => {
    const defaults = configSchema.parse({ mode: 'aws', aws: {}, domain: 'envs.example.com' });
    expect(NAMES).toMatchObject({
      cluster: defaults.cluster,
      repository: defaults.ecrRepository,
      buildProject: defaults.codebuildProject,
      scheduleGroup: defaults.scheduleGroup,
      ssmPrefix: defaults.ssmPrefix,
      environmentsLogGroup: defaults.logGroup,
      botPort: defaults.port,
      environmentPrefix: SERVICE_NAME_PREFIX,
    });
    expect(TTL_ATTRIBUTE).toBe(APP_TTL_ATTRIBUTE);
    expect(RESERVED_NAMES.has(NAMES.botHost)).toBe(true);
  });

  it('uses the bot’s target group prefix', async () => {
    const elb = (await import('../../app/src/aws/elb.js')) as { TARGET_GROUP_PREFIX?: string };
    expect(elb.TARGET_GROUP_PREFIX).toBe(NAMES.targetGroupPrefix);
  });

  it('names every bot setting as config.ts reads it, and outputs it under the config path', () => {
    for (const [env, output] of Object.entries(BOT_SETTING_OUTPUTS)) {
      const path = ENV_KEYS[env];
      if (path === undefined) {
        expect(NOT_IN_ENV_KEYS, `${env} is neither in ENV_KEYS nor explained`).toHaveProperty([env]);
        continue;
      }
      const camel = path.replace(/\.(\w)/g, (_, c: string) => c.toUpperCase());
      expect(output, env).toBe(camel);
    }
    for (const key of BOT_SECRET_KEYS) expect(ENV_KEYS).toHaveProperty([key]);
  });
});

describe('the IAM scoping check itself', () => {
  const template = (statement: Record<string, unknown>) => ({
    Resources: { P: { Type: 'AWS::IAM::Policy', Properties: { PolicyDocument: { Statement: [statement] } } } },
  });

  it('flags a scopable write action on *', () => {
    expect(unscopedGrants(template({ Effect: 'Allow', Action: ['s3:PutObject'], Resource: '*' }))).toHaveLength(1);
  });

  it('flags action wildcards and NotAction on *', () => {
    expect(unscopedGrants(template({ Effect: 'Allow', Action: 'ecs:*', Resource: ['*'] }))).toHaveLength(1);
    expect(unscopedGrants(template({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }))).toHaveLength(1);
  });

  it('reads inline role policies too', () => {
    const role = {
      Resources: {
        R: { Type: 'AWS::IAM::Role', Properties: { Policies: [{ PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'sqs:DeleteMessage', Resource: '*' }] } }] } },
      },
    };
    expect(unscopedGrants(role)).toHaveLength(1);
  });

  it('accepts allow-listed actions on *, scoped grants and denies', () => {
    expect(unscopedGrants(template({ Effect: 'Allow', Action: ['ecr:GetAuthorizationToken', 'tag:GetResources'], Resource: '*' }))).toEqual([]);
    expect(unscopedGrants(template({ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::bucket/*' }))).toEqual([]);
    expect(unscopedGrants(template({ Effect: 'Deny', Action: '*', Resource: '*' }))).toEqual([]);
  });
});
