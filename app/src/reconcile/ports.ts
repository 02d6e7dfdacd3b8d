import type { EnvironmentRecord } from '../environments/record.js';
import type { Profile } from '../environments/profiles.js';

/** Where the image for an environment comes from (the builds module: build once per commit). */
export interface ImageSource {
  imageFor(
    record: EnvironmentRecord,
    onProgress: (p: { phase: string; elapsedSeconds: number; cacheHit?: boolean }) => Promise<void> | void,
  ): Promise<{ image: string; commit?: string; built: boolean; buildSeconds?: number; cacheHit?: boolean } | undefined>;
  /** Teardown: forget that this environment uses its image, delete images nobody uses. */
  release?(record: EnvironmentRecord, others: EnvironmentRecord[]): Promise<void>;
  /** After deploy: remember that this environment uses its image. */
  markDeployed?(record: EnvironmentRecord): Promise<void>;
}

/** Auto-stop/start schedules (EventBridge Scheduler). */
export interface ScheduleSync {
  sync(record: EnvironmentRecord, profile: Profile): Promise<void>;
  remove(env: string): Promise<void>;
}
