import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CostPort, ExtendPort } from '../../app/src/commands/context.js';
import { serviceNameFor } from '../../app/src/environments/task-event.js';
import { SlackTestBot } from '../support/slack-signing.js';
import { ctx, destroyButton, extendButton, openButton, pt, sec, startButton, stopButton } from '../support/expected-blocks.js';

// Buttons, the "Extend until…" modal and the App Home tab, end to end: signed block_actions,
// view_submission and app_home_opened requests; what the bot sends back is read from the stub.

const URL_B = 'https://btn-env.envs.example.com';
const URL_O = 'https://u2-env.envs.example.com';
const open = openButton;
const stop = stopButton;
const extend = extendButton;
const start = (n: string) => startButton(n);
const destroy = destroyButton;
const actionsOf = (n: string, ...elements: object[]) => ({ type: 'actions', block_id: `env_actions:${n}`, elements });

/** Stand-ins for the scheduler and cost modules, so auto-stop and cost show in Slack. */
const extendPort: ExtendPort = {
  async extend(_record, duration) {
    if (duration.text === '2h') return { until: '2025-03-04T20:00:00.000Z', display: '20:00 tonight (KST)' };
    throw new Error(`${duration.text} is longer than this test allows`);
  },
  nextStop: () => '2025-03-04T11:00:00.000Z',
};
const costPort: CostPort = { costText: async () => 'All environments: $1.00 so far.', costSoFar: async () => 0.42 };

describe('slack buttons, modal and App Home', () => {
  let bot: SlackTestBot;
  let ts: string;
  beforeAll(async () => {
    bot = await SlackTestBot.start({ label: 'slbtn', env: { ENVBOT_ADMINS: 'slack:UADMIN' }, engine: { extendPort, costPort } });
    await bot.command('U1', 'up btn-env');
    await bot.command('U2', 'up u2-env', { channel: 'C2' });
    await bot.settle();
    ts = (await bot.engine.store.get('btn-env'))!.report.slack!.messageTs!;
  });
  afterAll(async () => bot?.close());

  const inMessage = () => ({ kind: 'message' as const, channel: 'C1', ts });
  const mainUpdates = () => bot.stub.callsOf('chat.update').filter((c) => c.body.ts === ts);
  const threadReplies = () => bot.stub.callsOf('chat.postMessage').filter((c) => c.body.thread_ts === ts);

  it('a button acts only for people allowed to act on that environment', async () => {
    const click = await bot.click('U2', 'env_stop', 'btn-env', inMessage());
    expect(click.status).toBe(200);
    expect(click.text).toBe('');
    await bot.settle();
    const text = "You can't stop btn-env: btn-env belongs to slack:U1; only its owner or an envbot admin can change it.";
    expect(bot.responses(click.responsePath)).toEqual([
      { url: click.responsePath, response_type: 'ephemeral', replace_original: false, text, blocks: [sec(`:no_entry_sign: ${text}`)] },
    ]);
    expect(await bot.engine.store.get('btn-env')).toMatchObject({ desired: 'running', status: 'ready' });
    const audit = bot.audits.filter((a) => a.actor === 'slack:U2' && a.env === 'btn-env');
    expect(audit).toContainEqual(expect.objectContaining({ action: 'stop', source: 'slack', outcome: 'refused' }));
    expect(audit.every((a) => a.outcome === 'refused')).toBe(true);
  });

  it('Stop, then Start from the thread reply', async () => {
    const click = await bot.click('U1', 'env_stop', 'btn-env', inMessage());
    await bot.settle();
    expect(bot.responses(click.responsePath)[0]!.text).toBe('Stopping *btn-env* (scaling to zero; `/env start btn-env` brings it back).');
    expect(await bot.engine.ecs.describeService(serviceNameFor('btn-env'))).toMatchObject({ desiredCount: 0 });
    expect(mainUpdates().at(-1)!.body).toEqual({
      channel: 'C1',
      ts,
      text: 'btn-env — stopped',
      blocks: [
        sec(':white_circle: *btn-env* is stopped. *Start* brings it back with the same image and config.'),
        ctx('Branch `btn-env` · dev · size xs · owner <@U1>'),
        actionsOf('btn-env', start('btn-env'), destroy('btn-env')),
      ],
    });
    expect(threadReplies().at(-1)!.body.blocks).toEqual([
      sec(':zzz: *btn-env* was stopped on request. Nothing was deleted; *Start* brings it back. Cost so far: $0.42.'),
      actionsOf('btn-env', start('btn-env')),
    ]);

    await bot.click('U1', 'env_start', 'btn-env', inMessage());
    await bot.settle();
    expect(await bot.engine.store.get('btn-env')).toMatchObject({ desired: 'running', status: 'ready' });
    expect(await bot.engine.ecs.describeService(serviceNameFor('btn-env'))).toMatchObject({ desiredCount: 1 });
    expect(bot.audits.filter((a) => a.actor === 'slack:U1' && a.env === 'btn-env').map((a) => `${a.action}:${a.outcome}`)).toEqual(['up:accepted', 'stop:accepted', 'start:accepted']);
  });

  it('Extend until… opens a modal; submitting it postpones the auto-stop', async () => {
    const click = await bot.click('U1', 'env_extend', 'btn-env', inMessage());
    expect(click.status).toBe(200);
    await bot.settle();
    const opened = bot.stub.callsOf('views.open').at(-1)!.body;
    expect(opened.trigger_id).toMatch(/^trigger-/);
    expect(opened.view).toMatchObject({
      type: 'modal',
      callback_id: 'env_extend_modal',
      private_metadata: '{"env":"btn-env","origin":{"kind":"message","channel":"C1"}}',
      title: pt('Extend auto-stop'),
    });

    const bad = await bot.submitView('U1', 'env_extend_modal', opened.view.private_metadata, { extend_duration: { duration: { type: 'static_select', selected_option: { text: pt('forever'), value: '30d' } } } });
    expect(bad.json).toEqual({ response_action: 'errors', errors: { extend_duration: 'Pick one of the offered durations.' } });

    const ok = await bot.submitView('U1', 'env_extend_modal', opened.view.private_metadata, { extend_duration: { duration: { type: 'static_select', selected_option: { text: pt('2 more hours'), value: '2h' } } } });
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('');
    await bot.settle();
    const text = '*btn-env* stays up until 20:00 tonight (KST); the auto-stop is postponed.';
    expect(bot.stub.callsOf('chat.postEphemeral').at(-1)!.body).toEqual({ channel: 'C1', user: 'U1', text, blocks: [sec(`:white_check_mark: ${text}`)] });
    expect(await bot.engine.store.get('btn-env')).toMatchObject({ autoStopPostponedUntil: '2025-03-04T20:00:00.000Z' });
    expect(threadReplies().at(-1)!.body.blocks).toEqual([
      sec(':alarm_clock: Auto-stop of *btn-env* postponed until <!date^1741118400^{date_short_pretty} {time}|2025-03-04T20:00:00.000Z>.'),
    ]);
    expect(bot.audits.filter((a) => a.action === 'extend')).toMatchObject([{ actor: 'slack:U1', env: 'btn-env', outcome: 'accepted' }]);
  });

  it('App Home: your environments and the team\'s, with status, URL, age, auto-stop, cost and buttons', async () => {
    const res = await bot.homeOpened('U1');
    expect(res.status).toBe(200);
    await bot.settle();
    expect(bot.stub.callsOf('views.publish').at(-1)!.body).toEqual({
      user_id: 'U1',
      view: {
        type: 'home',
        blocks: [
          { type: 'header', text: pt('Your environments') },
          sec(
            `:large_green_circle: *btn-env* — ready · <${URL_B}|${URL_B}>\nOwner <@U1> · branch \`btn-env\` · age 0m · auto-stop postponed until <!date^1741118400^{date_short_pretty} {time}|2025-03-04T20:00:00.000Z> · cost so far $0.42`,
          ),
          actionsOf('btn-env', open(URL_B), stop('btn-env'), extend('btn-env'), destroy('btn-env')),
          { type: 'divider' },
          { type: 'header', text: pt('Team') },
          sec(
            `:large_green_circle: *u2-env* — ready · <${URL_O}|${URL_O}>\nOwner <@U2> · branch \`u2-env\` · age 0m · auto-stop <!date^1741086000^{date_short_pretty} {time}|2025-03-04T11:00:00.000Z> · cost so far $0.42`,
          ),
          actionsOf('u2-env', open(URL_O)),
          ctx('Updated <!date^1741078800^{date_short_pretty} {time}|2025-03-04T09:00:00.000Z> · `/env help` lists the commands.'),
        ],
      },
    });
  });

  it('an admin gets every button on the team\'s environments and may use them', async () => {
    await bot.homeOpened('UADMIN');
    await bot.settle();
    const blocks = bot.stub.callsOf('views.publish').at(-1)!.body.view.blocks as { block_id?: string }[];
    expect(blocks.find((b) => b.block_id === 'env_actions:u2-env')).toEqual(actionsOf('u2-env', open(URL_O), stop('u2-env'), extend('u2-env'), destroy('u2-env')));

    await bot.click('UADMIN', 'env_stop', 'u2-env', { kind: 'home' });
    await bot.settle();
    expect(await bot.engine.store.get('u2-env')).toMatchObject({ desired: 'stopped', status: 'stopped' });
    const republished = bot.stub.callsOf('views.publish').at(-1)!.body;
    expect(republished.user_id).toBe('UADMIN');
    expect(republished.view.blocks[0]).toEqual(sec(':white_check_mark: Stopping *u2-env* (scaling to zero; `/env start u2-env` brings it back).'));
  });

  it('Destroy from the Home tab: the tab is republished, the thread gets the last word with the cost', async () => {
    const click = await bot.click('U1', 'env_destroy', 'btn-env', { kind: 'home' });
    expect(click.status).toBe(200);
    await bot.settle();
    const republished = bot.stub.callsOf('views.publish').at(-1)!.body;
    expect(republished.user_id).toBe('U1');
    expect(republished.view.blocks[0]).toEqual(
      sec(":white_check_mark: Destroying *btn-env*: service, load balancer rule, schedules and its own config. I'll confirm when it's gone."),
    );
    expect(await bot.engine.store.get('btn-env')).toBeUndefined();
    expect(threadReplies().at(-1)!.body.blocks).toEqual([sec(':wastebasket: *btn-env* was destroyed on request. It cost $0.42 in all.')]);
    expect(mainUpdates().at(-1)!.body.blocks[0]).toEqual(sec(':wastebasket: *btn-env* was destroyed on request.'));
  });
});
