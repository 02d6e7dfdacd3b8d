import { healthCheckGraceSecondsFor, TARGET_GROUP_TUNING } from '../app/src/aws/target-group-tuning.js';
import type { BenchResult } from './cost-summary.bench.js';

/**
 * Modelled (not measured) time to URL and time to stop of an environment, before and after the
 * target group / service tuning of issue 12, from AWS's published figures. Only the ALB and ECS
 * settings differ between the two columns; Fargate's own start time and the app's start-up are
 * the same assumptions on both sides and are labelled as such.
 */

export const TIME_MODEL_SOURCES = [
  'ALB health check defaults (interval 30 s, healthy threshold 5), "a newly registered target needs one passing check", fast setting 5 s / 2: ' +
    'Amazon ECS Developer Guide, "Optimize load balancer health check parameters for Amazon ECS", https://docs.aws.amazon.com/AmazonECS/latest/developerguide/load-balancer-healthcheck.html',
  'Deregistration delay default 300 s; 5 s for services answering in under 1 s: Amazon ECS Developer Guide, "Optimize load balancer connection draining parameters for Amazon ECS", ' +
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/load-balancer-connection-draining.html',
  'Allowed health check ranges (interval 5–300 s, timeout 2–120 s, thresholds 2–10): Elastic Load Balancing, "Health checks for Application Load Balancer target groups", ' +
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html',
  'Grace period: ECS ignores failing load balancer health checks for healthCheckGracePeriodSeconds after a task starts, then replaces an unhealthy task: ' +
    'Amazon ECS API Reference, CreateService, https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html',
  'A deleted service stays DRAINING until its tasks are STOPPING/STOPPED, and its name cannot be reused meanwhile: Amazon ECS API Reference, DeleteService, ' +
    'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeleteService.html',
  'Fargate bills per second from image pull start until the task stops (1-minute minimum): AWS Fargate pricing, https://aws.amazon.com/fargate/pricing/',
];

/** Assumptions, the same before and after (stated in the output). */
const FARGATE_START_S = 60; // ENI attach + image pull + container start of a small image
const SPRING_BOOT_START_S = { xs: 90, m: 25 } as const; // CPU-bound JVM start-up: ~1/vCPU
const SMALL_APP_START_S = 2;
const APP_SHUTDOWN_S = 2; // after SIGTERM, an app that handles it

/** envbot before issue 12: interval 10 s, thresholds 2/2 (the AWS default unhealthy threshold), no deregistration delay set (300 s), grace 60 s. */
const BEFORE = { interval: 10, unhealthy: 2, deregistration: 300, grace: () => 60 };
const AFTER = {
  interval: TARGET_GROUP_TUNING.healthCheckIntervalSeconds,
  unhealthy: TARGET_GROUP_TUNING.unhealthyThresholdCount,
  deregistration: TARGET_GROUP_TUNING.deregistrationDelaySeconds,
  grace: healthCheckGraceSecondsFor,
};
type Settings = typeof BEFORE | typeof AFTER;

/**
 * Seconds from "task placed" to the URL answering, worst case (the first check comes at most one
 * interval after the app is up), or Infinity when ECS replaces the task before it is ever healthy.
 */
export function timeToUrl(s: Settings, size: 'xs' | 'm', appStartS: number): number {
  // Failing checks start with registration; after the grace period ECS replaces an unhealthy task.
  if (appStartS > s.grace(size)) return Number.POSITIVE_INFINITY;
  return FARGATE_START_S + appStartS + s.interval;
}

/** Seconds from stop/down until the task is STOPPED (billing ends, the service can leave DRAINING). */
export function timeToStop(s: Settings): number {
  return s.deregistration + APP_SHUTDOWN_S;
}

export function benchTimeModel(): BenchResult[] {
  const row = (name: string, before: number, after: number): BenchResult[] => [
    { name: `${name} — before`, value: Number.isFinite(before) ? before : -1, unit: Number.isFinite(before) ? 's' : 's (never: task replaced at end of grace)' },
    { name: `${name} — after`, value: after, unit: 's' },
  ];
  return [
    ...row('URL, small app (2 s start)', timeToUrl(BEFORE, 'xs', SMALL_APP_START_S), timeToUrl(AFTER, 'xs', SMALL_APP_START_S)),
    ...row('URL, Spring Boot on xs (0.25 vCPU, 90 s start)', timeToUrl(BEFORE, 'xs', SPRING_BOOT_START_S.xs), timeToUrl(AFTER, 'xs', SPRING_BOOT_START_S.xs)),
    ...row('URL, Spring Boot on m (1 vCPU, 25 s start)', timeToUrl(BEFORE, 'm', SPRING_BOOT_START_S.m), timeToUrl(AFTER, 'm', SPRING_BOOT_START_S.m)),
    ...row('stop/down → task stopped (billing ends)', timeToStop(BEFORE), timeToStop(AFTER)),
    ...row('`up` right after `down`: wait for DRAINING', timeToStop(BEFORE), timeToStop(AFTER)),
    ...row('broken app detected after grace (xs)', BEFORE.grace() + BEFORE.unhealthy * BEFORE.interval, AFTER.grace('xs') + AFTER.unhealthy * AFTER.interval),
  ];
}

export const TIME_MODEL_ASSUMPTIONS =
  `assumed on both sides: Fargate start ${FARGATE_START_S} s, Spring Boot start ${SPRING_BOOT_START_S.xs} s on 0.25 vCPU / ${SPRING_BOOT_START_S.m} s on 1 vCPU, ` +
  `small app ${SMALL_APP_START_S} s, shutdown after SIGTERM ${APP_SHUTDOWN_S} s; "before" = interval ${BEFORE.interval} s, deregistration delay ${BEFORE.deregistration} s (AWS default), grace 60 s`;
