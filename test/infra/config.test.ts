import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFromContext, InfraConfigError, parseInfraConfig } from '../../infra/lib/config.js';

const oidc = {
  issuer: 'https://id.example.com',
  authorizationEndpoint: 'https://id.example.com/auth',
  tokenEndpoint: 'https://id.example.com/token',
  userInfoEndpoint: 'https://id.example.com/userinfo',
  clientId: 'envbot',
  clientSecretName: 'envbot/oidc',
};

function problemsOf(raw: unknown): string[] {
  try {
    parseInfraConfig(raw);
  } catch (err) {
    if (err instanceof InfraConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('infrastructure config', () => {
  it('has defaults that synthesize without any context', () => {
    const c = parseInfraConfig(undefined);
    expect(c).toMatchObject({
      region: 'us-east-1',
      domain: 'envs.example.com',
      httpOnly: true,
      vpcCidr: '10.40.0.0/16',
      natGateways: 1,
      containerInsights: false,
      timezone: 'Asia/Seoul',
      tableRemoval: 'retain',
      bot: { desiredCount: 2, cpu: 512, memory: 1024 },
      build: { computeType: 'MEDIUM', timeoutMinutes: 30 },
      access: { maxPerUser: 3, maxTotal: 50 },
      dashboard: { enabled: false },
      profiles: { dev: {}, stage: {} },
    });
    expect(c.account).toBeUndefined();
  });

  it('turns HTTPS on by default once a hosted zone or certificate is given', () => {
    expect(parseInfraConfig({ domain: 'envs.acme.dev', hostedZone: { id: 'Z123', name: 'acme.dev' } }).httpOnly).toBe(false);
    expect(parseInfraConfig({ certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/x' }).httpOnly).toBe(false);
  });

  it.each([
    [{ httpOnly: false }, 'httpOnly: HTTPS needs a certificate'],
    [{ domain: 'envs.acme.dev', hostedZone: { id: 'Z123', name: 'other.dev' } }, 'hostedZone.name: the zone other.dev does not contain'],
    [{ dashboard: { enabled: true } }, 'dashboard.oidc: the dashboard needs OIDC settings'],
    [{ dashboard: { enabled: true, oidc } }, 'dashboard.enabled: ALB OIDC login needs HTTPS'],
    [{ bot: { cpu: 256, memory: 4096 } }, 'bot.memory: 256 CPU units with 4096 MiB is not a Fargate size'],
    [{ vpcCidr: '10.0.0.0/24' }, 'vpcCidr: use a /16 to /22 network'],
    [{ timezone: 'Mars/Olympus' }, 'timezone: an IANA time zone'],
    [{ logRetentionDays: 10 }, 'logRetentionDays: one of'],
    [{ access: { maxTotal: 99 } }, 'access.maxTotal'],
    [{ github: { repository: 'not a repo' } }, 'github.repository: owner/repo'],
    [{ profiles: { dev: { size: 'huge' } } }, 'profiles.dev.size'],
    [{ domian: 'typo.example.com' }, 'domian'],
  ])('rejects %j with a message naming the setting', (raw, message) => {
    expect(problemsOf(raw).join('\n')).toContain(message);
  });

  it('reports every problem at once', () => {
    expect(problemsOf({ natGateways: 5, region: 'mars' })).toHaveLength(2);
  });

  it('merges a config file with inline context, the context winning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'envbot-infra-'));
    const file = join(dir, 'envbot.yaml');
    writeFileSync(file, 'domain: envs.from-file.dev\nbot:\n  desiredCount: 4\n  cpu: 1024\n  memory: 2048\n');
    const context: Record<string, unknown> = { envbotConfigFile: file, envbot: JSON.stringify({ bot: { desiredCount: 1 } }) };
    const c = configFromContext((key) => context[key]);
    expect(c.domain).toBe('envs.from-file.dev');
    expect(c.bot).toMatchObject({ desiredCount: 1, cpu: 1024, memory: 2048 });
  });
});
