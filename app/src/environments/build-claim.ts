/**
 * Cross-replica build dedupe: before starting a build of a commit, a replica claims the commit
 * with a conditional put. The winner starts the build and records its id on the claim; a replica
 * that loses the race follows the winner's build id instead of starting its own. The claim is
 * released when the build ends (success: the image in ECR is the truth from then on; failure: a
 * retry may build again). A claim left by a crashed replica goes stale and can be taken over.
 */
export interface BuildClaim {
  commit: string;
  owner: string;
  claimedAtMs: number;
  buildId?: string;
}

/**
 * Provenance: the image envbot's own build of a commit pushed, by digest. Written once the build
 * succeeded (the digest read from ECR under the commit's IMMUTABLE tag, cross-checked with the
 * digest the build exported); an image under `c-<sha>` with any other digest was not built by
 * envbot and is never deployed. Kept apart from the claim, which ends with the build.
 */
export interface BuiltImage {
  commit: string;
  digest: string;
  buildId: string;
  builtAtMs: number;
  /** Built from a protected branch (its own dependency cache and build role). */
  protectedBranch: boolean;
}

export interface ClaimStaleness {
  staleBeforeMs: number;
  unstartedBeforeMs: number;
}

export interface BuildClaimStore {
  /**
   * True when this owner now holds the claim: it was free, older than `staleBeforeMs`, or
   * still without a build id and older than `unstartedBeforeMs` (StartBuild takes seconds, so
   * such a claim belongs to a replica that died before starting).
   */
  tryClaim(commit: string, owner: string, nowMs: number, stale: ClaimStaleness): Promise<boolean>;
  get(commit: string): Promise<BuildClaim | undefined>;
  /** Records the build id on our claim; false when the claim is no longer ours. */
  recordBuild(commit: string, owner: string, buildId: string): Promise<boolean>;
  /** Deletes the claim if it is still the one described (by owner or by build id); no-op otherwise. */
  release(commit: string, match: { owner: string } | { buildId: string }): Promise<void>;
  /** Remembers what envbot's build of a commit pushed (overwrites: one image per commit tag). */
  recordBuilt(image: BuiltImage): Promise<void>;
  /** What envbot's build of this commit pushed, if it remembers one. */
  built(commit: string): Promise<BuiltImage | undefined>;
  /** Forgets the commit's provenance if it is still about `digest` (the image was deleted). */
  forgetBuilt(commit: string, digest: string): Promise<void>;
}
