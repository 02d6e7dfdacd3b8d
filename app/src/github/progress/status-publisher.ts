import type { Logger } from 'pino';
import type { CommandContext } from '../../commands/context.js';
import type { ReportTargetsPort } from '../../commands/report-targets.js';
import type { EnvironmentStore } from '../../environments/store-port.js';
import type { EnvNotice } from '../../environments/notifier-port.js';
import type { EnvironmentRecord, ReportTargets } from '../../environments/record.js';
import type { DeploymentState, Deployments } from './deployments.js';
import type { KeyedMutex } from './keyed-mutex.js';
import { describeNotice, renderStatusComment, statusViewFor } from '../render/render-status.js';
import type { StatusComments } from './status-comment.js';

type GitHubTarget = NonNullable<ReportTargets['github']>;

export interface PublishInput {
  notice?: EnvNotice;
  /** A line for "Last event" when no notice describes it (e.g. "/env stop by @alice"). */
  event?: string;
}

export interface StatusPublisherDeps {
  /** The engine's command context, read-only here: records, clock, the auto-stop and cost ports. */
  ctx: Pick<CommandContext, 'now' | 'extendPort' | 'costPort'> & { store: Pick<EnvironmentStore, 'get'> };
  /** The only write this front end makes: the ids of the comment and deployment it posted. */
  reports: ReportTargetsPort;
  comments: StatusComments;
  deployments: Deployments;
  mutex: KeyedMutex;
  log: Logger;
}

/** Notices that mean "something is being rolled out" open a new GitHub deployment when one is due. */
export function deploymentStateFor(n: EnvNotice): DeploymentState | undefined {
  switch (n.kind) {
    case 'progress':
      return n.stage === 'queued' ? 'queued' : 'in_progress';
    case 'build':
      return n.failed ? undefined : 'in_progress';
    case 'started':
      return 'in_progress';
    case 'ready':
      return 'success';
    case 'failed':
      return 'failure';
    case 'stopped':
    case 'destroyed':
      return 'inactive';
    default:
      return undefined;
  }
}

/**
 * Brings GitHub's view of one environment up to date: its deployment status and its living
 * comment. Serialized per environment so a command and a notice never race to create a comment.
 */
export class StatusPublisher {
  /** Commit a front-end `up` asked for; the next rollout notice opens a deployment for it. */
  private readonly pendingRef = new Map<string, string>();

  constructor(private readonly d: StatusPublisherDeps) {}

  expectRollout(env: string, sha: string): void {
    this.pendingRef.set(env, sha);
  }

  forgetRollout(env: string): void {
    this.pendingRef.delete(env);
  }

  async update(record: EnvironmentRecord, input: PublishInput): Promise<void> {
    if (!record.report.github) return;
    await this.d.mutex.run(record.name, () => this.updateNow(record, input));
  }

  private async updateNow(passed: EnvironmentRecord, input: PublishInput): Promise<void> {
    // After `destroyed` the record is gone; otherwise read the latest (ids written meanwhile).
    const gone = input.notice?.kind === 'destroyed';
    const record = gone ? passed : ((await this.d.ctx.store.get(passed.name)) ?? passed);
    let target: GitHubTarget = { ...passed.report.github!, ...record.report.github };
    if (input.notice) target = await this.updateDeployment(record, target, input.notice, gone);
    const now = this.d.ctx.now();
    const commit = record.commit ?? (target.deploymentId !== undefined ? await this.d.deployments.shaOf(target, target.deploymentId).catch(() => undefined) : undefined);
    const autoStop = this.autoStop(record, now);
    const cost = await this.d.ctx.costPort?.costSoFar?.(record.name, now).catch(() => undefined);
    const view = statusViewFor(record, {
      ...input,
      ...(commit && { commit }),
      ...(autoStop && { autoStop }),
      ...(cost !== undefined && { cost }),
      now,
    });
    const id = await this.d.comments.upsert(target, record.name, renderStatusComment(view), target.commentId);
    if (id !== target.commentId && !gone) await this.saveIds(record.name, { commentId: id });
  }

  private async updateDeployment(record: EnvironmentRecord, target: GitHubTarget, notice: EnvNotice, gone: boolean): Promise<GitHubTarget> {
    const state = deploymentStateFor(notice);
    if (!state) return target;
    let id = target.deploymentId;
    const pending = this.pendingRef.get(record.name);
    if ((state === 'queued' || state === 'in_progress') && (pending !== undefined || id === undefined)) {
      id = await this.d.deployments.create(target, record.name, pending ?? record.commit ?? record.branch);
      this.pendingRef.delete(record.name);
      if (!gone) await this.saveIds(record.name, { deploymentId: id });
    }
    if (id === undefined) return target;
    await this.d.deployments.setStatus(target, id, state, {
      ...(notice.kind === 'ready' && { environmentUrl: notice.url }),
      description: describeNotice(record.name, notice),
    });
    return { ...target, deploymentId: id };
  }

  private autoStop(record: EnvironmentRecord, now: Date): string | undefined {
    if (record.desired !== 'running') return undefined;
    if (record.autoStopPostponedUntil) return `postponed until ${record.autoStopPostponedUntil}`;
    return this.d.ctx.extendPort?.nextStop?.(record, now);
  }

  private async saveIds(env: string, ids: Partial<Pick<GitHubTarget, 'commentId' | 'deploymentId'>>): Promise<void> {
    await this.d.reports.remember(env, { github: ids });
  }
}
