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

  it('a step throttled past the last retry fails the environment with the reason', async () => {
    const f = await engineFixture('giveup', { backoff: { baseMs: 1, capMs: 4, maxRetries: 2 } });
    let createRuleCalls = 0;
    f.clients.elb.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'CreateRuleCommand') {
          createRuleCalls++;
          throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
        }
        return next(args);
      },
      { step: 'initialize', name: 'throttleCreateRuleForever' },
    );
    await f.engine.runText(slackUser('U1'), 'up stuck');
    await f.engine.idle();
    expect(await f.engine.store.get('stuck')).toMatchObject({
      status: 'failed',
      statusReason: expect.stringMatching(/^creating the load balancer rule for stuck\.\S+: Rate exceeded$/),
    });
    expect(f.notices.kinds('stuck')).toContain('failed');
    expect(createRuleCalls).toBe(3); // the first run and two retries (the SDK's own retries do not pass this middleware)
  });
});
