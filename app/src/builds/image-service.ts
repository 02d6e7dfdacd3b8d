import { randomUUID } from 'node:crypto';
import { DEFAULT_BACKOFF, nextDelay, type Backoff } from './backoff.js';
import type { BuildClaimStore } from './build-claims.js';
import { BuildTimeoutError } from './build-errors.js';
import { followBuild, type BuildProgress, type FollowDeps } from './build-follower.js';
import { commitTag } from './image-tags.js';
import { DeployedTags } from './deployed-tags.js';
import type { BuildLogReader, BuildRunner, Clock, ImageRegistry, Sleep } from './ports.js';

export type { BuildProgress } from './build-follower.js';

export interface ImageServiceOptions {
  ecr: ImageRegistry;
  codebuild: BuildRunner;
  /** Log tails for failure reports; without it failures carry only the log link. */
  logs?: BuildLogReader;
  /** Cross-replica dedupe (DynamoBuildClaims in the bot, MemoryBuildClaims for one process). */
  claims: BuildClaimStore;
  repositoryName: string;
  repositoryUri: string;
  projectName: string;
  /** Region, for CloudWatch console links when CodeBuild gives no deepLink. */
  region: string;
  /** The project's log group when it is not CodeBuild's default `/aws/codebuild/<project>`. */
  logGroup?: string;
  /** Identifies this bot replica on build claims; random by default. */
  replicaId?: string;
  clock?: Clock;
  sleep?: Sleep;
  backoff?: Backoff;
  /** Overall limit for one ensureImage (waiting for a claim + the build); default 30 min. */
  timeoutMs?: number;
  logTailLines?: number;
  warn?: (message: string, err?: unknown) => void;
}

export interface EnsureImageRequest {
  env: string;
  branch: string;
  /** Full 40-character SHA (from the CommitResolver). */
  commit: string;
  onProgress: (p: BuildProgress) => void | Promise<void>;
}

export interface EnsureImageResult {
  /** `<repositoryUri>:c-<sha>`, for the task definition. */
  image: string;
  /** False when the image already existed (no build started or awaited). */
  built: boolean;
  /** Build duration as CodeBuild measured it, when a build ran. */
  buildSeconds?: number;
  /** Whether that build found its dependency cache, when a build ran. */
  cacheHit?: boolean;
}

interface Flight {
  promise: Promise<EnsureImageResult>;
  listeners: Set<EnsureImageRequest['onProgress']>;
  /** Last progress reported, replayed to a request that joins a build already under way. */
  last?: BuildProgress;
}

/**
 * Build once, deploy many. An image is named by its commit; if ECR has it, nothing is built
 * (`up` of a built commit, `start` after the nightly stop, a second environment on the same
 * commit). Otherwise exactly one build runs per commit: concurrent requests in this process
 * share one promise, and bot replicas share one DynamoDB claim whose loser follows the winner's
 * build id.
 */
export class ImageService {
  private readonly inflight = new Map<string, Flight>();
  private readonly replicaId: string;
  private readonly clock: Clock;
  private readonly sleep: Sleep;
  private readonly backoff: Backoff;
  private readonly timeoutMs: number;
  private readonly warn: (message: string, err?: unknown) => void;
  private readonly tags: DeployedTags;

  constructor(private readonly opts: ImageServiceOptions) {
    this.replicaId = opts.replicaId ?? randomUUID();
    this.clock = opts.clock ?? { now: () => Date.now() };
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF;
    this.timeoutMs = opts.timeoutMs ?? 30 * 60_000;
    this.warn = opts.warn ?? (() => {});
    this.tags = new DeployedTags(opts.ecr, opts.repositoryName);
  }

  imageFor(commit: string): string {
    return `${this.opts.repositoryUri}:${commitTag(commit)}`;
  }

  async ensureImage(req: EnsureImageRequest): Promise<EnsureImageResult> {
    const image = this.imageFor(req.commit);
    if (await this.imageExists(req.commit)) return { image, built: false };
    let flight = this.inflight.get(req.commit);
    if (!flight) {
      const created: Flight = { listeners: new Set(), promise: Promise.resolve({ image, built: false }) };
      created.promise = this.buildOrFollow(req, created).finally(() => this.inflight.delete(req.commit));
      this.inflight.set(req.commit, created);
      flight = created;
    }
    flight.listeners.add(req.onProgress);
    if (flight.last) void this.tell(req.onProgress, flight.last);
    try {
      return await flight.promise;
    } finally {
      flight.listeners.delete(req.onProgress);
    }
  }

  /** Tags the commit's image `deployed-<env>` (moving the tag off the env's previous image). */
  markDeployed(env: string, commit: string): Promise<void> {
    return this.tags.mark(env, commit);
  }

  /** Removes `deployed-<env>` if it is on this commit's image; false when there was nothing to do. */
  unmarkDeployed(env: string, commit: string): Promise<boolean> {
    return this.tags.unmark(env, commit);
  }

  /**
   * Teardown: deletes the commit's image unless another environment still uses it — by the
   * caller's records (`stillUsedByOtherEnvs`) or by a `deployed-*` tag still on it in ECR. Call
   * unmarkDeployed for the environment being torn down first. True when an image was deleted.
   */
  deleteUnusedImages(commit: string, stillUsedByOtherEnvs: boolean): Promise<boolean> {
    return this.tags.deleteIfUnused(commit, stillUsedByOtherEnvs);
  }

  /**
   * The age limit for commit images not deployed anywhere, which ECR's lifecycle policy cannot
   * express next to the count limit (see lifecycle-policy.ts). For the periodic sweep.
   */
  pruneStaleCommitImages(maxAgeDays: number): Promise<string[]> {
    return this.tags.pruneStale(maxAgeDays, this.clock.now());
  }

  private async imageExists(commit: string): Promise<boolean> {
    return (await this.opts.ecr.findByTag(this.opts.repositoryName, commitTag(commit))) !== undefined;
  }

  private async buildOrFollow(req: EnsureImageRequest, flight: Flight): Promise<EnsureImageResult> {
    const image = this.imageFor(req.commit);
    const startedAtMs = this.clock.now();
    const deadlineMs = startedAtMs + this.timeoutMs;
    const emit = (p: BuildProgress) => this.emit(flight, p);
    let delay = this.backoff.initialMs;
    for (;;) {
      const now = this.clock.now();
      // A claim older than one full wait, or unstarted for 2 minutes, belongs to a replica that died.
      const stale = { staleBeforeMs: now - this.timeoutMs - 5 * 60_000, unstartedBeforeMs: now - 2 * 60_000 };
      if (await this.opts.claims.tryClaim(req.commit, this.replicaId, now, stale)) {
        // Re-check under the claim: another replica may have finished between our look-up and now.
        if (await this.imageExists(req.commit)) {
          await this.opts.claims.release(req.commit, { owner: this.replicaId });
          return { image, built: false };
        }
        const buildId = await this.start(req);
        return this.follow(req.commit, buildId, { startedAtMs, deadlineMs, owner: true, emit }, image);
      }
      const claim = await this.opts.claims.get(req.commit);
      if (claim?.buildId) return this.follow(req.commit, claim.buildId, { startedAtMs, deadlineMs, owner: false, emit }, image);
      // Released in between: the winner's build ended (image now there) or failed (claim again).
      if (!claim && (await this.imageExists(req.commit))) return { image, built: false };
      const left = deadlineMs - this.clock.now();
      if (left <= 0) {
        throw new BuildTimeoutError({ commit: req.commit, buildId: 'unknown', phase: 'QUEUED', waitedSeconds: Math.round(this.timeoutMs / 1000), by: 'bot' });
      }
      if (claim) await this.sleep(Math.min(delay, left));
      delay = nextDelay(delay, this.backoff);
    }
  }

  private async start(req: EnsureImageRequest): Promise<string> {
    try {
      const cacheFrom = await this.tags.cacheSource(req.env, this.opts.repositoryUri).catch((err) => {
        this.warn('choosing a layer-cache image', err);
        return undefined;
      });
      const buildId = await this.opts.codebuild.start({
        projectName: this.opts.projectName,
        sourceVersion: req.commit,
        env: {
          COMMIT_SHA: req.commit,
          IMAGE_REPO_URI: this.opts.repositoryUri,
          ENV_NAME: req.env,
          BRANCH_NAME: req.branch,
          ...(cacheFrom && { CACHE_FROM_IMAGE: cacheFrom }),
        },
        idempotencyToken: `${req.commit}-${this.replicaId}`.slice(0, 64),
      });
      if (!(await this.opts.claims.recordBuild(req.commit, this.replicaId, buildId))) {
        this.warn(`build claim for ${req.commit} was taken over while starting ${buildId}`);
      }
      return buildId;
    } catch (err) {
      await this.opts.claims.release(req.commit, { owner: this.replicaId }).catch((e) => this.warn('releasing a build claim', e));
      throw err;
    }
  }

  private async follow(
    commit: string,
    buildId: string,
    f: { startedAtMs: number; deadlineMs: number; owner: boolean; emit: (p: BuildProgress) => Promise<void> },
    image: string,
  ): Promise<EnsureImageResult> {
    try {
      const result = await followBuild(this.followDeps(), { buildId, commit, ...f });
      return { image, built: true, ...result };
    } finally {
      // Ended either way: success leaves the image in ECR, failure lets the next attempt build.
      await this.opts.claims.release(commit, { buildId }).catch((err) => this.warn('releasing a build claim', err));
    }
  }

  private followDeps(): FollowDeps {
    const o = this.opts;
    return {
      codebuild: o.codebuild,
      logs: o.logs,
      clock: this.clock,
      sleep: this.sleep,
      backoff: this.backoff,
      projectName: o.projectName,
      region: o.region,
      logGroup: o.logGroup,
      logTailLines: o.logTailLines ?? 20,
      warn: this.warn,
    };
  }

  /** Progress goes to every request waiting on this build; a failing listener never breaks the build. */
  private async emit(flight: Flight, p: BuildProgress): Promise<void> {
    flight.last = p;
    await Promise.all([...flight.listeners].map((listener) => this.tell(listener, p)));
  }

  private async tell(listener: EnsureImageRequest['onProgress'], p: BuildProgress): Promise<void> {
    try {
      await listener(p);
    } catch (err) {
      this.warn('reporting build progress', err);
    }
  }
}
