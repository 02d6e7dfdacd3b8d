import { createHash, randomUUID } from 'node:crypto';
import { DEFAULT_BACKOFF, nextDelay, type Backoff } from './backoff.js';
import type { BuildClaimStore } from './build-claims.js';
import { BuildTimeoutError } from './build-errors.js';
import { followBuild, type BuildProgress, type FollowDeps } from './build-follower.js';
import { buildOverrides, isProtectedBranch, type BuildIsolation } from './build-isolation.js';
import { COMMIT_TAG_PREFIX, commitTag } from './image-tags.js';
import { commitOf, DeployedTags } from './deployed-tags.js';
import { inspectCommitImage, recordBuiltImage } from './image-provenance.js';
import { digestsInUse, type ImageUser } from './images-in-use.js';
import type { BuildLogReader, BuildRunner, Clock, ImageLocator, ImageRegistry, Sleep } from './ports.js';

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
  /** Protected branches and how their builds are kept apart; default: `main`, no cache for it. */
  isolation?: BuildIsolation;
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
  /** The image's digest, as envbot's own build of the commit pushed it. */
  digest: string;
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
  private attempts = 0;
  private readonly replicaId: string;
  private readonly clock: Clock;
  private readonly sleep: Sleep;
  private readonly backoff: Backoff;
  private readonly timeoutMs: number;
  private readonly warn: (message: string, err?: unknown) => void;
  private readonly tags: DeployedTags;
  private readonly isolation: BuildIsolation;

  constructor(private readonly opts: ImageServiceOptions) {
    this.replicaId = opts.replicaId ?? randomUUID();
    this.clock = opts.clock ?? { now: () => Date.now() };
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF;
    this.timeoutMs = opts.timeoutMs ?? 30 * 60_000;
    this.warn = opts.warn ?? (() => {});
    this.tags = new DeployedTags(opts.ecr, opts.repositoryName);
    this.isolation = opts.isolation ?? { protectedBranches: ['main'] };
  }

  /** The ECR repository builds push to; pinned images in it are protected like built ones. */
  get repositoryUri(): string {
    return this.opts.repositoryUri;
  }

  imageFor(commit: string): string {
    return `${this.opts.repositoryUri}:${commitTag(commit)}`;
  }

  async ensureImage(req: EnsureImageRequest): Promise<EnsureImageResult> {
    const image = this.imageFor(req.commit);
    const found = await this.inspect(req.commit);
    if (found.state === 'verified') return { image, built: false, digest: found.image.digest };
    let flight = this.inflight.get(req.commit);
    if (!flight) {
      const created: Flight = { listeners: new Set(), promise: Promise.resolve({ image, built: false, digest: '' }) };
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
    return this.tags.mark(env, { tag: commitTag(commit) });
  }

  /** Tags a pinned image of this repository (by tag or digest) `deployed-<env>`. */
  markDeployedImage(env: string, at: ImageLocator): Promise<void> {
    return this.tags.mark(env, at);
  }

  /** Removes `deployed-<env>` if it is on this commit's image; false when there was nothing to do. */
  unmarkDeployed(env: string, commit: string): Promise<boolean> {
    return this.tags.unmark(env, commit);
  }

  /** Teardown: removes `deployed-<env>` from whichever image carries it. */
  unmarkEnv(env: string): Promise<boolean> {
    return this.tags.unmarkEnv(env);
  }

  /** Digests of this repository that the given environments reference (commit images and pinned ones). */
  digestsInUse(users: readonly ImageUser[]): Promise<Set<string>> {
    return digestsInUse(this.opts.ecr, this.opts.repositoryName, this.opts.repositoryUri, users);
  }

  /**
   * Teardown: deletes the commit's image unless a live environment references its digest
   * (`inUse`, see digestsInUse) or a `deployed-*` tag is still on it. Call unmarkEnv for the
   * environment being torn down first. True when an image was deleted.
   */
  async deleteUnusedImages(commit: string, inUse: ReadonlySet<string>): Promise<boolean> {
    const deleted = await this.tags.deleteIfUnused(commit, inUse);
    if (deleted) await this.opts.claims.forgetBuilt(commit, deleted.digest);
    return deleted !== undefined;
  }

  /**
   * The age limit for commit images not deployed anywhere, which ECR's lifecycle policy cannot
   * express next to the count limit (see lifecycle-policy.ts). For the periodic sweep; `inUse`
   * are the digests live environments reference, which are never deleted.
   */
  async pruneStaleCommitImages(maxAgeDays: number, inUse: ReadonlySet<string>): Promise<string[]> {
    const deleted = await this.tags.pruneStale(maxAgeDays, this.clock.now(), inUse);
    for (const img of deleted) {
      const commit = commitOf(img);
      if (commit) await this.opts.claims.forgetBuilt(commit, img.digest).catch((err) => this.warn('forgetting a pruned image', err));
    }
    return deleted.map((img) => img.digest);
  }

  /**
   * The commit image a pinned reference names (by its `c-<sha>` tag or by digest) and whether
   * envbot built it; undefined when the reference is not a commit image of this repository.
   */
  async commitImageOf(at: ImageLocator): Promise<{ commit: string; state: 'verified' | 'unverified' } | undefined> {
    let commit: string | undefined;
    if ('tag' in at) commit = at.tag.startsWith(COMMIT_TAG_PREFIX) ? at.tag.slice(COMMIT_TAG_PREFIX.length) : undefined;
    else {
      const image = (await this.opts.ecr.list(this.opts.repositoryName)).find((img) => img.digest === at.digest);
      commit = image && commitOf(image);
    }
    if (!commit || !/^[0-9a-f]{40}$/.test(commit)) return undefined;
    const found = await this.inspect(commit);
    if (found.state === 'absent') return undefined;
    if ('digest' in at && found.image.digest !== at.digest) return { commit, state: 'unverified' };
    return { commit, state: found.state };
  }

  private inspect(commit: string) {
    return inspectCommitImage(this.opts.ecr, this.opts.claims, this.opts.repositoryName, commit);
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
        const owned = await this.startUnderClaim(req, image, now);
        if ('digest' in owned) return owned;
        return this.follow(req, owned.buildId, { startedAtMs, deadlineMs, owner: true, emit }, image);
      }
      const claim = await this.opts.claims.get(req.commit);
      if (claim?.buildId) return this.follow(req, claim.buildId, { startedAtMs, deadlineMs, owner: false, emit }, image);
      // Released in between: the winner's build ended (image now there) or failed (claim again).
      if (!claim) {
        const found = await this.inspect(req.commit);
        if (found.state === 'verified') return { image, built: false, digest: found.image.digest };
      }
      const left = deadlineMs - this.clock.now();
      if (left <= 0) {
        throw new BuildTimeoutError({ commit: req.commit, buildId: 'unknown', phase: 'QUEUED', waitedSeconds: Math.round(this.timeoutMs / 1000), by: 'bot' });
      }
      if (claim) await this.sleep(Math.min(delay, left));
      delay = nextDelay(delay, this.backoff);
    }
  }

  /**
   * Holding the claim: re-check (another replica may have finished meanwhile), remove an image
   * under the commit tag that envbot did not build (IMMUTABLE would make our push fail), start.
   */
  private async startUnderClaim(req: EnsureImageRequest, image: string, claimedAtMs: number): Promise<EnsureImageResult | { buildId: string }> {
    const found = await this.inspect(req.commit).catch(async (err) => {
      await this.opts.claims.release(req.commit, { owner: this.replicaId }).catch((e) => this.warn('releasing a build claim', e));
      throw err;
    });
    if (found.state === 'verified') {
      await this.opts.claims.release(req.commit, { owner: this.replicaId });
      return { image, built: false, digest: found.image.digest };
    }
    if (found.state === 'unverified') {
      this.warn(`${commitTag(req.commit)} is ${found.image.digest}, which envbot's build did not push: deleting it and building the commit`);
      await this.opts.ecr.deleteImage(this.opts.repositoryName, found.image.digest);
    }
    return { buildId: await this.start(req, claimedAtMs) };
  }

  private async start(req: EnsureImageRequest, claimedAtMs: number): Promise<string> {
    try {
      const cacheFrom = await this.cacheSource(req).catch((err) => {
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
        // One token per claim: an SDK retry of this StartBuild gets the same build, while the next
        // attempt after a failure (CodeBuild keeps a token for five minutes) starts a new one.
        idempotencyToken: createHash('sha256').update(`${req.commit}:${this.replicaId}:${claimedAtMs}:${++this.attempts}`).digest('hex'),
        ...buildOverrides(req.branch, this.isolation),
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

  /**
   * Layer cache for `docker build --cache-from`, pinned by digest: only images envbot built
   * itself, and for a protected branch only images built from a protected branch (a branch
   * could otherwise plant cache metadata that a protected build would trust).
   */
  private async cacheSource(req: EnsureImageRequest): Promise<string | undefined> {
    const protectedBuild = isProtectedBranch(req.branch, this.isolation.protectedBranches);
    for (const candidate of await this.tags.cacheCandidates(req.env, 5)) {
      const commit = commitOf(candidate);
      const built = commit ? await this.opts.claims.built(commit) : undefined;
      if (built?.digest === candidate.digest && (built.protectedBranch || !protectedBuild)) return `${this.opts.repositoryUri}@${candidate.digest}`;
    }
    return undefined;
  }

  private async follow(
    req: EnsureImageRequest,
    buildId: string,
    f: { startedAtMs: number; deadlineMs: number; owner: boolean; emit: (p: BuildProgress) => Promise<void> },
    image: string,
  ): Promise<EnsureImageResult> {
    const commit = req.commit;
    try {
      const { exported, ...result } = await followBuild(this.followDeps(), { buildId, commit, ...f });
      // Only the replica that started the build knows which branch's overrides it ran with.
      const protectedBranch = f.owner && isProtectedBranch(req.branch, this.isolation.protectedBranches);
      const built = await recordBuiltImage(this.opts.ecr, this.opts.claims, this.opts.repositoryName, {
        commit,
        buildId,
        exported,
        protectedBranch,
        nowMs: this.clock.now(),
      });
      return { image, built: true, digest: built.digest, ...result };
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
