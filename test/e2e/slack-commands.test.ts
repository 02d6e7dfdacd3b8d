import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommand } from '../../app/src/commands/grammar.js';
import { serviceNameFor } from '../../app/src/environments/task-event.js';
import { renderHelp } from '../../app/src/slack/render/help.js';
import { SlackTestBot } from '../support/slack-signing.js';
import { ctx, destroyButton, md, pt, sec } from '../support/expected-blocks.js';

// `/env` end to end: signed slash commands over HTTP to the running Bolt app, the Slack Web API
// answered by a recording stub, the environment built in the AWS emulator.

const URL_X = 'https://feature-x.envs.example.com';
const destroy = destroyButton;

describe('slack /env over signed HTTP', () => {
  let bot: SlackTestBot;
  let messageTs: string;
  beforeAll(async () => {
    bot = await SlackTestBot.start({
      label: 'slcmd',
      env: { ENVBOT_ADMINS: 'slack:UADMIN', ENVBOT_ALLOWED_USERS: 'slack:S0DEVS', ENVBOT_MAX_PER_USER: '1' },
    });
    bot.stub.userGroups.set('S0DEVS', ['U1', 'U2']);
  });
  afterAll(async () => bot?.close());

  const updatesOf = (ts: string) => bot.stub.callsOf('chat.update').filter((c) => c.body.ts === ts);
  const repliesIn = (ts: string) => bot.stub.callsOf('chat.postMessage').filter((c) => c.body.thread_ts === ts);

  it('answers help and bad input in the acknowledgement itself, touching nothing', async () => {
    const help = await bot.command('U1', 'help');
    expect(help.status).toBe(200);
    expect(help.json).toEqual({ response_type: 'ephemeral', ...renderHelp() });

    const bad = await bot.command('U1', 'up feature-x --sise m');
    const reply = (parseCommand('up feature-x --sise m') as { reply: string }).reply;
    expect(reply).toContain('Unknown option --sise for up. Did you mean --size?');
    expect(bad.json).toEqual({ response_type: 'ephemeral', text: reply, blocks: [sec(`:no_entry_sign: ${reply.replace(/</g, '&lt;').replace(/>/g, '&gt;')}`)] });
    await bot.settle();
    expect(bot.stub.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
  });

  it('up: acks at once, then one message in the channel updated through every stage', async () => {
    const ack = await bot.command('U1', 'up feature-x');
    expect(ack.status).toBe(200);
    expect(ack.json).toEqual({
      response_type: 'ephemeral',
      text: 'Working on /env up feature-x…',
      blocks: [sec(':hourglass_flowing_sand: Working on `/env up feature-x`…')],
    });
    await bot.settle();

    const [placeholder, ...otherPosts] = bot.stub.callsOf('chat.postMessage');
    expect(placeholder!.body).toEqual({ channel: 'C1', text: 'Setting up feature-x…', blocks: [sec(':hourglass_flowing_sand: Setting up *feature-x* for <@U1>…')] });
    messageTs = '1700000000.000001';
    // Every later post is a reply in that message's thread: one message per environment.
    expect(otherPosts.every((p) => p.body.thread_ts === messageTs)).toBe(true);

    const updates = updatesOf(messageTs);
    const stages = updates.map((u) => (u.body.text as string).replace('feature-x', '').trim());
    const order = ['— queued', '— deploying', '— waiting for health check', `is ready at ${URL_X}`];
    expect(stages.at(-1)).toBe(order.at(-1));
    expect(stages.map((s) => order.indexOf(s))).toEqual([...stages.map((s) => order.indexOf(s))].sort((a, b) => a - b));
    expect(stages.every((s) => order.includes(s))).toBe(true);
    expect(updates.at(-1)!.body).toEqual({
      channel: 'C1',
      ts: messageTs,
      text: `feature-x is ready at ${URL_X}`,
      blocks: [
        sec(`:large_green_circle: *feature-x* is ready at <${URL_X}|${URL_X}>`),
        ctx('Branch `feature-x` · dev · size xs · owner <@U1>'),
        ctx(':white_check_mark: Queued  ›  :white_check_mark: Build  ›  :white_check_mark: Deploy  ›  :white_check_mark: Health check  ›  :white_check_mark: Ready'),
        {
          type: 'actions',
          block_id: 'env_actions:feature-x',
          elements: [
            { type: 'button', action_id: 'env_open', text: pt('Open'), url: URL_X },
            { type: 'button', action_id: 'env_stop', text: pt('Stop'), value: 'feature-x' },
            { type: 'button', action_id: 'env_extend', text: pt('Extend until…'), value: 'feature-x' },
            destroy('feature-x'),
          ],
        },
      ],
    });
    expect(repliesIn(messageTs).map((r) => r.body.blocks[0])).toEqual([sec(`:large_green_circle: <@U1> *feature-x* is ready at <${URL_X}|${URL_X}>`)]);
    expect(bot.responses(ack.responsePath)).toEqual([
      {
        url: ack.responsePath,
        response_type: 'ephemeral',
        replace_original: true,
        text: "Bringing up *feature-x* (branch `feature-x`, dev, size xs). I'll report progress here.",
        blocks: [sec(":white_check_mark: Bringing up *feature-x* (branch `feature-x`, dev, size xs). I'll report progress here.")],
      },
    ]);

    const record = await bot.engine.store.get('feature-x');
    expect(record).toMatchObject({ status: 'ready', owner: 'slack:U1', source: 'slack', report: { slack: { channel: 'C1', messageTs, threadTs: messageTs } } });
    expect(await bot.engine.ecs.describeService(serviceNameFor('feature-x'))).toMatchObject({ desiredCount: 1 });
    expect(bot.audits.find((a) => a.action === 'up' && a.env === 'feature-x')).toMatchObject({ actor: 'slack:U1', source: 'slack', outcome: 'accepted' });
  });

  it('list, status and config answer privately with rich blocks', async () => {
    const list = await bot.command('U2', 'list');
    const status = await bot.command('U2', 'status feature-x');
    const config = await bot.command('U1', 'config feature-x');
    await bot.settle();
    expect(bot.responses(list.responsePath)[0]!.blocks).toEqual([
      sec('*1 environment*'),
      { ...sec(`:large_green_circle: *feature-x* — ready · <${URL_X}|${URL_X}>\nOwner <@U1> · branch \`feature-x\` · age 0m`), accessory: { type: 'button', action_id: 'env_open', text: pt('Open'), url: URL_X } },
    ]);
    const statusBlocks = bot.responses(status.responsePath)[0]!.blocks;
    expect(statusBlocks[0]).toEqual(sec(`:large_green_circle: *feature-x* is ready at <${URL_X}|${URL_X}>`));
    expect(statusBlocks[1]).toEqual({ type: 'section', fields: [md('*Image*\n`public.ecr.aws/nginx/nginx:latest`'), md('*Age*\n0m · changed 0m ago')] });
    expect(bot.responses(config.responsePath)[0]).toMatchObject({
      text: '*feature-x* has no config. Add some with `/env config feature-x set KEY=VALUE`.',
      blocks: [sec(':information_source: *feature-x* has no config. Add some with `/env config feature-x set KEY=VALUE`.')],
    });
  });

  it('who may do what: only the owner or an admin can stop; the refusal is private and changes nothing', async () => {
    const other = await bot.command('U2', 'stop feature-x');
    await bot.settle();
    const text = "You can't stop feature-x: feature-x belongs to slack:U1; only its owner or an envbot admin can change it.";
    expect(bot.responses(other.responsePath)).toEqual([
      { url: other.responsePath, response_type: 'ephemeral', replace_original: true, text, blocks: [sec(`:no_entry_sign: ${text}`)] },
    ]);
    expect(await bot.engine.store.get('feature-x')).toMatchObject({ desired: 'running', status: 'ready' });
    expect(bot.audits.find((a) => a.action === 'stop' && a.actor === 'slack:U2')).toMatchObject({ outcome: 'refused', env: 'feature-x' });

    const admin = await bot.command('UADMIN', 'stop feature-x');
    await bot.settle();
    expect(bot.responses(admin.responsePath)[0]!.text).toBe('Stopping *feature-x* (scaling to zero; `/env start feature-x` brings it back).');
    expect(await bot.engine.store.get('feature-x')).toMatchObject({ desired: 'stopped', status: 'stopped' });
    expect(await bot.engine.ecs.describeService(serviceNameFor('feature-x'))).toMatchObject({ desiredCount: 0 });
    expect(updatesOf(messageTs).at(-1)!.body.blocks[0]).toEqual(sec(':white_circle: *feature-x* is stopped. *Start* brings it back with the same image and config.'));
    expect(repliesIn(messageTs).at(-1)!.body.blocks[0]).toEqual(sec(':zzz: *feature-x* was stopped on request. Nothing was deleted; *Start* brings it back.'));

    await bot.command('U1', 'start feature-x');
    await bot.settle();
    expect(await bot.engine.store.get('feature-x')).toMatchObject({ desired: 'running', status: 'ready' });
    expect(updatesOf(messageTs).at(-1)!.body.text).toBe(`feature-x is ready at ${URL_X}`);
  });

  it('allowlist by user group, and per-user quota, with clear refusals', async () => {
    // Members of S0DEVS were read once, for U1's first command, and are cached (5 minutes).
    expect(bot.stub.callsOf('usergroups.users.list').map((c) => c.body.usergroup)).toEqual(['S0DEVS']);
    bot.stub.reset();
    const outsider = await bot.command('U3', 'up u3-env');
    await bot.settle();
    const notAllowed = "You can't create environments: you are not on envbot's allowlist — ask an envbot admin to add you (ENVBOT_ALLOWED_USERS).";
    expect(bot.responses(outsider.responsePath)[0]).toMatchObject({ text: notAllowed, blocks: [sec(`:no_entry_sign: ${notAllowed}`)] });
    // The placeholder posted for progress is taken back: the refusal is private.
    expect(bot.stub.callsOf('chat.postMessage')).toHaveLength(1);
    expect(bot.stub.callsOf('chat.delete').map((c) => c.body)).toEqual([{ channel: 'C1', ts: expect.stringMatching(/^1700000000\.\d{6}$/) }]);
    expect(await bot.engine.store.get('u3-env')).toBeUndefined();

    const overQuota = await bot.command('U1', 'up second-env');
    await bot.settle();
    const quota = 'Not creating second-env: you already have 1 environments (limit 1): feature-x — destroy one first with `/env down <name>`.';
    expect(bot.responses(overQuota.responsePath)[0]).toMatchObject({ text: quota, blocks: [sec(`:no_entry_sign: ${quota.replace('<name>', '&lt;name&gt;')}`)] });
    expect(await bot.engine.store.get('second-env')).toBeUndefined();

    const member = await bot.command('U2', 'up u2-env');
    await bot.settle();
    expect(bot.responses(member.responsePath)[0]!.text).toContain('Bringing up *u2-env*');
    expect(await bot.engine.store.get('u2-env')).toMatchObject({ owner: 'slack:U2', status: 'ready' });
    expect(bot.stub.callsOf('usergroups.users.list')).toEqual([]);
    const audit = bot.audits;
    expect(audit.find((a) => a.actor === 'slack:U3' && a.action === 'up')).toMatchObject({ outcome: 'refused', source: 'slack' });
  });

  it('down: the message says destroyed and the thread gets the final word', async () => {
    const down = await bot.command('U1', 'down feature-x');
    await bot.settle();
    expect(bot.responses(down.responsePath)[0]!.text).toBe("Destroying *feature-x*: service, load balancer rule, schedules and its own config. I'll confirm when it's gone.");
    expect(await bot.engine.store.get('feature-x')).toBeUndefined();
    expect(await bot.engine.ecs.describeService(serviceNameFor('feature-x'))).toBeUndefined();
    expect(updatesOf(messageTs).at(-1)!.body).toEqual({
      channel: 'C1',
      ts: messageTs,
      text: 'feature-x was destroyed',
      blocks: [sec(':wastebasket: *feature-x* was destroyed on request.'), ctx('Branch `feature-x` · dev · size xs · owner <@U1>')],
    });
    expect(repliesIn(messageTs).at(-1)!.body.blocks).toEqual([sec(':wastebasket: *feature-x* was destroyed on request.')]);
  });
});
