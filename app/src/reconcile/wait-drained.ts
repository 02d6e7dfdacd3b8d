import type { EcsServices } from '../aws/ecs.js';

export interface DrainOptions {
  timeoutMs: number;
  sleep?: ((ms: number) => Promise<void>) | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * A deleted service stays DRAINING until its tasks have stopped, and ECS refuses to create a
 * service of the same name until then. Polls (2 s → 20 s) until it is INACTIVE or gone; the
 * bound is counted in time slept, so a test clock that moves on sleep passes through it.
 */
export async function waitUntilDrained(
  ecs: EcsServices,
  serviceName: string,
  opts: DrainOptions,
): Promise<{ drained: true } | { drained: false; handedBack: boolean; reason: string }> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let waited = 0;
  let delay = 2000;
  for (;;) {
    const svc = await ecs.serviceInAnyState(serviceName);
    if (!svc || svc.status === 'INACTIVE' || svc.status === 'ACTIVE') return { drained: true };
    if (opts.signal?.aborted) return { drained: false, handedBack: true, reason: 'the bot is shutting down' };
    if (waited >= opts.timeoutMs) {
      return { drained: false, handedBack: false, reason: `the previous service is still ${svc.status} after ${Math.round(waited / 1000)} s` };
    }
    await sleep(delay);
    waited += delay;
    delay = Math.min(delay * 2, 20_000);
  }
}
