import type { Config } from '../config.js';
import { parseImageRef, type ImageRef } from './image-ref.js';

/**
 * Which `--image` URIs `up` may deploy. An environment runs its image with the base and profile
 * secrets (stage included), so "any image" means "any code anyone published, with our secrets".
 * Allowed:
 *  - envbot's own ECR repository (the only private repository the execution role can pull from;
 *    another account's or repository's image would only fail later, at task start);
 *  - the repository of the configured default image (ENVBOT_DEFAULT_IMAGE);
 *  - what an admin lists in ENVBOT_ALLOWED_IMAGES: `registry/repository` patterns, `*` matching
 *    anything, e.g. `public.ecr.aws/nginx/*,docker.io/library/*,ghcr.io/acme/*`.
 * The command layer calls this before it records anything (app/src/commands/handlers/up.ts).
 */
export type ImageCheck = { ok: true; ref: ImageRef } | { ok: false; reason: string };

/** ECS accepts image names up to 255 characters. */
const MAX_IMAGE_LENGTH = 255;

export function checkImageAllowed(uri: string, config: Pick<Config, 'aws' | 'ecrRepository' | 'defaultImage' | 'builds'>): ImageCheck {
  const ref = uri.length <= MAX_IMAGE_LENGTH ? parseImageRef(uri) : undefined;
  if (!ref) {
    return { ok: false, reason: `\`${uri.slice(0, 80)}\` is not an image reference — use <registry>/<repository>:<tag> or …@sha256:<digest>` };
  }
  const name = `${ref.registry}/${ref.repository}`;
  if (isOwnRepository(ref, config)) return { ok: true, ref };
  const defaultRef = config.defaultImage ? parseImageRef(config.defaultImage) : undefined;
  if (defaultRef && `${defaultRef.registry}/${defaultRef.repository}` === name) return { ok: true, ref };
  if (config.builds.allowedImages.some((pattern) => patternMatches(pattern, name))) return { ok: true, ref };
  const allowed = [ownRepositoryLabel(config), ...(defaultRef ? [`${defaultRef.registry}/${defaultRef.repository}`] : []), ...config.builds.allowedImages];
  return {
    ok: false,
    reason:
      `images from \`${name}\` are not allowed: envbot deploys images from ${allowed.map((a) => `\`${a}\``).join(', ')}` +
      ' — push the image there, or ask an admin to add it to ENVBOT_ALLOWED_IMAGES',
  };
}

function isOwnRepository(ref: ImageRef, config: Pick<Config, 'aws' | 'ecrRepository'>): boolean {
  if (ref.repository !== config.ecrRepository) return false;
  const registry = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com$/.exec(ref.registry);
  if (!registry || registry[2] !== config.aws.region) return false;
  // Without a configured account (local mode) the account cannot be checked; with one it must match.
  return !config.aws.accountId || registry[1] === config.aws.accountId;
}

function ownRepositoryLabel(config: Pick<Config, 'aws' | 'ecrRepository'>): string {
  return `${config.aws.accountId ?? '<account>'}.dkr.ecr.${config.aws.region}.amazonaws.com/${config.ecrRepository}`;
}

/** `registry/repository` pattern, `*` = any characters; a bare Docker Hub name means docker.io/library/<name>. */
function patternMatches(pattern: string, name: string): boolean {
  const normal = normalizePattern(pattern.trim().toLowerCase());
  const re = new RegExp(`^${normal.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(name);
}

function normalizePattern(pattern: string): string {
  const first = pattern.split('/')[0] ?? '';
  if (pattern.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) return pattern;
  return pattern.includes('/') ? `docker.io/${pattern}` : `docker.io/library/${pattern}`;
}
