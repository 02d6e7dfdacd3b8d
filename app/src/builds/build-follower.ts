import type { BuildInfo } from '../aws/codebuild.js';
import { logConsoleUrl } from '../aws/build-logs.js';
import { nextDelay, type Backoff } from './backoff.js';
import { BuildFailedError, BuildTimeoutError } from './build-errors.js';
import type { BuildLogReader, BuildRunner, Clock, Sleep } from './ports.js';

export interface BuildProgress {
  /** CodeBuild phase (QUEUED, PROVISIONING, BUILD, …) or COMPLETED at the end. */
  phase: string;
  /** Seconds since this bot began waiting for the image. */
  elapsedSeconds: number;
  /** Known once the build exported CACHE_HIT (at the latest when it completes). */
  cacheHit?: boolean;
}

export interface FollowDeps {
  codebuild: BuildRunner;
  logs?: BuildLogReader;
  clock: Clock;
  sleep: Sleep;
  backoff: Backoff;
  projectName: string;
  region: string;
  logGroup?: string;
  logTailLines: number;
  warn: (message: string, err?: unknown) => void;
}

export interface FollowRequest {
  buildId: string;
  commit: string;
  startedAtMs: number;
  deadlineMs: number;
  /** Only the replica that started the build stops it when it gives up waiting. */
  owner: boolean;
  emit: (p: BuildProgress) => Promise<void>;
}

export interface FollowResult {
  buildSeconds: number;
  cacheHit?: boolean;
  /** The buildspec's exported variables (IMAGE_DIGEST, CACHE_HIT, …) of the finished build. */
  exported: Record<string, string>;
}

/**
 * Polls one build to its end with backoff, reporting each phase change once. Resolves on
 * SUCCEEDED; throws BuildFailedError (failing phase, log tail, log link) or BuildTimeoutError.
 */
export async function followBuild(deps: FollowDeps, req: FollowRequest): Promise<FollowResult> {
  let delay = deps.backoff.initialMs;
  let lastPhase: string | undefined;
  const elapsed = () => Math.max(0, Math.round((deps.clock.now() - req.startedAtMs) / 1000));
  for (;;) {
    const build = await deps.codebuild.get(req.buildId);
    const cacheHit = parseCacheHit(build.exported);
    if (build.status !== 'IN_PROGRESS') return finish(deps, req, build, cacheHit, elapsed());
    if (build.currentPhase !== lastPhase) {
      lastPhase = build.currentPhase;
      await req.emit({ phase: build.currentPhase, elapsedSeconds: elapsed(), ...(cacheHit !== undefined && { cacheHit }) });
    }
    const left = req.deadlineMs - deps.clock.now();
    if (left <= 0) return giveUp(deps, req, build, elapsed());
    await deps.sleep(Math.min(delay, left));
    delay = nextDelay(delay, deps.backoff);
  }
}

async function finish(deps: FollowDeps, req: FollowRequest, build: BuildInfo, cacheHit: boolean | undefined, waited: number): Promise<FollowResult> {
  const where = logLocation(deps, build);
  if (build.status === 'SUCCEEDED') {
    const buildSeconds = build.startTime && build.endTime ? Math.round((build.endTime.getTime() - build.startTime.getTime()) / 1000) : waited;
    await req.emit({ phase: 'COMPLETED', elapsedSeconds: waited, ...(cacheHit !== undefined && { cacheHit }) });
    return { buildSeconds, exported: build.exported, ...(cacheHit !== undefined && { cacheHit }) };
  }
  const failed = failedPhase(build);
  if (build.status === 'TIMED_OUT') {
    throw new BuildTimeoutError({ commit: req.commit, buildId: build.id, phase: failed.type, waitedSeconds: waited, by: 'codebuild', logUrl: where.url });
  }
  const logTail = await readTail(deps, where);
  throw new BuildFailedError({
    commit: req.commit,
    buildId: build.id,
    phase: failed.type,
    status: build.status,
    logTail,
    logUrl: where.url,
    reason: failed.message,
  });
}

async function giveUp(deps: FollowDeps, req: FollowRequest, build: BuildInfo, waited: number): Promise<never> {
  if (req.owner) {
    // Nobody will use the result any more; stop paying for it. The project's own timeout is the backstop.
    await deps.codebuild.stop(build.id).catch((err) => deps.warn(`stopping build ${build.id} after the time limit`, err));
  }
  throw new BuildTimeoutError({
    commit: req.commit,
    buildId: build.id,
    phase: build.currentPhase,
    waitedSeconds: waited,
    by: 'bot',
    logUrl: logLocation(deps, build).url,
  });
}

/** CACHE_HIT is exported by buildspec.yml: "true" when the dependency-cache marker was restored. */
export function parseCacheHit(exported: Record<string, string>): boolean | undefined {
  const v = exported.CACHE_HIT;
  return v === 'true' ? true : v === 'false' ? false : undefined;
}

function failedPhase(build: BuildInfo): { type: string; message?: string } {
  const bad = build.phases.find((p) => p.status && !['SUCCEEDED', 'IN_PROGRESS'].includes(p.status));
  return bad ? { type: bad.type, message: bad.message } : { type: build.currentPhase };
}

function logLocation(deps: FollowDeps, build: BuildInfo): { group: string; stream: string; url: string } {
  // CodeBuild names the stream after the build id's suffix (project:uuid) unless configured otherwise.
  const group = build.logs.group ?? deps.logGroup ?? `/aws/codebuild/${deps.projectName}`;
  const stream = build.logs.stream ?? build.id.split(':').pop() ?? build.id;
  return { group, stream, url: build.logs.deepLink ?? logConsoleUrl(deps.region, group, stream) };
}

async function readTail(deps: FollowDeps, where: { group: string; stream: string }): Promise<string[]> {
  if (!deps.logs) return [];
  try {
    return await deps.logs.tail(where.group, where.stream, deps.logTailLines);
  } catch (err) {
    // The failure report matters more than its log excerpt: report without it.
    deps.warn(`reading the log tail of ${where.group}/${where.stream}`, err);
    return [];
  }
}
