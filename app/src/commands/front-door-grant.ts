import type { Config } from '../config.js';
import { profileFor } from '../config.js';
import type { ProfileName, ProtectionMode } from '../environments/profiles.js';
import type { EnvironmentRecord } from '../environments/record.js';
import { applyRepoFrontDoor } from '../environments/repo-front-door.js';

type AppSettings = NonNullable<EnvironmentRecord['appSettings']>;

/**
 * What `.envbot.yml` asked for the front door (protection, idle sleep), granted within the
 * admin's limits: the granted values stay in the record's app settings (laid over the profile
 * everywhere), what was refused is said in the reply, and an opt-out becomes `idleSleepOptOut`.
 */
export function grantFrontDoor(config: Config, profileName: ProfileName, asked: AppSettings): { appSettings: AppSettings; idleSleepOptOut: boolean; refused: string[] } {
  const { protection, sleepAfterIdleMinutes, idleSleep, ...rest } = asked;
  if (protection === undefined && sleepAfterIdleMinutes === undefined && idleSleep === undefined) return { appSettings: asked, idleSleepOptOut: false, refused: [] };
  const profile = profileFor(config, profileName);
  const applied = applyRepoFrontDoor(
    profile,
    { ...(protection && { protection }), ...(sleepAfterIdleMinutes !== undefined && { sleepAfterIdleMinutes }), ...(idleSleep !== undefined && { idleSleep }) },
    { repositoriesMayMakePublic: config.protection.repositoriesMayMakePublic, availableModes: availableModes(config) },
  );
  const granted: AppSettings = { ...rest };
  if (protection && applied.profile.protection === protection) granted.protection = protection;
  // 0 is kept (never sleep); the profile's value applies when nothing was asked.
  if (sleepAfterIdleMinutes !== undefined) granted.sleepAfterIdleMinutes = applied.profile.sleepAfterIdleMinutes ?? 0;
  return { appSettings: granted, idleSleepOptOut: applied.idleOptOut, refused: applied.refused };
}

/** oidc needs the identity provider and HTTPS; ip an allow-list. */
function availableModes(config: Config): ProtectionMode[] {
  const modes: ProtectionMode[] = ['public'];
  if (config.protection.oidc && (config.urlScheme === 'https' || config.mode === 'local')) modes.push('oidc');
  if (config.protection.allowedCidrs.length > 0) modes.push('ip');
  return modes;
}
