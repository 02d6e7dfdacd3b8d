import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { AwsClients } from '../aws/clients.js';
import { EcsServices } from '../aws/ecs.js';
import { LoadBalancer } from '../aws/elb.js';
import { ParameterStore } from '../aws/ssm.js';
import { DynamoEnvironmentStore } from '../aws/store.js';
import { DynamoDeliveryInbox, type DeliveryInboxStore } from '../aws/delivery-inbox.js';
import type { PinnedImagePort, CommandContext, CommandResult, CostPort, ExtendPort, Invocation } from '../commands/context.js';
import { execute, executeText, refusalToChange } from '../commands/execute.js';
import { reportTargetsPort, type ReportTargetsPort } from '../commands/report-targets.js';
import type { Command } from '../commands/types.js';
import { FanoutNotifier } from '../environments/notifier-port.js';
import type { EnvironmentStore } from '../environments/store-port.js';
import { Reconciler } from '../reconcile/reconciler.js';
import type { ImageSource, ScheduleSync } from '../reconcile/ports.js';
import type { StepHook } from '../reconcile/run-steps.js';
import { Resync } from '../reconcile/resync.js';
import { IdentityLinks } from '../commands/identity.js';
import { ParameterConfig } from './parameter-config.js';
import { WorkQueue, type Backoff } from './work-queue.js';

export interface EngineOptions {
  config: Config;
  clients: AwsClients;
  log: Logger;
  /** Defaults to DynamoDB on `clients.doc` and `config.table`. */
  store?: EnvironmentStore;
  images?: ImageSource;
  schedules?: ScheduleSync;
  extendPort?: ExtendPort;
  pinnedImages?: PinnedImagePort;
  costPort?: CostPort;
  afterStep?: StepHook;
  /** The queue's retry policy for transient errors (default: 1 s … 30 s, 8 retries). */
  backoff?: Backoff;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
}

/**
 * The core, wired: store, AWS adapters, reconciler, background queue and the command context.
 * Front ends (Slack, GitHub, CLI, dashboard) only call `run`/`runText` and listen via `notifier`.
 */
export class Engine {
  readonly store: EnvironmentStore;
  readonly notifier: FanoutNotifier;
  readonly reconciler: Reconciler;
  readonly queue: WorkQueue;
  readonly resync: Resync;
  readonly ecs: EcsServices;
  readonly lb: LoadBalancer;
  readonly params: ParameterStore;
  readonly ctx: CommandContext;
  readonly reports: ReportTargetsPort;
  /** Who is the same person across doors; front ends add their email directories. */
  readonly identities: IdentityLinks;
  /** GitHub deliveries waiting to be handled (the GitHub door's inbox). */
  readonly deliveries: DeliveryInboxStore;
  private readonly shutdown = new AbortController();

  constructor(readonly o: EngineOptions) {
    const { config, clients, log } = o;
    if (!config.listenerArn) throw new Error('starting the engine: ENVBOT_LISTENER_ARN is not configured');
    this.store = o.store ?? new DynamoEnvironmentStore(clients.doc, config.table);
    this.notifier = new FanoutNotifier((err) => log.warn({ err }, 'a notifier failed'));
    this.ecs = new EcsServices(clients.ecs, config.cluster);
    this.lb = new LoadBalancer(clients.elb, config.listenerArn);
    this.params = new ParameterStore(clients.ssm);
    this.reconciler = new Reconciler({
      config,
      store: this.store,
      ecs: this.ecs,
      lb: this.lb,
      params: this.params,
      notifier: this.notifier,
      log,
      ...(o.images && { images: o.images }),
      ...(o.schedules && { schedules: o.schedules }),
      ...(o.afterStep && { afterStep: o.afterStep }),
      ...(o.sleep && { sleep: o.sleep }),
      signal: this.shutdown.signal,
    });
    this.queue = new WorkQueue({
      store: this.store,
      work: (name) => this.reconciler.reconcile(name),
      // Retries (exponential backoff with full jitter, 1 s … 30 s) are the queue's; after the last the environment fails.
      giveUp: (name, error) => this.reconciler.fail(name, error),
      ...(o.backoff && { backoff: o.backoff }),
      log,
    });
    this.resync = new Resync({ store: this.store, ecs: this.ecs, lb: this.lb, config, kick: (n) => this.queue.kick(n), log });
    this.identities = new IdentityLinks(config.access.identityLinks ?? [], log);
    this.deliveries = new DynamoDeliveryInbox(clients.doc, config.table);
    this.reports = reportTargetsPort(this.store);
    this.ctx = {
      config,
      identities: this.identities,
      store: this.store,
      access: config.access,
      notifier: this.notifier,
      log,
      configPort: new ParameterConfig(this.params, config),
      ...(o.extendPort && { extendPort: o.extendPort }),
      ...(o.pinnedImages && { pinnedImages: o.pinnedImages }),
      ...(o.costPort && { costPort: o.costPort }),
      kick: (name) => this.queue.kick(name),
      now: o.now ?? (() => new Date()),
    };
  }

  run(inv: Invocation, command: Command): Promise<CommandResult> {
    return execute(this.ctx, inv, command);
  }

  refusalToChange(inv: Invocation, verb: 'extend', name: string): Promise<CommandResult | undefined> {
    return refusalToChange(this.ctx, inv, verb, name);
  }

  runText(inv: Invocation, text: string): Promise<CommandResult> {
    return executeText(this.ctx, inv, text);
  }

  /** Waits until background work is done (tests; the CLI before it exits). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /**
   * Graceful shutdown (Fargate sends SIGTERM on every deploy): no new work, long waits end and are
   * handed back, every lease is released so another replica can resume at once.
   */
  async stop(): Promise<void> {
    this.resync.stop();
    this.shutdown.abort();
    await this.queue.stop();
  }
}
