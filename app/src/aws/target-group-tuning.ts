import type { SizeName } from '../environments/sizes.js';
import { vcpuOf } from '../environments/sizes.js';

/**
 * Target group and service settings tuned for throw-away environments (time to URL, time to stop).
 * Sources: docs/aws-behaviours.md ("Time to URL and time to stop").
 */
export const TARGET_GROUP_TUNING = {
  /** ALB's minimum interval; the ECS guide's "fast" setting (5 s, threshold 2). */
  healthCheckIntervalSeconds: 5,
  /** Must be below the interval (2–120 s allowed). */
  healthCheckTimeoutSeconds: 4,
  /** Minimum allowed. A new target needs one passing check anyway (ECS guide). */
  healthyThresholdCount: 2,
  /** 3 × 5 s = 15 s of failures before a task is replaced: one GC pause does not flap it. */
  unhealthyThresholdCount: 3,
  /** AWS default 300 s keeps a stopped task running (and billed) 5 min; the ECS guide's 5 s for short requests. */
  deregistrationDelaySeconds: 5,
} as const;

/**
 * ECS ignores failing load balancer health checks this long after a task starts. A JVM app's
 * start-up is CPU-bound, so it scales with 1/vCPU: a Spring Boot app that is up in ~20 s on 1 vCPU
 * needs well over a minute on 0.25 vCPU. A long grace costs nothing when the app is healthy (one
 * passing check makes a new target healthy); it only delays replacing a task that never starts.
 */
export function healthCheckGraceSecondsFor(size: SizeName): number {
  return Math.min(300, Math.max(60, Math.round(75 / vcpuOf(size))));
}
