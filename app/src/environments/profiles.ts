import type { SizeName } from './sizes.js';

export const PROFILE_NAMES = ['dev', 'stage'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export function isProfileName(value: string): value is ProfileName {
  return (PROFILE_NAMES as readonly string[]).includes(value);
}

export interface CapacityProviderItem {
  capacityProvider: 'FARGATE' | 'FARGATE_SPOT';
  weight: number;
  base?: number;
}

/** What a profile means for the application: port, health check, size, capacity, auto-stop. */
export interface Profile {
  name: ProfileName;
  containerPort: number;
  healthCheckPath: string;
  size: SizeName;
  capacity: CapacityProviderItem[];
  /** Nightly stop as "HH:MM" in the configured timezone; undefined = never auto-stop. */
  autoStopAt?: string;
  autoStopDays: 'weekdays' | 'daily';
  /** Optional morning start "HH:MM" (weekdays). */
  autoStartAt?: string;
  /** Idle sleep (issue 15): minutes without a request before sleeping; undefined = never. */
  sleepAfterIdleMinutes?: number;
  /** Minutes after a start during which idle sleep never applies (default IDLE_GRACE_MINUTES). */
  idleGraceMinutes?: number;
  /** May a request wake an environment stopped explicitly with `/env stop`? (default false) */
  wakeAfterUserStop?: boolean;
  /** Who may reach `<name>.<domain>`; undefined = the installation's setting. */
  protection?: ProtectionMode;
}

export type ProtectionMode = 'public' | 'oidc' | 'ip';
export const PROTECTION_MODES = ['public', 'oidc', 'ip'] as const;
export const IDLE_GRACE_MINUTES = 15;
/** Bounds of sleepAfterIdleMinutes (0 = never sleep is allowed besides). */
export const MIN_IDLE_MINUTES = 5;
export const MAX_IDLE_MINUTES = 24 * 60;

/** `dev` prefers Spot; `stage` keeps one on-demand task so it survives Spot reclaims. */
export const DEFAULT_PROFILES: Record<ProfileName, Profile> = {
  dev: {
    name: 'dev',
    containerPort: 8080,
    healthCheckPath: '/actuator/health',
    size: 'xs',
    // ECS never falls back from Spot by itself; the bot switches to FARGATE when Spot capacity fails.
    capacity: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
    autoStopAt: '20:00',
    autoStopDays: 'daily',
    sleepAfterIdleMinutes: 30,
    idleGraceMinutes: IDLE_GRACE_MINUTES,
    wakeAfterUserStop: false,
  },
  stage: {
    name: 'stage',
    containerPort: 8080,
    healthCheckPath: '/actuator/health',
    size: 's',
    capacity: [
      { capacityProvider: 'FARGATE', weight: 0, base: 1 },
      { capacityProvider: 'FARGATE_SPOT', weight: 1 },
    ],
    autoStopDays: 'weekdays',
    idleGraceMinutes: IDLE_GRACE_MINUTES,
    wakeAfterUserStop: false,
  },
};

/** A record's effective profile: its configured profile with the repository's own settings on top. */
export function effectiveProfile(configured: Profile, record: { appSettings?: Partial<Pick<Profile, 'containerPort' | 'healthCheckPath'>> }): Profile {
  return { ...configured, ...record.appSettings };
}
