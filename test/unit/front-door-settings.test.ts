import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, profileFor } from '../../app/src/config.js';
import { DEFAULT_PROFILES } from '../../app/src/environments/profiles.js';
import { applyRepoFrontDoor, frontDoorRepoShape } from '../../app/src/environments/repo-front-door.js';
import { environmentsThatFit, rulesFor, ruleQuotaProblems } from '../../app/src/aws/rule-quota.js';
import { z } from 'zod';

const AWS = {
  ENVBOT_MODE: 'aws',
  ENVBOT_DOMAIN: 'envs.example.com',
  ENVBOT_LISTENER_ARN: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/envbot/50dc6c495c0c9188/f2f7dc8efc522ab2',
  ENVBOT_VPC_ID: 'vpc-0abc',
  ENVBOT_SUBNETS: 'subnet-1',
  ENVBOT_SECURITY_GROUPS: 'sg-1',
  ENVBOT_EXECUTION_ROLE_ARN: 'arn:aws:iam::123456789012:role/exec',
};
const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:envbot/bypass-AbCdEf';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('front-door settings', () => {
  it('defaults: public, dev sleeps after 30 idle minutes, stage never, no waking after an explicit stop', () => {
    const c = loadConfig({});
    expect(c.protection.mode).toBe('public');
    expect(c.wake.idleCheckMinutes).toBe(5);
    expect(profileFor(c, 'dev')).toMatchObject({ sleepAfterIdleMinutes: 30, idleGraceMinutes: 15, wakeAfterUserStop: false, protection: 'public' });
    expect(profileFor(c, 'stage').sleepAfterIdleMinutes).toBeUndefined();
  });

  it('local mode lives at <name>.localhost', () => {
    expect(loadConfig({}).domain).toBe('localhost');
    expect(problemsOf({ ...AWS, ENVBOT_DOMAIN: 'localhost.' })).toEqual(['ENVBOT_DOMAIN (domain): a DNS domain such as envs.example.com']);
  });

  it('reads per-profile idle, grace, waking and protection from the config document', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'envbot-')), 'envbot.yml');
    writeFileSync(file, 'profiles:\n  dev:\n    sleepAfterIdleMinutes: 0\n  stage:\n    sleepAfterIdleMinutes: 120\n    idleGraceMinutes: 30\n    wakeAfterUserStop: true\n    protection: ip\naccess:\n  maxTotal: 40\nprotection:\n  allowedCidrs: [203.0.113.0/24]\n');
    const c = loadConfig({ ENVBOT_CONFIG_FILE: file });
    expect(profileFor(c, 'dev').sleepAfterIdleMinutes).toBeUndefined();
    expect(profileFor(c, 'stage')).toMatchObject({ sleepAfterIdleMinutes: 120, idleGraceMinutes: 30, wakeAfterUserStop: true, protection: 'ip' });
    expect(c.protection.allowedCidrs).toEqual(['203.0.113.0/24']);
  });

  it('refuses an idle time out of range with what is allowed', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'envbot-')), 'envbot.yml');
    writeFileSync(file, 'profiles:\n  dev:\n    sleepAfterIdleMinutes: 2\n');
    expect(problemsOf({ ENVBOT_CONFIG_FILE: file })).toEqual(['profiles.dev.sleepAfterIdleMinutes: use 0 (never sleep) or 5 to 1440 minutes']);
  });

  it('refuses oidc on an HTTP-only listener and says why', () => {
    const problems = problemsOf({ ...AWS, ENVBOT_URL_SCHEME: 'http', ENVBOT_PROTECTION: 'oidc' });
    expect(problems[0]).toMatch(/^ENVBOT_PROTECTION \(protection.mode\): oidc needs HTTPS — the load balancer signs users in only on an HTTPS listener, and this one is HTTP-only \(ENVBOT_URL_SCHEME=http\)/);
    expect(problems[1]).toMatch(/^protection.oidc is missing/);
  });

  it('accepts ip protection over HTTP and asks for the allow-list', () => {
    expect(problemsOf({ ...AWS, ENVBOT_URL_SCHEME: 'http', ENVBOT_PROTECTION: 'ip', ENVBOT_MAX_TOTAL: '40' })).toEqual([
      'ENVBOT_PROTECTION_ALLOWED_CIDRS (protection.allowedCidrs) is missing: ip protection needs at least one allowed network, e.g. 203.0.113.0/24',
    ]);
    expect(problemsOf({ ...AWS, ENVBOT_URL_SCHEME: 'http', ENVBOT_PROTECTION: 'ip', ENVBOT_PROTECTION_ALLOWED_CIDRS: '203.0.113.0/24, 10.0.0.0/8', ENVBOT_MAX_TOTAL: '40' })).toEqual([]);
    expect(problemsOf({ ...AWS, ENVBOT_PROTECTION_ALLOWED_CIDRS: 'office' })).toEqual(['ENVBOT_PROTECTION_ALLOWED_CIDRS (protection.allowedCidrs): "office": write each network as a CIDR such as 203.0.113.0/24']);
  });

  it('reads the CI bypass with pinned claims, and refuses one that pins nothing', () => {
    const ci = { ENVBOT_BYPASS_CI_ISSUER: 'https://token.actions.githubusercontent.com', ENVBOT_BYPASS_CI_JWKS_URL: 'https://token.actions.githubusercontent.com/.well-known/jwks' };
    const c = loadConfig({ ...AWS, ...ci, ENVBOT_BYPASS_CI_CLAIMS: 'repository=acme/shop, aud=envbot', ENVBOT_BYPASS_SECRET_ARN: SECRET, ENVBOT_BYPASS_SECRET: 'k'.repeat(40) });
    expect(c.protection.bypass).toMatchObject({ ciClaims: { repository: ['acme/shop'], aud: ['envbot'] }, headerName: 'x-envbot-bypass', secretArn: SECRET });
    expect(problemsOf({ ...AWS, ...ci })).toEqual([
      'ENVBOT_BYPASS_CI_CLAIMS (protection.bypass.ciClaims) is missing: pin at least one claim, e.g. repository=acme/shop — otherwise every token of the issuer (any GitHub repository) gets in',
    ]);
  });

  it('wants the bypass secret itself with its ARN, and never echoes a bad one', () => {
    expect(problemsOf({ ...AWS, ENVBOT_BYPASS_SECRET_ARN: SECRET })).toEqual([
      'ENVBOT_BYPASS_SECRET is missing: the bypass secret (ENVBOT_BYPASS_SECRET_ARN) reaches the bot as an ECS secret of that name — redeploy the stack, or unset ENVBOT_BYPASS_SECRET_ARN',
    ]);
    const problems = problemsOf({ ...AWS, ENVBOT_BYPASS_SECRET_ARN: SECRET, ENVBOT_BYPASS_SECRET: 'short*secret' });
    expect(problems).toEqual(['ENVBOT_BYPASS_SECRET (protection.bypass.secret): 32 to 128 characters of A-Z a-z 0-9 _ - (the value is not shown here)']);
    expect(problems.join()).not.toContain('short*secret');
  });

  it('takes the waking target group ARN', () => {
    const tg = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/envbot-wake/73e2d6bc24d8a067';
    expect(loadConfig({ ...AWS, ENVBOT_WAKE_TARGET_GROUP_ARN: tg }).wake.targetGroupArn).toBe(tg);
    expect(problemsOf({ ...AWS, ENVBOT_WAKE_TARGET_GROUP_ARN: 'tg-1' })[0]).toMatch(/^ENVBOT_WAKE_TARGET_GROUP_ARN \(wake.targetGroupArn\): a target group ARN/);
  });
});

describe('listener rules in the quota', () => {
  const settings = loadConfig({}).protection;
  it('counts bypass and allow-list rules per environment', () => {
    expect(rulesFor(settings, { protection: 'public' })).toBe(1);
    const cidrs = ['10.0.0.0/8', '10.1.0.0/16', '10.2.0.0/16', '10.3.0.0/16', '10.4.0.0/16'];
    const withBypass = { ...settings, allowedCidrs: cidrs, bypass: { ...settings.bypass, secretArn: SECRET } };
    // two allow rules (4 networks each) + deny + secret bypass
    expect(rulesFor(withBypass, { protection: 'ip' })).toBe(4);
    expect(environmentsThatFit(4)).toBe(24);
  });

  it('refuses a maxTotal that cannot fit, naming the number that does', () => {
    const ip = { ...settings, mode: 'ip' as const, allowedCidrs: ['10.0.0.0/8'] };
    expect(ruleQuotaProblems({ settings: ip, profiles: [{ protection: 'ip' }], maxTotal: 49 })).toEqual([]);
    expect(ruleQuotaProblems({ settings: ip, profiles: [{ protection: 'ip' }], maxTotal: 50 })[0]).toMatch(/each takes 2 listener rules, so at most 49 fit in 100; lower ENVBOT_MAX_TOTAL to 49/);
    expect(problemsOf({ ENVBOT_PROTECTION: 'ip', ENVBOT_PROTECTION_ALLOWED_CIDRS: '10.0.0.0/8' })[0]).toMatch(/^ENVBOT_MAX_TOTAL \(access.maxTotal\): 50 environments do not fit/);
  });
});

describe('.envbot.yml front-door keys', () => {
  const schema = z.strictObject(frontDoorRepoShape).partial();
  const limits = { repositoriesMayMakePublic: false, availableModes: ['public', 'ip'] as ('public' | 'ip')[] };

  it('validates the keys with messages that say what is allowed', () => {
    expect(schema.safeParse({ protection: 'ip', sleepAfterIdleMinutes: 60, idleSleep: false }).success).toBe(true);
    expect(schema.safeParse({ sleepAfterIdleMinutes: 3 }).error?.issues[0]?.message).toBe('must be 0 (never sleep) or a whole number from 5 to 1440');
    expect(schema.safeParse({ protection: 'vpn' }).error?.issues[0]?.message).toBe('must be one of public, oidc, ip');
  });

  it('grants within the admin limits and says what it refused', () => {
    const dev = { ...DEFAULT_PROFILES.dev, protection: 'ip' as const };
    expect(applyRepoFrontDoor(dev, { protection: 'public' }, limits)).toMatchObject({ profile: { protection: 'ip' }, refused: [expect.stringMatching(/public is not allowed/)] });
    expect(applyRepoFrontDoor(dev, { protection: 'public' }, { ...limits, repositoriesMayMakePublic: true }).profile.protection).toBe('public');
    expect(applyRepoFrontDoor(dev, { protection: 'oidc' }, limits).refused[0]).toMatch(/oidc is not set up/);
    expect(applyRepoFrontDoor(dev, { sleepAfterIdleMinutes: 0, idleSleep: false }, limits)).toMatchObject({ profile: { sleepAfterIdleMinutes: undefined }, idleOptOut: true, refused: [] });
  });
});
