import type { StartBuildRequest } from '../aws/codebuild.js';

/**
 * Keeping branches from poisoning what protected branches (default `main`) build with.
 *
 * Every build runs the branch's own build scripts (Gradle/Maven, Dockerfile) with the build's
 * IAM role, so whatever that role can write, any branch can write. The dependency cache is
 * therefore split by *role*, not only by location: unprotected branches build with the
 * project's default role and cache (`<bucket>/branches`, or the project's LOCAL cache), which
 * that role may write; protected branches build with `serviceRoleOverride` = the protected role
 * and `cacheOverride` = `<bucket>/protected`, which only the protected role may write. Branches
 * share one warm cache among themselves (same trust: every writer can push a branch), and main
 * keeps its own warm cache: both keep the 15 → 2 minute gain. Without a configured protected role
 * a protected branch builds with no dependency cache at all (slow, never poisoned).
 */
export interface BuildIsolation {
  /** Branch names, or patterns with `*` (e.g. `release/*`); default `main`. */
  protectedBranches: string[];
  /** The cache bucket (CACHE_BUCKET of the build project). */
  cacheBucket?: string;
  /** ARN of the role only protected builds use. */
  protectedRoleArn?: string;
}

export const PROTECTED_CACHE_PREFIX = 'protected';
export const BRANCH_CACHE_PREFIX = 'branches';

export function isProtectedBranch(branch: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => (p.includes('*') ? globToRegExp(p).test(branch) : p === branch));
}

/** StartBuild overrides for a build of `branch`. */
export function buildOverrides(branch: string, iso: BuildIsolation): Pick<StartBuildRequest, 'cache' | 'serviceRole'> {
  if (!isProtectedBranch(branch, iso.protectedBranches)) return {};
  if (iso.cacheBucket && iso.protectedRoleArn) {
    return { cache: { type: 'S3', location: `${iso.cacheBucket}/${PROTECTED_CACHE_PREFIX}` }, serviceRole: iso.protectedRoleArn };
  }
  return { cache: { type: 'NO_CACHE' } };
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'));
  return new RegExp(`^${escaped.join('[^/]*')}$`);
}
