import type { EcsServices } from '../aws/ecs.js';

type Service = NonNullable<Awaited<ReturnType<EcsServices['describeService']>>>;
type Deployment = NonNullable<Service['deployments']>[number];

export interface SteadyOptions {
  timeoutMs: number;
  sleep?: ((ms: number) => Promise<void>) | undefined;
  now?: () => number;
  /** Shutdown: stop waiting and hand the environment back (the next run or replica resumes). */
  signal?: AbortSignal | undefined;
}

/**
 * Polls the service until its primary deployment has the desired tasks running, with backoff
 * (1 s → 10 s). Fails early when the deployment circuit breaker gives up.
 */
export async function waitForSteady(
  ecs: EcsServices,
  serviceName: string,
  opts: SteadyOptions,
): Promise<{ ok: true } | { ok: false; reason: string; handedBack?: boolean }> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = opts.now ?? Date.now;
  const deadline = now() + opts.timeoutMs;
  let delay = 1000;
  for (;;) {
    if (opts.signal?.aborted) return { ok: false, reason: 'the bot is shutting down', handedBack: true };
    const svc = await ecs.describeService(serviceName);
    if (!svc) return { ok: false, reason: 'the service disappeared' };
    const primary = svc.deployments?.find((d) => d.status === 'PRIMARY');
    if (primary?.rolloutState === 'FAILED') return { ok: false, reason: primary.rolloutStateReason ?? 'the deployment failed' };
    if (isSteady(svc, primary)) {
      return { ok: true };
    }
    if (now() >= deadline) return { ok: false, reason: `not healthy after ${Math.round(opts.timeoutMs / 1000)} s` };
    await abortable(sleep(delay), opts.signal);
    delay = Math.min(delay * 2, 10_000);
  }
}

/**
 * Running as asked. Scaled to zero, that means no task is left: ECS keeps the old tasks RUNNING
 * (and billed) through the deregistration delay and stopTimeout, so `running >= 0` is no answer.
 */
function isSteady(svc: Service, primary: Deployment | undefined): boolean {
  const desired = svc.desiredCount ?? 0;
  const running = svc.runningCount ?? 0;
  const settled = (svc.deployments?.length ?? 0) <= 1 && primary?.rolloutState !== 'IN_PROGRESS';
  if (desired === 0) return settled && running === 0 && (svc.pendingCount ?? 0) === 0;
  return settled && running >= desired;
}

/** Resolves when the sleep ends or the signal aborts, whichever comes first. */
function abortable(p: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return p;
  let onAbort = () => {};
  const aborted = new Promise<void>((resolve) => {
    onAbort = () => resolve();
    signal.addEventListener('abort', onAbort, { once: true });
  });
  // Every poll of every waiting environment would otherwise leave a listener on the one shutdown signal.
  return Promise.race([p, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}
