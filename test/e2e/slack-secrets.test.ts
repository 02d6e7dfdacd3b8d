import { DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackTestBot, type SlackReply } from '../support/slack-signing.js';

// A secret typed into Slack goes to Parameter Store as a SecureString and never comes back out:
// not in an acknowledgement, a reply, a progress message, a thread, a button, a modal or the Home
// tab. Every path a secret could take is exercised, then all recorded Slack traffic is searched.

const SECRETS = ['hunter2-secret', 'sk live hunter2-quoted', 'hunter2-not-stored', 'hunter2-of-someone-else'];

describe('secrets never reach Slack', () => {
  let bot: SlackTestBot;
  const acks: SlackReply[] = [];
  beforeAll(async () => {
    bot = await SlackTestBot.start({ label: 'slsecret', env: { ENVBOT_ADMINS: 'slack:UADMIN' } });
  });
  afterAll(async () => bot?.close());

  const command = async (user: string, text: string) => {
    const reply = await bot.command(user, text);
    acks.push(reply);
    return reply;
  };

  it('every path, then a search of everything sent', async () => {
    await command('U1', 'up sec-env');
    await bot.settle();
    const message = { kind: 'message' as const, channel: 'C1', ts: (await bot.engine.store.get('sec-env'))!.report.slack!.messageTs! };

    const set = await command('U1', 'config sec-env --secret DB_PASSWORD=hunter2-secret');
    expect(set.json.text).toBe('Working on /env config sec-env --secret DB_PASSWORD=(hidden)…');
    await command('U1', 'config sec-env set --secret STRIPE_KEY="sk live hunter2-quoted"');
    await command('U1', 'config sec-env set LOG_LEVEL=debug');
    // Mistakes and refusals must not echo the value either.
    await command('U1', 'config sec-env --secret DB_PASSWORD=hunter2-not-stored extra-word');
    await command('U1', 'config sec-env --secret bad-key=hunter2-not-stored');
    await command('U1', 'config no-such-env --secret DB_PASSWORD=hunter2-not-stored');
    await command('U2', 'config sec-env --secret DB_PASSWORD=hunter2-of-someone-else');
    await bot.settle();

    await command('U1', 'status sec-env');
    const shown = await command('U1', 'config sec-env');
    await command('U2', 'list');
    await command('U1', 'cost sec-env');
    await bot.click('U1', 'env_stop', 'sec-env', message);
    await bot.settle();
    await bot.click('U1', 'env_start', 'sec-env', message);
    await bot.click('U1', 'env_extend', 'sec-env', message);
    acks.push(await bot.homeOpened('U1'));
    acks.push(await bot.homeOpened('UADMIN'));
    await bot.settle();

    // The secret really went in, as a SecureString…
    const record = (await bot.engine.store.get('sec-env'))!;
    const entries = await bot.engine.ctx.configPort.effective(record);
    expect(entries.map((e) => [e.key, e.secure])).toEqual([
      ['DB_PASSWORD', true],
      ['LOG_LEVEL', false],
      ['STRIPE_KEY', true],
    ]);
    // …the config listing shows it masked…
    expect(bot.responses(shown.responsePath)[0]!.blocks[1].text.text).toBe(
      '```DB_PASSWORD=••••••  [env, secret]\nLOG_LEVEL=debug  [env]\nSTRIPE_KEY=••••••  [env, secret]```',
    );
    // …the task definition references it instead of containing it…
    const td = await bot.engine.o.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: record.taskDefinitionArn! }));
    expect(JSON.stringify(td)).not.toContain('hunter2');
    // …and nothing the bot sent to Slack, nor any HTTP answer it gave, contains any of them.
    const decoded = bot.stub.calls.map((c) => JSON.stringify(c.body)).join('\n');
    const everything = `${bot.stub.traffic()}\n${decoded}\n${acks.map((a) => a.text).join('\n')}`;
    expect(bot.stub.callsOf('response_url').length).toBeGreaterThanOrEqual(10);
    expect(bot.stub.callsOf('views.publish').length).toBe(2);
    expect(bot.stub.callsOf('views.open').length).toBe(1);
    for (const secret of SECRETS) {
      expect(everything).not.toContain(secret);
      expect(everything).not.toContain(encodeURIComponent(secret));
    }
    expect(everything).not.toContain('hunter2');
    // The change itself is announced in the thread, by key name only.
    expect(decoded).toContain('Config of *sec-env* changed (`DB_PASSWORD`)');
  });
});
