import { createHash } from 'node:crypto';

/**
 * The names envbot gives each environment's AWS resources. They are deterministic, so every step
 * finds its resource by name before creating it, and a crash after any step is finished by the next run.
 */

export const SERVICE_NAME_PREFIX = 'envbot-';

/** The ECS service of an environment. */
export function serviceNameFor(env: string): string {
  return `${SERVICE_NAME_PREFIX}${env}`;
}

export function envFromServiceName(serviceName: string): string | undefined {
  return serviceName.startsWith(SERVICE_NAME_PREFIX) ? serviceName.slice(SERVICE_NAME_PREFIX.length) : undefined;
}

/** The task definition family of an environment. */
export function familyFor(env: string): string {
  return `envbot-${env}`;
}

export const TARGET_GROUP_PREFIX = 'eb-';
const MAX_TARGET_GROUP_NAME = 32;

/**
 * A target group's port cannot change, so each (environment, port) has its own, named
 * deterministically (≤ 32 characters; a long name keeps a hash of the environment name).
 */
export function targetGroupNameFor(env: string, port: number): string {
  const full = `${TARGET_GROUP_PREFIX}${env}-${port}`;
  if (full.length <= MAX_TARGET_GROUP_NAME) return full;
  const hash = createHash('sha256').update(env).digest('hex').slice(0, 4);
  const room = MAX_TARGET_GROUP_NAME - TARGET_GROUP_PREFIX.length - `-${hash}-${port}`.length;
  return `${TARGET_GROUP_PREFIX}${env.slice(0, room).replace(/-+$/, '')}-${hash}-${port}`;
}

/** The name envbot used before target groups were per port; such a group is kept while its port fits. */
export function legacyTargetGroupNameFor(env: string): string {
  return `${TARGET_GROUP_PREFIX}${env}`;
}
