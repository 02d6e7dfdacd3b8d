import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { AwsClients } from './aws/clients.js';
import type { BuildImageSource } from './builds/build-image-source.js';
import { SqsConsumer } from './aws/sqs-consumer.js';
import { profileOfRecord } from './compose.js';
import type { Engine } from './engine/engine.js';
import { parseEcsEvent } from './events/parse-task-event.js';
import { scheduleMatcher, TaskEventHandler, returnToSpot, type TaskEventHook } from './events/task-event-handler.js';
import { serviceNameFor } from './environments/task-event.js';
import { runReaper } from './reaper/reaper.js';
import { startAutoStopWarner } from './schedules/auto-stop-warner.js';
import { scheduleFailureConsumer } from './schedules/schedule-failure-consumer.js';
import { clearStaleScheduleFailure } from './schedules/schedule-failure-handler.js';

/** Commit images no environment uses are deleted after this long (the CDK default, images.commitImageMaxAgeDays). */
const COMMIT_IMAGE_MAX_AGE_DAYS = 30;

export interface BackgroundJobs {
  taskEvents?: TaskEventHandler;
  stop(): Promise<void>;
}

/**
 * The bot's periodic work: ECS task events from SQS, failed schedules from their dead-letter queue,
 * the 15-minute auto-stop warning, the reaper and the return from on-demand to Spot. All stop on one AbortSignal at shutdown.
 */
export function startBackgroundJobs(o: {
  engine: Engine;
  config: Config;
  clients: AwsClients;
  log: Logger;
  taskEventHooks?: TaskEventHook[];
  builds?: BuildImageSource;
  now?: () => Date;
}): BackgroundJobs {
  const { engine, config, log } = o;
  const now = o.now ?? (() => new Date());
  const abort = new AbortController();
  const running: Promise<unknown>[] = [];
  const timers: NodeJS.Timeout[] = [];
  const profileOf = profileOfRecord(config);
  const every = (ms: number, job: () => Promise<unknown>, name: string) => {
    const t = setInterval(() => job().catch((err) => log.error({ err, job: name }, 'background job failed')), ms);
    t.unref();
    timers.push(t);
  };

  // Capacity changes go straight to ECS; the record's onDemandFallback keeps the reconciler in line.
  const applyCapacity = async (name: string, onDemand: boolean) => {
    const record = await engine.store.get(name);
    if (!record) return;
    await engine.ecs.updateService(serviceNameFor(name), {
      capacity: onDemand ? [{ capacityProvider: 'FARGATE', weight: 1 }] : profileOf(record).capacity,
    });
  };

  const taskEvents = new TaskEventHandler({
    store: engine.store,
    notifier: engine.notifier,
    applyCapacity,
    isScheduled: scheduleMatcher({ profileOf, timezone: config.timezone }),
    onTaskEvent: [...(o.taskEventHooks ?? []), clearStaleScheduleFailure(engine.store)],
  });
  if (config.eventsQueueUrl) {
    const consumer = new SqsConsumer({
      sqs: o.clients.sqs,
      queueUrl: config.eventsQueueUrl,
      parse: parseEcsEvent,
      handle: async (event) => {
        await taskEvents.handle(event);
      },
      log,
    });
    running.push(consumer.run(abort.signal));
  }
  if (config.scheduleFailuresQueueUrl) {
    // Scheduler's reports of stops/starts that failed: marked on the record and told to people.
    const failures = scheduleFailureConsumer({
      sqs: o.clients.sqs,
      queueUrl: config.scheduleFailuresQueueUrl,
      group: config.scheduleGroup,
      deps: { store: engine.store, notifier: engine.notifier, now },
      log,
    });
    running.push(failures.run(abort.signal));
  }
  if (config.schedulerRoleArn) {
    running.push(
      startAutoStopWarner(
        { store: engine.store, notifier: engine.notifier, profileOf, timezone: config.timezone },
        { clock: now, signal: abort.signal, onPassError: (err) => log.error({ err }, 'auto-stop warning pass failed') },
      ),
    );
  }
  if (config.reaperIdleDays > 0) {
    every(
      3600_000,
      () =>
        runReaper({
          store: engine.store,
          notifier: engine.notifier,
          now: now(),
          policy: { idleDays: config.reaperIdleDays, graceHours: config.reaperGraceHours },
          destroy: async (name) => {
            await engine.store.mutate(name, (r) => ({ ...r, desired: 'deleted', status: 'deleting', destroyReason: 'reaper' }));
            engine.queue.kick(name);
          },
          onError: (name, err) => log.error({ err, env: name }, 'reaper failed'),
        }),
      'reaper',
    );
  }
  every(
    600_000,
    () =>
      returnToSpot({
        store: engine.store,
        notifier: engine.notifier,
        applyCapacity,
        now: now(),
        capacity: { returnAfterMinutes: config.spotReturnMinutes },
        onError: (name, err) => log.error({ err, env: name }, 'return to Spot failed'),
      }),
    'return-to-spot',
  );

  if (o.builds) {
    const builds = o.builds;
    every(6 * 3600_000, async () => builds.pruneStale(COMMIT_IMAGE_MAX_AGE_DAYS, await engine.store.list()), 'prune-images');
  }

  return {
    taskEvents,
    stop: async () => {
      abort.abort();
      for (const t of timers) clearInterval(t);
      await Promise.allSettled(running);
    },
  };
}
