import type { EnvironmentRecord } from '../environments/record.js';
import type { EnvironmentStore } from '../environments/store-port.js';

/** What a front end may remember about what it posted: message and comment/deployment ids. */
export interface ReportPatch {
  /** The environment's Slack message, once posted (kept if one is already recorded). */
  slack?: { channel: string; messageTs: string; threadTs: string };
  /** The living PR comment and the deployment, onto the PR link already on the record. */
  github?: { commentId?: number; deploymentId?: number };
}

/**
 * The one narrow port through which front ends write to a record: ids of what they posted, under
 * `report` only, onto a target the command layer already put there. It cannot change desired
 * state, settings, owner, or which channel or PR an environment reports to.
 */
export interface ReportTargetsPort {
  remember(name: string, patch: ReportPatch): Promise<void>;
}

export function reportTargetsPort(store: Pick<EnvironmentStore, 'mutate'>): ReportTargetsPort {
  return {
    async remember(name, patch) {
      await store.mutate(name, (r) => withPatch(r, patch));
    },
  };
}

/** The record with the patch applied, or undefined when there is nothing it may change. */
export function withPatch(r: EnvironmentRecord, patch: ReportPatch): EnvironmentRecord | undefined {
  let report = r.report;
  // A Slack target is chosen by the command; the door only fills in the message it posted there.
  if (patch.slack && report.slack && !report.slack.messageTs) report = { ...report, slack: { ...report.slack, ...patch.slack } };
  if (patch.github && report.github) {
    const ids = { ...(patch.github.commentId !== undefined && { commentId: patch.github.commentId }), ...(patch.github.deploymentId !== undefined && { deploymentId: patch.github.deploymentId }) };
    report = { ...report, github: { ...report.github, ...ids } };
  }
  return report === r.report ? undefined : { ...r, report };
}
