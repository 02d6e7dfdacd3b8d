import { z } from 'zod';
import { MAX_IDLE_MINUTES, MIN_IDLE_MINUTES, PROTECTION_MODES, type Profile, type ProtectionMode } from './profiles.js';

/**
 * The `.envbot.yml` keys for the environment's front door, to merge into the repository settings
 * schema (app/src/github/connection/repo-settings-schema.ts):
 *
 *   protection: ip            # public | oidc | ip — within what the admin allows
 *   sleepAfterIdleMinutes: 60 # 0 = never sleep; otherwise MIN_IDLE_MINUTES…MAX_IDLE_MINUTES
 *   idleSleep: false          # opt out (apps with long-lived connections, e.g. WebSockets)
 *
 * The file only asks; `applyRepoFrontDoor` grants within the admin's limits at deploy time and
 * says why when it does not.
 */
export const FRONT_DOOR_KEYS = ['protection', 'sleepAfterIdleMinutes', 'idleSleep'] as const;

const idle = `must be 0 (never sleep) or a whole number from ${MIN_IDLE_MINUTES} to ${MAX_IDLE_MINUTES}`;

/** Zod shape to spread into the strictObject of repo-settings-schema.ts (all keys optional there). */
export const frontDoorRepoShape = {
  protection: z.enum(PROTECTION_MODES, { error: `must be one of ${PROTECTION_MODES.join(', ')}` }),
  sleepAfterIdleMinutes: z
    .number({ error: idle })
    .int({ error: idle })
    .refine((m) => m === 0 || (m >= MIN_IDLE_MINUTES && m <= MAX_IDLE_MINUTES), { error: idle }),
  idleSleep: z.boolean({ error: 'must be true or false' }),
};

export type RepoFrontDoor = Partial<{ protection: ProtectionMode; sleepAfterIdleMinutes: number; idleSleep: boolean }>;

export interface FrontDoorLimits {
  /** Installation setting protection.repositoriesMayMakePublic. */
  repositoriesMayMakePublic: boolean;
  /** Modes the installation can serve (oidc needs a provider and HTTPS, ip an allow-list). */
  availableModes: ProtectionMode[];
}

export interface AppliedFrontDoor {
  profile: Profile;
  /** The environment opted out of idle sleep. */
  idleOptOut: boolean;
  /** Requests the admin's limits refused, in words for the PR reply. */
  refused: string[];
}

export function applyRepoFrontDoor(profile: Profile, repo: RepoFrontDoor, limits: FrontDoorLimits): AppliedFrontDoor {
  const refused: string[] = [];
  let protection = profile.protection;
  if (repo.protection && repo.protection !== protection) {
    if (!limits.availableModes.includes(repo.protection)) {
      refused.push(`protection: ${repo.protection} is not set up on this envbot (available: ${limits.availableModes.join(', ')}); kept ${protection ?? 'public'}`);
    } else if (repo.protection === 'public' && protection !== undefined && protection !== 'public' && !limits.repositoriesMayMakePublic) {
      refused.push(`protection: public is not allowed — the admin protects ${profile.name} environments (${protection}); ask an admin to set protection.repositoriesMayMakePublic`);
    } else {
      protection = repo.protection;
    }
  }
  const sleep = repo.sleepAfterIdleMinutes === undefined ? profile.sleepAfterIdleMinutes : repo.sleepAfterIdleMinutes || undefined;
  return { profile: { ...profile, protection, sleepAfterIdleMinutes: sleep }, idleOptOut: repo.idleSleep === false, refused };
}
