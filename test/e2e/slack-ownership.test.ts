import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExtendPort } from '../../app/src/commands/context.js';
import { SlackTestBot } from '../support/slack-signing.js';

// Ownership through the Slack door, over signed requests: a teammate's `/env up` of someone
// else's environment and their click on its Extend button (issue 13, finding 1 and the
// adversarial pass).

const extendPort: ExtendPort = { extend: async () => ({ until: '2025-03-04T20:00:00.000Z', display: '20:00 tonight (KST)' }) };

describe('slack: only the owner moves or changes an environment', () => {
  let bot: SlackTestBot;
  beforeAll(async () => {
    bot = await SlackTestBot.start({ label: 'slown', engine: { extendPort } });
    await bot.command('U1', 'up owned-env');
    await bot.settle();
  });
  afterAll(async () => bot?.close());

  it("finding 1: a teammate's up in their channel leaves progress and build logs where the owner asked", async () => {
    const before = (await bot.engine.store.get('owned-env'))!;
    expect(before.report.slack).toMatchObject({ channel: 'C1' });

    const other = await bot.command('U2', 'up owned-env', { channel: 'C2' });
    await bot.settle();
    const after = (await bot.engine.store.get('owned-env'))!;
    expect(after.report).toEqual(before.report);
    // The placeholder posted in C2 is taken back; nothing else is posted or updated there.
    const inC2 = bot.stub.callsOf('chat.postMessage').filter((c) => c.body.channel === 'C2');
    expect(inC2).toHaveLength(1);
    expect(bot.stub.callsOf('chat.delete').map((c) => c.body.channel)).toEqual(['C2']);
    expect(bot.stub.callsOf('chat.update').filter((c) => c.body.channel === 'C2')).toEqual([]);
    const reply = bot.responses(other.responsePath).at(-1) as { text: string };
    expect(reply.text).toContain('It belongs to slack:U1: its settings and where it reports stay as they are.');
  });

  it('the Extend form opens only for people who may extend; others hear why, privately', async () => {
    const ts = (await bot.engine.store.get('owned-env'))!.report.slack!.messageTs!;
    const click = await bot.click('U2', 'env_extend', 'owned-env', { kind: 'message', channel: 'C1', ts });
    expect(click.status).toBe(200);
    await bot.settle();
    expect(bot.stub.callsOf('views.open')).toEqual([]);
    expect(bot.responses(click.responsePath)).toMatchObject([
      { response_type: 'ephemeral', replace_original: false, text: "You can't extend owned-env: owned-env belongs to slack:U1; only its owner or an envbot admin can change it." },
    ]);

    await bot.click('U1', 'env_extend', 'owned-env', { kind: 'message', channel: 'C1', ts });
    await bot.settle();
    expect(bot.stub.callsOf('views.open')).toHaveLength(1);
  });

  it('whoami names the Slack id with its door', async () => {
    const who = await bot.command('U2', 'whoami');
    await bot.settle();
    expect((bot.responses(who.responsePath).at(-1) as { text: string }).text).toContain('You are slack:U2');
  });
});
