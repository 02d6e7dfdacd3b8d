import type { Profile } from '../environments/profiles.js';
import { IDLE_GRACE_MINUTES } from '../environments/profiles.js';
import type { EnvironmentRecord } from '../environments/record.js';
import type { EnvironmentStore } from '../environments/store-port.js';
import type { RequestActivity, RequestActivityReader, RequestTarget } from '../aws/request-metrics.js';
import { decideIdleSleep, type IdleDecision } from './idle-decision.js';

/**
 * The idle-sleep job (issue 15): every few minutes, for the running environments, read the ALB's
 * request counts of all of them in one batched GetMetricData pass, decide per environment
 * (idle-decision.ts) and put the idle ones to sleep through the `sleep` port — which the
 * composition root wires to the command layer as a `stop` by the `system` actor with reason `idle`,
 * so sleeping goes through the same authorization and desired-state path as any stop.
 * A failed metrics read puts nothing to sleep (no data is not the same as no requests).
 */
export interface IdleSleeperDeps {
  /** ALB request counts (aws/request-metrics.ts requestActivityReader). */
  readRequests: RequestActivityReader;
  store: Pick<EnvironmentStore, 'list'>;
  /** The shared ALB (the metric's LoadBalancer dimension); see loadBalancerArnOfListener. */
  loadBalancerArn: string;
  profileOf: (record: EnvironmentRecord) => Pick<Profile, 'sleepAfterIdleMinutes' | 'idleGraceMinutes'>;
  sleep: (name: string, reason: 'idle') => Promise<void>;
  warn: (message: string, detail: { env?: string; err?: unknown }) => void;
}

export interface IdleSleepPass {
  slept: string[];
  decisions: Map<string, IdleDecision>;
}

interface Candidate {
  record: EnvironmentRecord;
  idleMinutes?: number;
  graceMinutes: number;
  startedAt: Date;
}

export async function runIdleSleepPass(deps: IdleSleeperDeps, now: Date): Promise<IdleSleepPass> {
  const decisions = new Map<string, IdleDecision>();
  const candidates = (await deps.store.list()).filter(isAwake).map((record) => candidate(deps, record));
  // Only environments past their grace and not opted out need metrics at all.
  const measured = candidates.filter((c) => decide(c, now, 0).sleep);
  const activity = measured.length > 0 ? await readActivity(deps, measured, now) : new Map<string, RequestActivity>();
  const slept: string[] = [];
  for (const c of candidates) {
    const decision = decide(c, now, requestsInWindow(c, activity, now));
    decisions.set(c.record.name, decision);
    if (!decision.sleep) continue;
    try {
      await deps.sleep(c.record.name, 'idle');
      slept.push(c.record.name);
    } catch (err) {
      deps.warn(`putting ${c.record.name} to sleep failed`, { env: c.record.name, err });
    }
  }
  return { slept, decisions };
}

function isAwake(r: EnvironmentRecord): boolean {
  return r.desired === 'running' && r.status === 'ready';
}

function candidate(deps: IdleSleeperDeps, record: EnvironmentRecord): Candidate {
  const profile = deps.profileOf(record);
  // Older records have no startedAt: updatedAt is never earlier than the start, so it only lengthens the grace.
  const startedAt = new Date(record.startedAt ?? record.updatedAt);
  return { record, idleMinutes: profile.sleepAfterIdleMinutes, graceMinutes: profile.idleGraceMinutes ?? IDLE_GRACE_MINUTES, startedAt };
}

function decide(c: Candidate, now: Date, requests: number | undefined): IdleDecision {
  return decideIdleSleep({
    settings: { sleepAfterIdleMinutes: c.idleMinutes, graceMinutes: c.graceMinutes },
    running: Boolean(c.record.targetGroupArn),
    startedAt: c.startedAt,
    optedOut: c.record.idleSleepOptOut === true,
    requestsInWindow: requests,
    now,
  });
}

/** Undefined = unknown (the read failed or the environment was not measured). */
function requestsInWindow(c: Candidate, activity: Map<string, RequestActivity>, now: Date): number | undefined {
  const a = activity.get(c.record.name);
  if (!a || !c.idleMinutes) return undefined;
  const since = now.getTime() - c.idleMinutes * 60_000;
  return a.lastRequestPeriod && a.lastRequestPeriod.getTime() >= floorMinute(since) ? Math.max(1, a.total) : 0;
}

/** One batched read over the longest idle window of the candidates; a failure is logged and means "unknown". */
async function readActivity(deps: IdleSleeperDeps, measured: Candidate[], now: Date): Promise<Map<string, RequestActivity>> {
  const longest = Math.max(...measured.map((c) => c.idleMinutes ?? 0));
  const end = new Date(floorMinute(now.getTime()) + 60_000);
  const start = new Date(floorMinute(now.getTime() - longest * 60_000));
  const targets: RequestTarget[] = measured.map((c) => ({ key: c.record.name, targetGroupArn: c.record.targetGroupArn!, loadBalancerArn: deps.loadBalancerArn }));
  try {
    return await deps.readRequests(targets, { start, end, periodSeconds: 60 });
  } catch (err) {
    deps.warn('idle sleep skipped this pass: the request counts could not be read', { err });
    return new Map();
  }
}

function floorMinute(ms: number): number {
  return Math.floor(ms / 60_000) * 60_000;
}

/**
 * `arn:…:listener/app/<lb>/<lb-id>/<listener-id>` → `arn:…:loadbalancer/app/<lb>/<lb-id>`: the
 * bot knows the shared listener; the metric dimension wants its load balancer.
 */
export function loadBalancerArnOfListener(listenerArn: string): string {
  const m = /^(arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}):listener\/app\/([^/]+)\/([^/]+)\/[^/]+$/.exec(listenerArn);
  if (!m) throw new Error(`not an application load balancer listener ARN: ${listenerArn}`);
  return `${m[1]}:loadbalancer/app/${m[2]}/${m[3]}`;
}

/** Runs a pass every `intervalMs` until the signal aborts (background.ts wires it like the auto-stop warner). */
export function startIdleSleeper(
  deps: IdleSleeperDeps,
  opts: { clock: () => Date; intervalMs: number; signal: AbortSignal; onPassError?: (err: unknown) => void },
): Promise<void> {
  return new Promise((resolve) => {
    if (opts.signal.aborted) return resolve();
    const tick = () => void runIdleSleepPass(deps, opts.clock()).catch((err) => opts.onPassError?.(err));
    const timer = setInterval(tick, opts.intervalMs);
    opts.signal.addEventListener('abort', () => (clearInterval(timer), resolve()), { once: true });
  });
}
