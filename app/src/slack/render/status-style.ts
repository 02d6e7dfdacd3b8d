import { isAsleep, type EnvironmentRecord, type EnvStatus } from '../../environments/record.js';

/** One emoji per status, so a channel full of environments can be read at a glance. */
export const STATUS_EMOJI: Record<EnvStatus, string> = {
  queued: ':hourglass_flowing_sand:',
  building: ':hammer_and_wrench:',
  deploying: ':rocket:',
  'waiting-health': ':stethoscope:',
  ready: ':large_green_circle:',
  stopping: ':double_vertical_bar:',
  stopped: ':white_circle:',
  deleting: ':wastebasket:',
  failed: ':red_circle:',
};

/** Asleep (idle sleep) has its own emoji: stopped, but it wakes on the next request. */
export const ASLEEP_EMOJI = ':zzz:';
export const emojiFor = (r: EnvironmentRecord): string => (isAsleep(r) ? ASLEEP_EMOJI : STATUS_EMOJI[r.status]);

/** The way up, in order; the message shows where on it an environment is. */
export const STAGES = ['queued', 'building', 'deploying', 'waiting-health', 'ready'] as const;
export type Stage = (typeof STAGES)[number];

export const STAGE_LABEL: Record<Stage, string> = {
  queued: 'Queued',
  building: 'Build',
  deploying: 'Deploy',
  'waiting-health': 'Health check',
  ready: 'Ready',
};

export function isStage(status: EnvStatus): status is Stage {
  return (STAGES as readonly string[]).includes(status);
}
