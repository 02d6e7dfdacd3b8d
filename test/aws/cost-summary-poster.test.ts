import { describe, expect, it } from 'vitest';
import { composeEngine } from '../../app/src/compose.js';
import { startCostSummaries } from '../../app/src/slack/cost-summary-poster.js';
import { configFor, silentLog } from '../support/engine-fixture.js';
import { emulatorClients, sharedInfra } from '../support/aws-fixture.js';

describe('scheduled cost summary', () => {
  it('posts the daily and weekly summary once per period, across replicas', async () => {
    const clients = emulatorClients();
    const infra = await sharedInfra(clients, 'poster');
    const config = configFor(infra, { ENVBOT_COST_CHANNEL: 'C0COST', SLACK_BOT_TOKEN: 'xoxb-test' });
    const posts: { channel: string; text: string; blocks: unknown[] }[] = [];
    const post = async (channel: string, m: { text: string; blocks: unknown[] }) => void posts.push({ channel, ...m });
    const replicas = [0, 1].map(() => {
      const { engine, cost } = composeEngine({ config, clients, log: silentLog });
      return startCostSummaries({ engine, config, log: silentLog, cost, post, intervalMs: 3_600_000 });
    });
    // Monday 2026-11-23 09:05 in Seoul: both the daily and the weekly summary are due.
    const monday = new Date('2026-11-23T00:05:00Z');
    const posted = (await Promise.all(replicas.map((r) => r.tick(monday)))).flat().sort();
    expect(posted).toEqual(['daily:2026-11-23', 'weekly:2026-11-23']);
    expect(posts.map((p) => p.channel)).toEqual(['C0COST', 'C0COST']);
    expect(posts.map((p) => (p.blocks[0] as { text: { text: string } }).text.text).sort()).toEqual(['Daily cost summary', 'Weekly cost summary']);
    // Later the same day nothing new is due.
    expect(await replicas[0]!.tick(new Date('2026-11-23T05:00:00Z'))).toEqual([]);
    // Tuesday: only the daily one.
    expect(await replicas[1]!.tick(new Date('2026-11-24T00:10:00Z'))).toEqual(['daily:2026-11-24']);
    for (const r of replicas) await r.stop();
  });
});
