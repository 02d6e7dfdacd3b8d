import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { EcsServices } from '../../app/src/aws/ecs.js';
import { waitForSteady } from '../../app/src/reconcile/wait-steady.js';

/**
 * The listener bookkeeping is in-process, whatever ECS answers, so a stand-in for the adapter that
 * reports "still deploying" a few times is enough here (the AWS behaviour is covered in test/aws).
 */
function ecsSteadyAfter(polls: number): EcsServices {
  let n = 0;
  const service = () => ({
    status: 'ACTIVE',
    desiredCount: 1,
    runningCount: ++n > polls ? 1 : 0,
    deployments: [{ status: 'PRIMARY', rolloutState: n > polls ? 'COMPLETED' : 'IN_PROGRESS' }],
  });
  return { describeService: async () => service() } as unknown as EcsServices;
}

describe('waitForSteady', () => {
  it('leaves no abort listener on the shutdown signal after a long wait', async () => {
    const shutdown = new AbortController();
    const result = await waitForSteady(ecsSteadyAfter(40), 'envbot-x', { timeoutMs: 3_600_000, sleep: async () => {}, signal: shutdown.signal });
    expect(result).toEqual({ ok: true });
    expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(0);
  });

  it('still ends the wait at once when the bot shuts down', async () => {
    const shutdown = new AbortController();
    const waiting = waitForSteady(ecsSteadyAfter(Infinity), 'envbot-x', {
      timeoutMs: 3_600_000,
      sleep: () => new Promise(() => {}),
      signal: shutdown.signal,
    });
    setTimeout(() => shutdown.abort(), 10);
    expect(await waiting).toMatchObject({ ok: false, handedBack: true });
  });
});
