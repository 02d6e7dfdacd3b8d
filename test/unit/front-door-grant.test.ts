import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/src/config.js';
import { grantFrontDoor } from '../../app/src/commands/front-door-grant.js';
import { parseRepoSettings } from '../../app/src/github/connection/repo-settings-schema.js';

/** `.envbot.yml` asks for protection and idle sleep; `up` grants within the admin's limits. */
describe('.envbot.yml front door keys', () => {
  const config = (env: Record<string, string> = {}) => loadConfig({ ENVBOT_MODE: 'local', ...env });

  it('parses protection, sleepAfterIdleMinutes and idleSleep into the app settings', () => {
    const r = parseRepoSettings('protection: ip\nsleepAfterIdleMinutes: 0\nidleSleep: false\n');
    expect(r).toMatchObject({ ok: true, settings: { appSettings: { protection: 'ip', sleepAfterIdleMinutes: 0, idleSleep: false } } });
  });

  it('names the key and what is allowed for a bad value', () => {
    const r = parseRepoSettings('protection: vpn\nsleepAfterIdleMinutes: 2\n');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems.join('\n')).toMatch(/`protection`: must be one of public, oidc, ip[\s\S]*`sleepAfterIdleMinutes`: must be 0/);
  });

  it('grants ip when the installation has an allow-list, keeps never-sleep as 0 and the opt-out', () => {
    const g = grantFrontDoor(config({ ENVBOT_PROTECTION_ALLOWED_CIDRS: '203.0.113.0/24' }), 'dev', { containerPort: 3000, protection: 'ip', sleepAfterIdleMinutes: 0, idleSleep: false });
    expect(g).toEqual({ appSettings: { containerPort: 3000, protection: 'ip', sleepAfterIdleMinutes: 0 }, idleSleepOptOut: true, refused: [] });
  });

  it('refuses a mode the installation cannot serve, and public where the profile protects, saying why', () => {
    const noIp = grantFrontDoor(config(), 'dev', { protection: 'ip' });
    expect(noIp.appSettings).toEqual({});
    expect(noIp.refused[0]).toMatch(/ip is not set up on this envbot/);
    const protectedByAdmin = grantFrontDoor(config({ ENVBOT_PROTECTION: 'ip', ENVBOT_PROTECTION_ALLOWED_CIDRS: '203.0.113.0/24', ENVBOT_MAX_TOTAL: '40' }), 'dev', { protection: 'public' });
    expect(protectedByAdmin.appSettings).toEqual({});
    expect(protectedByAdmin.refused[0]).toMatch(/public is not allowed/);
  });
});
