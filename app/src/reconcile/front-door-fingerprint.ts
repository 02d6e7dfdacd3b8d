import { createHash } from 'node:crypto';
import type { Config } from '../config.js';
import { PROFILE_NAMES } from '../environments/profiles.js';

/**
 * A digest of every setting the environments' listener rules are made from (protection, the
 * bypass header and its secret, the identity provider, the waking group, each profile's mode).
 * The resync compares it with the last one applied: a change (a rotated bypass secret after the
 * bot's redeploy, a new network in the allow-list) makes it reconcile every environment once, so
 * the rule diff rewrites the rules. The secrets enter only through SHA-256 (one-way; the bypass
 * secret is at least 32 random characters), never as themselves.
 */
export function frontDoorFingerprint(config: Config): string {
  const profiles = Object.fromEntries(PROFILE_NAMES.map((n) => [n, config.profiles[n].protection ?? null]));
  const inputs = { protection: config.protection, wakeTargetGroupArn: config.wake.targetGroupArn ?? null, profiles };
  return createHash('sha256').update(JSON.stringify(inputs)).digest('hex');
}
