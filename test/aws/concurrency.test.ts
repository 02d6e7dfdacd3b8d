import { describe, expect, it } from 'vitest';
import type { CreateServiceCommandInput } from '@aws-sdk/client-ecs';
import { Engine } from '../../app/src/engine/engine.js';
import { inventory } from '../support/aws-inventory.js';
import { cli, engineFixture, silentLog, slackUser } from '../support/engine-fixture.js';

describe('concurrency', () => {
  it('20 concurrent `up` of the same name, across two bot replicas, yield one environment', async () => {
    const f = await engineFixture('same');
    // A second replica: same table, same AWS, its own queue and lease holder id.
    const replica = new Engine({ config: f.config, clients: f.clients, log: silentLog, sleep: async () => {} });
    const creates: CreateServiceCommandInput[] = [];
    f.clients.ecs.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'CreateServiceCommand') creates.push(args.input as CreateServiceCommandInput);
        return next(args);
      },
      { step: 'initialize' },
    );
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? replica : f.engine).runText(slackUser('U1'), 'up shared-env')),
    );
    expect(results.every((r) => r.kind === 'accepted')).toBe(true);
    expect(results.filter((r) => r.text.startsWith('Bringing up')).length).toBe(1);
    await Promise.all([f.engine.idle(), replica.idle()]);
    // The replica that lost the lease retries later; give it a run to show it is a no-op.
    replica.queue.kick('shared-env');
    await replica.idle();
    await new Promise((r) => setTimeout(r, 50));
    await f.engine.idle();

    expect(creates).toHaveLength(1);
    expect(await inventory(f.clients, f.infra, 'shared-env')).toMatchObject({ services: 1, taskDefs: 1, targetGroups: 1, rules: 1 });
    expect((await f.engine.store.list()).map((r) => r.name)).toEqual(['shared-env']);
    await replica.stop();
  });

  it('20 concurrent `up` of different names yield 20 environments with distinct rule priorities', async () => {
    const f = await engineFixture('many');
    const names = Array.from({ length: 20 }, (_, i) => `env-${i}`);
    await Promise.all(names.map((n) => f.engine.runText(cli(), `up ${n}`)));
    await f.engine.idle();
    const records = await f.engine.store.list();
    expect(records.map((r) => r.status)).toEqual(Array(20).fill('ready'));
    const priorities: number[] = [];
    for (const n of names) {
      const inv = await inventory(f.clients, f.infra, n);
      expect(inv).toMatchObject({ services: 1, targetGroups: 1, rules: 1 });
      priorities.push(...inv.priorities);
    }
    expect(new Set(priorities).size).toBe(20);
    expect(new Set(records.map((r) => r.rulePriority)).size).toBe(20);
  });
});

describe('quotas under concurrency', () => {
  it('6 simultaneous `up` by one user with a limit of 3 create exactly 3', async () => {
    const f = await engineFixture('quota', { env: { ENVBOT_MAX_PER_USER: '3' } });
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => f.engine.runText(slackUser('U9'), `up q-${i}`)));
    await f.engine.idle();
    expect(results.filter((r) => r.kind === 'accepted')).toHaveLength(3);
    const refusals = results.filter((r) => r.kind === 'refused');
    expect(refusals).toHaveLength(3);
    for (const r of refusals) expect(r.text).toMatch(/^Not creating q-\d: you already have 3 environments \(limit 3\)/);
    expect((await f.engine.store.list()).filter((r) => r.owner === 'slack:U9')).toHaveLength(3);
  });
});
