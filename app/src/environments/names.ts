import { createHash } from 'node:crypto';

/**
 * Environment names go into DNS labels, target group names (32 chars, with our `eb-` prefix),
 * ECS service names and SSM paths. 28 characters leaves room for the prefix everywhere.
 */
export const MAX_ENV_NAME_LENGTH = 28;
const HASH_LENGTH = 6;
const VALID_NAME = /^[a-z](?:[a-z0-9-]*[a-z0-9])?$/;

export type NameResult = { ok: true; name: string } | { ok: false; reason: string };

/** `feature/JIRA-123_Login` → `feature-jira-123-login`; long names get a stable hash suffix. */
export function envNameFromBranch(branch: string): NameResult {
  const trimmed = branch.trim().replace(/^refs\/heads\//, '');
  if (trimmed.length === 0) return { ok: false, reason: 'the branch name is empty' };
  if (trimmed.length > 255) return { ok: false, reason: 'the branch name is longer than 255 characters' };
  let slug = trimmed
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length === 0) {
    return { ok: false, reason: `"${branch}" has no letters or digits to build a name from` };
  }
  if (!/^[a-z]/.test(slug)) slug = `b-${slug}`;
  if (slug.length <= MAX_ENV_NAME_LENGTH) return { ok: true, name: slug };
  return { ok: true, name: withHash(slug, trimmed) };
}

/**
 * The collision-safe variant: used when the readable slug is already taken by another branch
 * (`a/b` and `a_b` both slug to `a-b`). Same branch → same name, always.
 */
export function hashedEnvName(branch: string): NameResult {
  const base = envNameFromBranch(branch);
  if (!base.ok) return base;
  const trimmed = branch.trim().replace(/^refs\/heads\//, '');
  return { ok: true, name: withHash(base.name, trimmed) };
}

function withHash(slug: string, original: string): string {
  const hash = createHash('sha256').update(original).digest('hex').slice(0, HASH_LENGTH);
  const head = slug.slice(0, MAX_ENV_NAME_LENGTH - HASH_LENGTH - 1).replace(/-+$/, '');
  return `${head}-${hash}`;
}

/** Validates a name typed by a user (`/env up my-env`). */
export function validateEnvName(name: string): NameResult {
  if (name.length === 0) return { ok: false, reason: 'the environment name is empty' };
  if (name.length > MAX_ENV_NAME_LENGTH) {
    return {
      ok: false,
      reason: `"${name}" is ${name.length} characters; names are at most ${MAX_ENV_NAME_LENGTH} (use --branch to derive a shorter one)`,
    };
  }
  if (!VALID_NAME.test(name)) {
    return {
      ok: false,
      reason: `"${name}" is not a valid name: use lower-case letters, digits and dashes, starting with a letter (e.g. feature-x)`,
    };
  }
  if (name.includes('--')) return { ok: false, reason: `"${name}" has a double dash; use single dashes` };
  if (RESERVED_NAMES.has(name)) return { ok: false, reason: `"${name}" is reserved; pick another name` };
  return { ok: true, name };
}

/** Host names the bot itself or the load balancer use. */
export const RESERVED_NAMES = new Set(['envbot', 'www']);

export function hostFor(name: string, domain: string): string {
  return `${name}.${domain}`;
}
