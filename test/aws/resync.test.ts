import { describe, expect, it } from 'vitest';
import { DeleteServiceCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { inventory } from '../support/aws-inventory.js';
import { cli, engineFixture } from '../support/engine-fixture.js';

describe('resync and orphan sweep', () => {
  it('repairs drift, learns of scheduled stops, and deletes orphans', async () => {
    const f = await engineFixture('resync');
    for (const n of ['drift', 'night', 'orphan']) await f.engine.runText(cli(), `up ${n}`);
    await f.engine.idle();

    // Drift: someone deleted a service by hand.
    await f.clients.ecs.send(new DeleteServiceCommand({ cluster: f.config.cluster, service: 'envbot-drift', force: true }));
    // A schedule scaled this one to zero while the bot was down.
    await f.clients.ecs.send(new UpdateServiceCommand({ cluster: f.config.cluster, service: 'envbot-night', desiredCount: 0 }));
    // Orphan: resources exist, the record is gone (e.g. the table was restored from an old backup).
    const orphan = await f.engine.store.get('orphan');
    await f.engine.store.remove('orphan', orphan!.version);

    const report = await f.engine.resync.runOnce();
    await f.engine.idle();

    expect(report.kicked).toEqual(['drift']);
    expect(report.stoppedBySchedule).toEqual(['night']);
    expect(report.sweep.deleted.sort()).toEqual(['rule:orphan.envs.example.com', 'service:envbot-orphan', 'target-group:eb-orphan-8080']);
    expect(await inventory(f.clients, f.infra, 'drift')).toMatchObject({ services: 1, desiredCount: 1 });
    expect(await f.engine.store.get('night')).toMatchObject({ desired: 'stopped', status: 'stopped' });
    expect(await inventory(f.clients, f.infra, 'orphan')).toMatchObject({ services: 0, targetGroups: 0, rules: 0, taskDefs: 0 });

    // A second pass finds nothing to do.
    const again = await f.engine.resync.runOnce();
    expect(again).toMatchObject({ kicked: [], stoppedBySchedule: [], sweep: { deleted: [] } });
  });
});
