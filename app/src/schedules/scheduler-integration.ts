import type { Config } from '../config.js';
import type { SchedulePort } from '../aws/scheduler.js';
import type { ExtendDuration } from '../environments/duration.js';
import type { Profile } from '../environments/profiles.js';
import type { EnvironmentRecord } from '../environments/record.js';
import type { ScheduleSync } from '../reconcile/ports.js';
import { formatLocal, nextStop, planExtension } from './schedule-plan.js';
import { removeSchedules, syncSchedules } from './schedule-sync.js';

/**
 * Schedules as the engine sees them: the reconciler syncs them after each deploy, teardown
 * removes them, and `extend` postpones tonight's stop.
 */
export class SchedulerIntegration implements ScheduleSync {
  constructor(
    private readonly scheduler: SchedulePort,
    private readonly config: Config,
    private readonly profileOf: (record: EnvironmentRecord) => Profile,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async sync(record: EnvironmentRecord, profile: Profile): Promise<void> {
    await syncSchedules(record, profile, {
      scheduler: this.scheduler,
      cluster: this.config.cluster,
      timezone: this.config.timezone,
      roleArn: this.config.schedulerRoleArn,
      deadLetterArn: this.config.scheduleFailuresQueueArn,
      now: this.now(),
      // After a user's stop, the morning start must not undo it.
      withStart: record.desired === 'running',
    });
  }

  async remove(env: string): Promise<void> {
    await removeSchedules(env, { scheduler: this.scheduler });
  }

  async extend(record: EnvironmentRecord, duration: ExtendDuration, now: Date): Promise<{ until: string; display: string }> {
    const profile = this.profileOf(record);
    const planned = planExtension(now, duration, this.contextOf(record, profile));
    if (!planned.ok) throw new Error(planned.error);
    const until = planned.until.toISOString();
    await this.sync({ ...record, autoStopPostponedUntil: until }, profile);
    return { until, display: formatLocal(planned.until, this.config.timezone) };
  }

  nextStop(record: EnvironmentRecord, now: Date): string | undefined {
    const stop = nextStop(this.contextOf(record, this.profileOf(record)), now);
    return stop && formatLocal(stop, this.config.timezone);
  }

  private contextOf(record: EnvironmentRecord, profile: Profile) {
    return {
      env: record.name,
      profile,
      timezone: this.config.timezone,
      ...(record.autoStopPostponedUntil && { postponedUntil: record.autoStopPostponedUntil }),
    };
  }
}
