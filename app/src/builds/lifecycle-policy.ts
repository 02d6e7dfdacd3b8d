import { COMMIT_TAG_PREFIX, DEPLOYED_TAG_PREFIX } from './image-tags.js';

export interface LifecyclePolicyOptions {
  /** How many of the newest commit images to keep (deployed ones count towards it but are never expired). */
  keepCommitImages: number;
  /** Age limit for images that carry neither envbot tag; see the note on rule 4. */
  commitImageMaxAgeDays: number;
}

/**
 * The ECR lifecycle policy of the application repository (the CDK stack attaches it; local mode
 * may PutLifecyclePolicy it). Real ECR semantics this is built on (ECR user guide, "lifecycle
 * policy evaluation rules"):
 *
 *  a. Rules apply lowest `rulePriority` first; an image is expired by at most one rule.
 *  b. An image that matches the *tag selection* of a higher-priority rule cannot be expired by
 *     any lower-priority rule — even if that higher rule did not expire it. Matching, not
 *     expiring, is what shields an image.
 *  c. A lower rule still *sees* shielded images when counting (`imageCountMoreThan` sorts all
 *     images it selects newest-first), it just cannot mark them.
 *  d. `tagPrefixList` entries are ANDed; tag prefixes must be unique across rules; only one rule
 *     may select `untagged`; a `tagStatus: any` rule must have the highest priority number.
 *
 * So:
 *  1. untagged, older than 1 day → expire. Untagged images are left-overs (a failed push, or a
 *     commit image whose tags envbot removed on teardown).
 *  2. `deployed-*`, count > 9999 → expire. The count is never reached (≤ 100 environments per
 *     ALB), so this rule expires nothing; it exists for (b): every image an environment runs
 *     matches it and so can never be expired by rules 3–4. This is the "protect deployed" trick;
 *     ordering it *before* the commit rule is what makes it work.
 *  3. `c-*`, count > keepCommitImages → expire. Keeps the N newest commit images; by (c) deployed
 *     images count towards N, by (b) they survive anyway. Net effect: every deployed image plus
 *     the newest not-deployed ones up to N in total; older not-deployed commit images expire.
 *  4. any, older than commitImageMaxAgeDays → expire. Catches images with foreign tags
 *     (`latest`, hand-pushed ones). It cannot touch commit images: by (b) rule 3 shields all of
 *     them. ECR cannot put both a count and an age limit on one tag set (the first rule matching
 *     it shields the set from the second), so the age limit for *not deployed* commit images is
 *     enforced by the bot instead (ImageService.pruneStaleCommitImages), from the periodic sweep.
 *
 * Repositories may stay IMMUTABLE: adding a `deployed-*` tag to an existing digest or removing
 * one never overwrites a tag that points elsewhere (the bot removes an env's old tag first).
 */
export function buildLifecyclePolicy(opts: LifecyclePolicyOptions): { rules: Array<Record<string, unknown>> } {
  const keep = positiveInt(opts.keepCommitImages, 'keepCommitImages');
  const maxAge = positiveInt(opts.commitImageMaxAgeDays, 'commitImageMaxAgeDays');
  return {
    rules: [
      rule(1, 'Expire untagged images after 1 day', { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 }),
      rule(2, 'Protect images that an environment runs (deployed-*): matching here shields them from later rules', {
        tagStatus: 'tagged',
        tagPrefixList: [DEPLOYED_TAG_PREFIX],
        countType: 'imageCountMoreThan',
        countNumber: PROTECTED_COUNT,
      }),
      rule(3, `Keep the ${keep} newest commit images (c-*); older ones not deployed anywhere expire`, {
        tagStatus: 'tagged',
        tagPrefixList: [COMMIT_TAG_PREFIX],
        countType: 'imageCountMoreThan',
        countNumber: keep,
      }),
      rule(4, `Expire images with any other tag after ${maxAge} days`, {
        tagStatus: 'any',
        countType: 'sinceImagePushed',
        countUnit: 'days',
        countNumber: maxAge,
      }),
    ],
  };
}

/** Far above any possible number of environments (ALB: 100 target groups), so rule 2 never expires. */
export const PROTECTED_COUNT = 9999;

function rule(rulePriority: number, description: string, selection: Record<string, unknown>): Record<string, unknown> {
  return { rulePriority, description, selection, action: { type: 'expire' } };
}

function positiveInt(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new Error(`building the ECR lifecycle policy: ${name} must be a whole number ≥ 1 (got ${value})`);
  return value;
}
