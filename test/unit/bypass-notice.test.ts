import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/src/config.js';
import { bypassNotice } from '../../app/src/commands/bypass-notice.js';

const SECRET = 'S'.repeat(40);

describe('bypass notice for admins', () => {
  const base = loadConfig({}).protection;
  const ip = {
    ...base,
    mode: 'ip' as const,
    allowedCidrs: ['203.0.113.0/24'],
    bypass: { ...base.bypass, secret: SECRET, secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:b-1', ciIssuer: 'https://token.actions.githubusercontent.com', ciClaims: { repository: ['acme/shop'] } },
  };

  it('shows the secret header value only when revealed', () => {
    expect(bypassNotice(ip, { domain: 'envs.example.com', reveal: true })).toContain(`curl -H 'x-envbot-bypass: ${SECRET}' https://<name>.envs.example.com/`);
    const hidden = bypassNotice(ip, { domain: 'envs.example.com', reveal: false });
    expect(hidden).not.toContain(SECRET);
    expect(hidden).toContain('<hidden: ask an admin>');
    expect(hidden).toContain('repository=acme/shop');
    expect(hidden).toContain('DescribeRules');
  });

  it('says when nothing is needed or nothing is configured', () => {
    expect(bypassNotice(base, { domain: 'd.example.com', reveal: true })).toContain('No bypass is needed');
    expect(bypassNotice({ ...base, mode: 'oidc' }, { domain: 'd.example.com', reveal: true })).toContain('No automation bypass is configured');
  });
});
