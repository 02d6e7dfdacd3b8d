import type { Logger } from 'pino';
import { profileOfRecord, type Config } from './config.js';
import type { AwsClients } from './aws/clients.js';
import type { BuildImageSource } from './builds/build-image-source.js';
import { SqsConsumer, sqsConsumers } from './aws/sqs-consumer.js';
import { requestActivityReader } from './aws/request-metrics.js';
import type { Engine } from './engine/engine.js';
import { parseEcsEvent } from './events/parse-task-event.js';
import { scheduleMatcher, TaskEventHandler, returnToSpot, type TaskEventHook } from './events/task-event-handler.js';
import { serviceNameFor } from './environments/task-event.js';
import { runReaper } from './reaper/reaper.js';
import { startAutoStopWarner } from './schedules/auto-stop-warner.js';
import { loadBalancerArnOfListener, startIdleSleeper } from './schedules/idle-sleeper.js';
import type { Actor } from './commands/actor.js';
import { scheduleFailureConsumer } from './schedules/schedule-failure-consumer.js';
import { clearStaleScheduleFailure } from './schedules/schedule-failure-handler.js';

/** Commit images no environment uses are deleted after this long (the CDK default, images.commitImageMaxAgeDays). */
const COMMIT_IMAGE_MAX_AGE_DAYS = 30;

/** Idle sleep acts as envbot itself; the audit log names it. */
export const IDLE_SLEEP_ACTOR: Actor = { id: 'system:idle-sleep', source: 'system', name: 'idle sleep' };

export interface BackgroundJobs {
  taskEvents?: TaskEventHandler;
  stop(): Promise<void>;
}

interface JobOptions {
  engine: Engine;
  config: Config;
  clients: AwsClients;
  log: Logger;
  taskEventHooks?: TaskEventHook[];
  builds?: BuildImageSource;
  now?: () => Date;
}

/** What every job shares: the clock, the shutdown signal, and where running loops and timers are kept. */
interface JobRunner {
  now: () => Date;
  signal: AbortSignal;
  running: Promise<unknown>[];
  every(ms: number, job: () => Promise<unknown>, name: string): void;
  applyCapacity(name: string, onDemand: boolean): Promise<void>;
  profileOf: ReturnType<typeof profileOfRecord>;
}

/**
 * The bot's periodic work: ECS task events from SQS, failed schedules from their dead-letter queue,
 * the 15-minute auto-stop warning, the reaper and the return from on-demand to Spot. All stop on one AbortSignal at shutdown.
 */
export function startBackgroundJobs(o: JobOptions): BackgroundJobs {
  const abort = new AbortController();
  const timers: NodeJS.Timeout[] = [];
  const jobs = jobRunner(o, abort.signal, timers);
  const taskEvents = startTaskEvents(o, jobs);
  startScheduleJobs(o, jobs);
  startIdleSleep(o, jobs);
  startSweeps(o, jobs);
  return {
    taskEvents,
    stop: async () => {
      abort.abort();
      for (const t of timers) clearInterval(t);
      await Promise.allSettled(jobs.running);
    },
  };
}

function jobRunner(o: JobOptions, signal: AbortSignal, timers: NodeJS.Timeout[]): JobRunner {
  const { engine, config, log } = o;
  const profileOf = profileOfRecord(config);
  return {
    now: o.now ?? (() => new Date()),
    signal,
    running: [],
    profileOf,
    every: (ms, job, name) => {
      const t = setInterval(() => job().catch((err) => log.error({ err, job: name }, 'background job failed')), ms);
      t.unref();
      timers.push(t);
    },
    // Capacity changes go straight to ECS; the record's onDemandFallback keeps the reconciler in line.
    applyCapacity: async (name, onDemand) => {
      const record = await engine.store.get(name);
      if (!record) return;
      await engine.ecs.updateService(serviceNameFor(name), {
        capacity: onDemand ? [{ capacityProvider: 'FARGATE', weight: 1 }] : profileOf(record).capacity,
      });
    },
  };
}

/** ECS task events from SQS: state changes, Spot interruptions, cost intervals. */
function startTaskEvents(o: JobOptions, jobs: JobRunner): TaskEventHandler {
  const { engine, config, log } = o;
  const taskEvents = new TaskEventHandler({
    store: engine.store,
    notifier: engine.notifier,
    applyCapacity: jobs.applyCapacity,
    isScheduled: scheduleMatcher({ profileOf: jobs.profileOf, timezone: config.timezone }),
    kick: (name) => engine.queue.kick(name),
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
    jobs.running.push(consumer.run(jobs.signal));
  }
  return taskEvents;
}

/** Scheduler's failed stops/starts, and the warning before a scheduled stop. */
function startScheduleJobs(o: JobOptions, jobs: JobRunner): void {
  const { engine, config, log } = o;
  if (config.scheduleFailuresQueueUrl) {
    // Scheduler's reports of stops/starts that failed: marked on the record and told to people.
    const failures = scheduleFailureConsumer({
      consumers: sqsConsumers(o.clients.sqs),
      queueUrl: config.scheduleFailuresQueueUrl,
      group: config.scheduleGroup,
      deps: { store: engine.store, notifier: engine.notifier, now: jobs.now },
      log,
    });
    jobs.running.push(failures.run(jobs.signal));
  }
  if (config.schedulerRoleArn) {
    jobs.running.push(
      startAutoStopWarner(
        { store: engine.store, notifier: engine.notifier, profileOf: jobs.profileOf, timezone: config.timezone },
        { clock: jobs.now, signal: jobs.signal, onPassError: (err) => log.error({ err }, 'auto-stop warning pass failed') },
      ),
    );
  }
}

/** Hourly reaper, return to Spot every 10 minutes, image pruning every 6 hours. */
function startSweeps(o: JobOptions, jobs: JobRunner): void {
  const { engine, config, log } = o;
  if (config.reaperIdleDays > 0) {
    jobs.every(
      3600_000,
      () =>
        runReaper({
          store: engine.store,
          notifier: engine.notifier,
          now: jobs.now(),
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
  jobs.every(
    600_000,
    () =>
      returnToSpot({
        store: engine.store,
        notifier: engine.notifier,
        applyCapacity: jobs.applyCapacity,
        now: jobs.now(),
        capacity: { returnAfterMinutes: config.spotReturnMinutes },
        onError: (name, err) => log.error({ err, env: name }, 'return to Spot failed'),
      }),
    'return-to-spot',
  );
  if (o.builds) {
    const builds = o.builds;
    jobs.every(6 * 3600_000, async () => builds.pruneStale(COMMIT_IMAGE_MAX_AGE_DAYS, await engine.store.list()), 'prune-images');
  }
}

/**
 * Idle sleep: environments without requests are stopped by the command layer (actor system, reason
 * idle). AWS: the ALB's RequestCount in CloudWatch. Local mode reads the emulator's CloudWatch, where
 * nothing writes request counts, so a local environment sleeps after its idle time unless a test or
 * `aws cloudwatch put-metric-data` records requests for its target group.
 */
function startIdleSleep(o: JobOptions, jobs: JobRunner): void {
  const { engine, config, log } = o;
  const loadBalancerArn = config.listenerArn ? safeLoadBalancerArn(config.listenerArn, log) : undefined;
  if (!loadBalancerArn) return;
  const sleep = async (name: string) => {
    const result = await engine.run({ actor: IDLE_SLEEP_ACTOR }, { verb: 'stop', name, reason: 'idle' });
    if (result.kind === 'error' || result.kind === 'refused') throw new Error(result.text);
  };
  jobs.running.push(
    startIdleSleeper(
      { readRequests: requestActivityReader(o.clients.cw), store: engine.store, loadBalancerArn, profileOf: jobs.profileOf, sleep, warn: (message, detail) => log.warn(detail, message) },
      { clock: jobs.now, intervalMs: config.wake.idleCheckMinutes * 60_000, signal: jobs.signal, onPassError: (err) => log.error({ err }, 'idle sleep pass failed') },
    ),
  );
}

/** Idle sleep needs the ALB behind the listener; an unexpected ARN turns it off instead of stopping the bot. */
function safeLoadBalancerArn(listenerArn: string, log: Logger): string | undefined {
  try {
    return loadBalancerArnOfListener(listenerArn);
  } catch (err) {
    log.warn({ err }, 'idle sleep is off: ENVBOT_LISTENER_ARN is not an application load balancer listener');
    return undefined;
  }
}
