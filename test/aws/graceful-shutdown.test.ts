import { describe, expect, it } from 'vitest';
import type { DescribeServicesCommandOutput } from '@aws-sdk/client-ecs';
import { engineFixture, slackUser } from '../support/engine-fixture.js';

describe('graceful shutdown', () => {
  it('hands back an environment that is waiting for health and releases its lease', async () => {
    const f = await engineFixture('shutdown', { sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 50))) });
    // moto reports services as running at once; here they never become healthy, like a slow app.
    f.clients.ecs.middlewareStack.add(
      (next, context) => async (args) => {
        const out = await next(args);
        if (context.commandName === 'DescribeServicesCommand') {
          for (const s of (out.output as DescribeServicesCommandOutput).services ?? []) s.runningCount = 0;
        }
        return out;
      },
      { step: 'initialize', name: 'neverHealthy' },
    );
    await f.engine.runText(slackUser('U1'), 'up slow-app');
    for (let i = 0; i < 200 && (await f.engine.store.get('slow-app'))?.status !== 'waiting-health'; i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
    expect((await f.engine.store.get('slow-app'))?.status).toBe('waiting-health');

    await f.engine.stop();

    // Not marked failed: the next run resumes the wait. The lease is free for another replica.
    expect((await f.engine.store.get('slow-app'))?.status).toBe('waiting-health');
    expect(await f.engine.store.acquireLease('slow-app', 'other-replica', 60_000)).toBe(true);
    // No new work is taken after stop.
    await f.engine.runText(slackUser('U1'), 'stop slow-app');
    await f.engine.idle();
    expect((await f.engine.store.get('slow-app'))?.status).toBe('stopping');
  });
});
