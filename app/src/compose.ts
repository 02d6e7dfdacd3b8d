import type { Logger } from 'pino';
import { profileFor, type Config } from './config.js';
import type { AwsClients } from './aws/clients.js';
import { SchedulerAdapter } from './aws/scheduler.js';
import { DynamoEnvironmentStore } from './aws/store.js';
import { DynamoCostStore } from './aws/cost-store.js';
import { CostService } from './cost/cost-service.js';
import { Engine } from './engine/engine.js';
import type { Profile } from './environments/profiles.js';
import type { EnvironmentRecord } from './environments/record.js';
import type { EnvironmentStore } from './environments/store-port.js';
import type { ImageSource } from './reconcile/ports.js';
import { SchedulerIntegration } from './schedules/scheduler-integration.js';

/** A record's effective profile: the configured profile plus its per-repository settings. */
export function profileOfRecord(config: Config) {
  return (record: EnvironmentRecord): Profile => ({ ...profileFor(config, record.profile), ...record.appSettings });
}

export interface Composition {
  engine: Engine;
  store: EnvironmentStore;
  cost: CostService;
  scheduler?: SchedulerIntegration;
}

/**
 * Builds the engine with the optional modules the configuration enables: schedules need a
 * scheduler role; builds need a CodeBuild project and a commit resolver; cost needs the ledger.
 */
export function composeEngine(o: {
  config: Config;
  clients: AwsClients;
  log: Logger;
  store?: EnvironmentStore;
  images?: ImageSource;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
}): Composition {
  const store = o.store ?? new DynamoEnvironmentStore(o.clients.doc, o.config.table);
  const scheduler = o.config.schedulerRoleArn
    ? new SchedulerIntegration(new SchedulerAdapter(o.clients.scheduler, o.config.scheduleGroup), o.config, profileOfRecord(o.config), o.now)
    : undefined;
  const cost = new CostService(new DynamoCostStore(o.clients.doc, o.config.table), store, o.config, profileOfRecord(o.config));
  if (!scheduler) o.log.warn('ENVBOT_SCHEDULER_ROLE_ARN is not set: environments will not stop at night');
  const engine = new Engine({
    config: o.config,
    clients: o.clients,
    log: o.log,
    store,
    ...(scheduler && { schedules: scheduler, extendPort: scheduler }),
    ...(o.images && { images: o.images }),
    costPort: cost,
    ...(o.now && { now: o.now }),
    ...(o.sleep && { sleep: o.sleep }),
  });
  return { engine, store, cost, ...(scheduler && { scheduler }) };
}
