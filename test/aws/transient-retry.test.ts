import { describe, expect, it } from 'vitest';
import { engineFixture, slackUser } from '../support/engine-fixture.js';

describe('transient AWS errors', () => {
  it('a throttled step is retried with backoff instead of failing the environment', async () => {
    const f = await engineFixture('retry', { env: {} });
    let throttles = 3;
    // Throttle CreateRule beyond the SDK's own retries (they are set to 3 attempts in tests).
    f.clients.elb.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'CreateRuleCommand' && throttles > 0) {
          throttles--;
          throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
        }
        return next(args);
      },
      { step: 'initialize', name: 'throttleCreateRule' },
    );
    await f.engine.runText(slackUser('U1'), 'up bumpy');
    await f.engine.idle();
    expect(throttles).toBe(0);
    expect(await f.engine.store.get('bumpy')).toMatchObject({ status: 'ready', url: 'https://bumpy.envs.example.com' });
    expect(f.notices.kinds('bumpy')).not.toContain('failed');
  });

  it('a terminal error fails at once with the reason', async () => {
    const f = await engineFixture('terminal', { env: { ENVBOT_DEFAULT_IMAGE: '' } });
    await f.engine.runText(slackUser('U1'), 'up no-image');
    await f.engine.idle();
    expect(await f.engine.store.get('no-image')).toMatchObject({
      status: 'failed',
      statusReason: 'choosing an image for no-image: no image was given and none is configured — run `/env up no-image --image <uri>` or set ENVBOT_DEFAULT_IMAGE',
    });
  });
});
