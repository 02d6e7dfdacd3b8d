import { beforeAll, describe, expect, it } from 'vitest';
import { DOWN_STEPS, stepsOf, UP_STEPS } from '../../app/src/reconcile/steps/index.js';
import { inventory } from '../support/aws-inventory.js';
import { cli, engineFixture, type EngineFixture } from '../support/engine-fixture.js';
import { SimulatedCrash } from '../support/simulated-crash.js';

/** The reconciler's own step lists; a crash after the last step is no crash (the run is over). */
const UP = stepsOf(UP_STEPS).map((s) => s.name).slice(0, -1);
const DOWN = stepsOf(DOWN_STEPS).map((s) => s.name).slice(0, -1);

/**
 * The bot is "killed" right after each step in turn (the hook throws, the run ends there); the
 * next run must converge to the same end state with nothing duplicated or left behind.
 */
describe('crash safety', () => {
  let f: EngineFixture;
  let crashAt: { step: string; env: string } | undefined;

  beforeAll(async () => {
    f = await engineFixture('crash', {
      afterStep: (step, env) => {
        if (crashAt && crashAt.step === step && crashAt.env === env) {
          crashAt = undefined;
          throw new SimulatedCrash(`killed after ${step}`);
        }
      },
    });
  });

  it.each(UP)('up killed after "%s" converges on the next run', async (step) => {
    const env = `up-${step}`;
    crashAt = { step, env };
    await f.engine.runText(cli(), `up ${env}`);
    await f.engine.idle();
    expect(crashAt).toBeUndefined(); // the crash really happened
    expect((await f.engine.store.get(env))?.status).not.toBe('ready');

    f.engine.queue.kick(env);
    await f.engine.idle();
    expect((await f.engine.store.get(env))?.status).toBe('ready');
    expect(await inventory(f.clients, f.infra, env)).toMatchObject({ services: 1, desiredCount: 1, taskDefs: 1, targetGroups: 1, rules: 1 });

    // A third run is a no-op.
    f.engine.queue.kick(env);
    await f.engine.idle();
    expect(await inventory(f.clients, f.infra, env)).toMatchObject({ services: 1, taskDefs: 1, targetGroups: 1, rules: 1 });
  });

  it.each(DOWN)('down killed after "%s" finishes on the next run', async (step) => {
    const env = `dn-${step}`.slice(0, 28).replace(/-$/, '');
    await f.engine.runText(cli(), `up ${env}`);
    await f.engine.idle();
    crashAt = { step, env };
    await f.engine.runText(cli(), `down ${env}`);
    await f.engine.idle();
    expect(crashAt).toBeUndefined();
    expect(await f.engine.store.get(env)).toBeDefined();

    f.engine.queue.kick(env);
    await f.engine.idle();
    expect(await f.engine.store.get(env)).toBeUndefined();
    expect(await inventory(f.clients, f.infra, env)).toMatchObject({ services: 0, taskDefs: 0, targetGroups: 0, rules: 0 });
  });
});
