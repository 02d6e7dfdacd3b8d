/**
 * How envbot names image tags in ECR. The lifecycle policy (lifecycle-policy.ts), the buildspec
 * (IMAGE_TAG="c-${COMMIT_SHA}") and the image service all rely on these two prefixes.
 *
 * - `c-<full sha>`: the one tag a build pushes. A prefix is needed because ECR lifecycle rules
 *   select images by tag *prefix* (or wildcard pattern), and a bare hex SHA has no common prefix:
 *   a `tagPrefixList` of 16 hex digits would be an AND, not an OR. The full 40-character SHA
 *   (not the short one) keeps "same tag ⇔ same commit" true forever.
 * - `deployed-<env>`: added by the bot (ECR PutImage with the same manifest, so no new push)
 *   while an environment runs that image; removed on teardown or when the environment moves to
 *   another commit. It is what protects a running image from the lifecycle policy.
 *
 * Both fit ECR's tag limits (`[A-Za-z0-9_.-]`, ≤ 128 chars): env names are DNS labels.
 */
export const COMMIT_TAG_PREFIX = 'c-';
export const DEPLOYED_TAG_PREFIX = 'deployed-';

const SHA = /^[0-9a-f]{40}$/;

export function commitTag(commit: string): string {
  if (!SHA.test(commit)) throw new Error(`tagging an image: "${commit}" is not a full 40-character commit SHA`);
  return `${COMMIT_TAG_PREFIX}${commit}`;
}

export function deployedTag(env: string): string {
  return `${DEPLOYED_TAG_PREFIX}${env}`;
}

export function isDeployedTag(tag: string): boolean {
  return tag.startsWith(DEPLOYED_TAG_PREFIX);
}
