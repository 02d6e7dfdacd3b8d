import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { EcsServices } from '../aws/ecs.js';
import type { LoadBalancer } from '../aws/elb.js';
import type { EnvironmentRecord } from '../environments/record.js';
import type { EnvironmentStore } from '../environments/store-port.js';
import { envFromServiceName, serviceNameFor } from '../environments/task-event.js';
import { frontDoorFingerprint } from './front-door-fingerprint.js';
import { sweepOrphans, type SweepReport } from './orphan-sweep.js';

/** How long a front-door fingerprint is remembered (a year: longer than any deployment keeps one config). */
const FINGERPRINT_TTL_SECONDS = 366 * 86_400;

export interface ResyncDeps {
  store: EnvironmentStore;
  ecs: EcsServices;
  lb: LoadBalancer;
  config: Config;
  kick: (name: string) => void;
  log: Logger;
}

export interface ResyncReport {
  records: number;
  kicked: string[];
  stoppedBySchedule: string[];
  sweep: SweepReport;
}

/**
 * Periodic drift repair. Cheap for a converged fleet: one store query plus DescribeServices in
 * batches of 10, instead of a full reconcile per environment.
 */
export class Resync {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly d: ResyncDeps) {}

  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      this.runOnce().catch((err) => this.d.log.error({ err }, 'resync failed'));
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async runOnce(): Promise<ResyncReport> {
    const [records, listed] = await Promise.all([this.d.store.list(), this.d.ecs.listServiceNames()]);
    // One DescribeServices pass (10 per call) serves both the drift check and the orphan sweep.
    const names = new Set([...listed.filter((n) => envFromServiceName(n) !== undefined), ...records.map((r) => serviceNameFor(r.name))]);
    const described = await this.d.ecs.describeServices([...names]);
    const services = new Map(described.map((s) => [s.name, s]));
    const kicked: string[] = [];
    const stoppedBySchedule: string[] = [];
    // New front-door settings (e.g. a rotated bypass secret): every environment's rules once, on one replica.
    const rulesChanged = await this.d.store.markOnce('front-door', frontDoorFingerprint(this.d.config), FINGERPRINT_TTL_SECONDS);
    for (const record of records) {
      const svc = services.get(serviceNameFor(record.name));
      if (record.desired === 'running' && record.status === 'ready' && svc?.desiredCount === 0) {
        // Power state lives in ECS: the nightly schedule scaled it to zero while we weren't looking.
        await this.markStoppedBySchedule(record);
        stoppedBySchedule.push(record.name);
        // Its host goes to the waking door now (until then the ALB answered 503).
        this.d.kick(record.name);
        continue;
      }
      if (needsWork(record, svc !== undefined)) {
        this.d.kick(record.name);
        kicked.push(record.name);
      } else if (rulesChanged) {
        this.d.kick(record.name);
      }
    }
    const sweep = await sweepOrphans({ ...this.d, liveNames: new Set(records.map((r) => r.name)), services: described });
    this.d.log.info({ records: records.length, kicked: kicked.length, orphans: sweep.deleted.length }, 'resync done');
    return { records: records.length, kicked, stoppedBySchedule, sweep };
  }

  private async markStoppedBySchedule(record: EnvironmentRecord): Promise<void> {
    await this.d.store.mutate(record.name, (r) =>
      r.desired === 'running' && r.status === 'ready' ? { ...r, desired: 'stopped', status: 'stopped', stopReason: 'schedule' } : undefined,
    );
  }
}

function needsWork(record: EnvironmentRecord, serviceExists: boolean): boolean {
  if (record.desired === 'deleted') return true;
  if (!serviceExists) return true;
  if (record.desired === 'running') return record.status !== 'ready' && record.status !== 'failed';
  return record.status !== 'stopped' && record.status !== 'failed';
}
