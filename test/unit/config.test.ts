import { describe, expect, it } from 'vitest';
import { ConfigError, detectMode, loadConfig, profileFor } from '../../app/src/config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('loadConfig', () => {
  it('starts in local mode with safe defaults when nothing is configured', () => {
    const config = loadConfig({});
    expect(config.mode).toBe('local');
    expect(config.port).toBe(3000);
    expect(config.timezone).toBe('Asia/Seoul');
    expect(config.domain).toBe('localhost');
    expect(config.access).toEqual({ admins: [], allowedUsers: [], identityLinks: [], linkByEmail: false, maxPerUser: 3, maxTotal: 50 });
    expect(config.slack.socketMode).toBe(false);
  });

  it('detects AWS mode from credentials or an endpoint', () => {
    expect(detectMode({ AWS_ACCESS_KEY_ID: 'x' })).toBe('aws');
    expect(detectMode({ AWS_PROFILE: 'dev' })).toBe('aws');
    expect(detectMode({ AWS_ENDPOINT_URL: 'http://127.0.0.1:5000' })).toBe('aws');
    expect(detectMode({ ENVBOT_MODE: 'local', AWS_PROFILE: 'dev' })).toBe('local');
    expect(detectMode({})).toBe('local');
  });

  it('names every missing key in AWS mode with where to get it', () => {
    expect(problemsOf({ ENVBOT_MODE: 'aws', ENVBOT_DOMAIN: 'envs.example.com' })).toEqual([
      'ENVBOT_LISTENER_ARN (listenerArn) is missing: set it from the CDK stack output "listenerArn"',
      'ENVBOT_VPC_ID (vpcId) is missing: set it from the CDK stack output "vpcId"',
      'ENVBOT_SUBNETS (subnets) is missing: set it from the CDK stack output "subnets"',
      'ENVBOT_SECURITY_GROUPS (securityGroups) is missing: set it from the CDK stack output "securityGroups"',
      'ENVBOT_EXECUTION_ROLE_ARN (executionRoleArn) is missing: set it from the CDK stack output "executionRoleArn"',
    ]);
  });

  it('asks for the schedules\' dead-letter queue whenever schedules are on, so a failed stop is never silent', () => {
    const problems = problemsOf({ ENVBOT_MODE: 'aws', ENVBOT_DOMAIN: 'envs.example.com', ENVBOT_SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/s' });
    expect(problems.slice(-2)).toEqual([
      'ENVBOT_SCHEDULE_FAILURES_QUEUE_ARN (scheduleFailuresQueueArn) is missing: set it from the CDK stack output "scheduleFailuresQueueArn"',
      'ENVBOT_SCHEDULE_FAILURES_QUEUE_URL (scheduleFailuresQueueUrl) is missing: set it from the CDK stack output "scheduleFailuresQueueUrl"',
    ]);
    expect(problemsOf({ ENVBOT_SCHEDULE_FAILURES_QUEUE_ARN: 'https://sqs.us-east-1.amazonaws.com/1/q' })).toEqual([
      'ENVBOT_SCHEDULE_FAILURES_QUEUE_ARN (scheduleFailuresQueueArn): an SQS queue ARN (arn:aws:sqs:<region>:<account>:<name>)',
    ]);
  });

  it('reports each invalid value by its variable name', () => {
    expect(problemsOf({ ENVBOT_MODE: 'aws', PORT: 'eighty', ENVBOT_DOMAIN: 'not a domain', SLACK_BOT_TOKEN: 'abc', ENVBOT_ASSIGN_PUBLIC_IP: 'maybe' })).toEqual([
      'PORT (port): Invalid input: expected number, received NaN',
      'ENVBOT_DOMAIN (domain): a DNS domain such as envs.example.com',
      'ENVBOT_ASSIGN_PUBLIC_IP (assignPublicIp): Invalid input',
      'SLACK_BOT_TOKEN (slack.botToken): a bot token starting with xoxb-',
    ]);
  });

  it('reads booleans and lists from strings', () => {
    const config = loadConfig({ SLACK_SOCKET_MODE: 'false', ENVBOT_ADMINS: 'slack:U1, github:Alice', ENVBOT_ALLOW_FORKS: 'true' });
    expect(config.slack.socketMode).toBe(false);
    expect(config.github.allowForks).toBe(true);
    expect(config.access.admins).toEqual(['slack:U1', 'github:alice']);
  });

  it('applies per-profile overrides from a config file', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'envbot-')), 'envbot.yml');
    writeFileSync(file, 'profiles:\n  dev:\n    containerPort: 3000\n    autoStopAt: "19:30"\n  stage:\n    size: m\n');
    const config = loadConfig({ ENVBOT_CONFIG_FILE: file });
    expect(profileFor(config, 'dev')).toMatchObject({ containerPort: 3000, autoStopAt: '19:30', size: 'xs' });
    expect(profileFor(config, 'stage').autoStopAt).toBeUndefined();
    expect(profileFor(config, 'stage')).toMatchObject({ size: 'm', capacity: [{ capacityProvider: 'FARGATE', weight: 0, base: 1 }, { capacityProvider: 'FARGATE_SPOT', weight: 1 }] });
  });
});
