import type { BuildClaim, BuildClaimStore, BuiltImage, ClaimStaleness } from '../environments/build-claim.js';

// The claim's shape is a port the DynamoDB adapter implements, so it lives with the other ports.
export type { BuildClaim, BuildClaimStore, BuiltImage, ClaimStaleness };

/** In-memory store for a single bot process (local mode, unit tests). */
export class MemoryBuildClaims implements BuildClaimStore {
  private readonly claims = new Map<string, BuildClaim>();
  private readonly images = new Map<string, BuiltImage>();

  async tryClaim(commit: string, owner: string, nowMs: number, stale: ClaimStaleness): Promise<boolean> {
    const current = this.claims.get(commit);
    const abandoned = current && (current.claimedAtMs < stale.staleBeforeMs || (!current.buildId && current.claimedAtMs < stale.unstartedBeforeMs));
    if (current && !abandoned) return false;
    this.claims.set(commit, { commit, owner, claimedAtMs: nowMs });
    return true;
  }

  async get(commit: string): Promise<BuildClaim | undefined> {
    const claim = this.claims.get(commit);
    return claim && { ...claim };
  }

  async recordBuild(commit: string, owner: string, buildId: string): Promise<boolean> {
    const claim = this.claims.get(commit);
    if (claim?.owner !== owner) return false;
    claim.buildId = buildId;
    return true;
  }

  async release(commit: string, match: { owner: string } | { buildId: string }): Promise<void> {
    const claim = this.claims.get(commit);
    if (!claim) return;
    if ('owner' in match ? claim.owner === match.owner : claim.buildId === match.buildId) this.claims.delete(commit);
  }

  async recordBuilt(image: BuiltImage): Promise<void> {
    this.images.set(image.commit, { ...image });
  }

  async built(commit: string): Promise<BuiltImage | undefined> {
    const image = this.images.get(commit);
    return image && { ...image };
  }

  async forgetBuilt(commit: string, digest: string): Promise<void> {
    if (this.images.get(commit)?.digest === digest) this.images.delete(commit);
  }
}
