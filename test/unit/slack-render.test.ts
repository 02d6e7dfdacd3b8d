import { describe, expect, it } from 'vitest';
import type { EnvironmentRecord } from '../../app/src/environments/record.js';
import { renderCommandReply } from '../../app/src/slack/render/command-reply.js';
import { commandLabel } from '../../app/src/slack/render/command-label.js';
import { renderConfig } from '../../app/src/slack/render/config.js';
import { renderEnvMessage, renderPlaceholder } from '../../app/src/slack/render/env-message.js';
import { EXTEND_CHOICES, parseExtendMetadata, renderExtendModal } from '../../app/src/slack/render/extend-modal.js';
import { renderHelp } from '../../app/src/slack/render/help.js';
import { renderHome } from '../../app/src/slack/render/home.js';
import { renderList } from '../../app/src/slack/render/list.js';
import { code, escapeText, link, slackDate } from '../../app/src/slack/render/mrkdwn.js';
import { renderNoticeReply } from '../../app/src/slack/render/notice-reply.js';
import { renderRefusal, renderResultText, renderWorking } from '../../app/src/slack/render/reply.js';
import { renderStatus } from '../../app/src/slack/render/status.js';
import { ctx, destroyButton, extendButton, md, openButton, pt, sec, startButton, stopButton } from '../support/expected-blocks.js';
import { extendDuration } from '../../app/src/environments/duration.js';

// Exact Block Kit for every kind of message the Slack front end sends. Literals on purpose: a
// change to what people read in Slack should show up here as a reviewed diff.

const NOW = new Date('2025-03-04T12:00:00.000Z');

function rec(over: Partial<EnvironmentRecord> = {}): EnvironmentRecord {
  return {
    name: 'feature-x',
    owner: 'U1',
    branch: 'feature/x',
    profile: 'dev',
    size: 's',
    desired: 'running',
    status: 'queued',
    source: 'slack',
    report: { slack: { channel: 'C1', messageTs: '1.1', threadTs: '1.1' } },
    createdAt: '2025-03-04T09:00:00.000Z',
    updatedAt: '2025-03-04T11:30:00.000Z',
    touchedAt: '2025-03-04T09:00:00.000Z',
    version: 3,
    ...over,
  };
}

const URL_X = 'https://feature-x.envs.example.com';
const open = (url = URL_X) => openButton(url);
const stop = (n = 'feature-x') => stopButton(n);
const start = (n = 'feature-x', label = 'Start') => startButton(n, label);
const extend = (n = 'feature-x', label = 'Extend until…') => extendButton(n, label);
const destroy = (n = 'feature-x') => destroyButton(n);
const actions = (...elements: object[]) => ({ type: 'actions', block_id: 'env_actions:feature-x', elements });
const DETAILS = ctx('Branch `feature/x` · dev · size s · owner <@U1>');

describe('environment message (the one progress message)', () => {
  it('queued', () => {
    expect(renderEnvMessage({ record: rec() })).toEqual({
      text: 'feature-x — queued',
      blocks: [
        sec(':hourglass_flowing_sand: *feature-x* is queued.'),
        DETAILS,
        ctx('*▸ Queued*  ›  Build  ›  Deploy  ›  Health check  ›  Ready'),
        actions(stop(), extend(), destroy()),
      ],
    });
  });

  it('building, with the CodeBuild phase', () => {
    expect(renderEnvMessage({ record: rec({ status: 'building' }), build: { phase: 'BUILD', elapsedSeconds: 95 } })).toEqual({
      text: 'feature-x — building',
      blocks: [
        sec(':hammer_and_wrench: *feature-x* is building — phase `BUILD`, 1m 35s so far.'),
        DETAILS,
        ctx(':white_check_mark: Queued  ›  *▸ Build*  ›  Deploy  ›  Health check  ›  Ready'),
        actions(stop(), extend(), destroy()),
      ],
    });
  });

  it('deploying a given image (no build step)', () => {
    const r = rec({ status: 'deploying', imagePinned: true, image: 'repo/app:1', commit: '0123456789abcdef', onDemandFallback: true });
    expect(renderEnvMessage({ record: r })).toEqual({
      text: 'feature-x — deploying',
      blocks: [
        sec(':rocket: *feature-x* is deploying.'),
        ctx('Branch `feature/x` @ `0123456` · dev · size s · owner <@U1> · on-demand (Spot unavailable)'),
        ctx(':white_check_mark: Queued  ›  :white_check_mark: Image given  ›  *▸ Deploy*  ›  Health check  ›  Ready'),
        actions(stop(), extend(), destroy()),
      ],
    });
  });

  it('waiting for health', () => {
    expect(renderEnvMessage({ record: rec({ status: 'waiting-health' }) }).blocks[0]).toEqual(sec(':stethoscope: *feature-x* is waiting for its health check.'));
  });

  it('ready, with the URL and an Open button', () => {
    expect(renderEnvMessage({ record: rec({ status: 'ready', url: URL_X }) })).toEqual({
      text: `feature-x is ready at ${URL_X}`,
      blocks: [
        sec(`:large_green_circle: *feature-x* is ready at <${URL_X}|${URL_X}>`),
        DETAILS,
        ctx(':white_check_mark: Queued  ›  :white_check_mark: Build  ›  :white_check_mark: Deploy  ›  :white_check_mark: Health check  ›  :white_check_mark: Ready'),
        actions(open(), stop(), extend(), destroy()),
      ],
    });
  });

  it('failed, with the reason and what to do next', () => {
    const r = rec({ status: 'failed', statusReason: 'waiting for feature-x to become healthy: 3 tasks failed <health>' });
    expect(renderEnvMessage({ record: r, hint: 'fix the cause, then run `/env up` again' })).toEqual({
      text: 'feature-x failed: waiting for feature-x to become healthy: 3 tasks failed <health>',
      blocks: [
        sec(':red_circle: *feature-x* failed: waiting for feature-x to become healthy: 3 tasks failed &lt;health&gt;'),
        sec('*What to do next:* fix the cause, then run `/env up` again'),
        DETAILS,
        actions(start('feature-x', 'Retry'), destroy()),
      ],
    });
    expect(renderEnvMessage({ record: r }).blocks[1]).toEqual(sec('*What to do next:* fix the cause, then press *Retry* or run `/env up feature-x` again.'));
  });

  it('stopping and stopped', () => {
    expect(renderEnvMessage({ record: rec({ desired: 'stopped', status: 'stopped' }) })).toEqual({
      text: 'feature-x — stopped',
      blocks: [sec(':white_circle: *feature-x* is stopped. *Start* brings it back with the same image and config.'), DETAILS, actions(start(), destroy())],
    });
    expect(renderEnvMessage({ record: rec({ desired: 'stopped', status: 'stopping' }) }).blocks[0]).toEqual(sec(':double_vertical_bar: *feature-x* is stopping.'));
  });

  it('being destroyed, then destroyed (no buttons left)', () => {
    expect(renderEnvMessage({ record: rec({ desired: 'deleted', status: 'deleting' }) })).toEqual({
      text: 'feature-x — being destroyed',
      blocks: [sec(':wastebasket: *feature-x* is being destroyed.'), DETAILS],
    });
    expect(renderEnvMessage({ record: rec({ desired: 'deleted', status: 'deleting' }), destroyedBy: 'pr-closed' })).toEqual({
      text: 'feature-x was destroyed',
      blocks: [sec(':wastebasket: *feature-x* was destroyed because its pull request was merged or closed.'), DETAILS],
    });
  });

  it('shows a GitHub owner as a name, not a mention', () => {
    expect(renderEnvMessage({ record: rec({ owner: 'octocat', source: 'github' }) }).blocks[1]).toEqual(ctx('Branch `feature/x` · dev · size s · owner octocat'));
  });

  it('placeholder posted by up before the record exists', () => {
    expect(renderPlaceholder('feature-x', 'U1')).toEqual({
      text: 'Setting up feature-x…',
      blocks: [sec(':hourglass_flowing_sand: Setting up *feature-x* for <@U1>…')],
    });
  });
});

describe('thread replies for later events', () => {
  const r = rec({ status: 'ready', url: URL_X });

  it('progress and intermediate build phases only update the main message', () => {
    expect(renderNoticeReply(r, { kind: 'progress', stage: 'deploying' })).toBeUndefined();
    expect(renderNoticeReply(r, { kind: 'build', phase: 'INSTALL', elapsedSeconds: 12 })).toBeUndefined();
  });

  it('ready mentions the owner', () => {
    expect(renderNoticeReply(r, { kind: 'ready', url: URL_X })).toEqual({
      text: `feature-x is ready at ${URL_X}`,
      blocks: [sec(`:large_green_circle: <@U1> *feature-x* is ready at <${URL_X}|${URL_X}>`), actions(open())],
    });
  });

  it('failed', () => {
    expect(renderNoticeReply(r, { kind: 'failed', reason: 'no image', hint: 'run `/env up feature-x --image <uri>`' })).toEqual({
      text: 'feature-x failed: no image',
      blocks: [sec(':red_circle: <@U1> *feature-x* failed: no image'), ctx('What to do next: run `/env up feature-x --image &lt;uri&gt;`')],
    });
  });

  it('stopped tonight / by the reaper / on request', () => {
    expect(renderNoticeReply(r, { kind: 'stopped', by: 'schedule' })).toEqual({
      text: 'feature-x stopped',
      blocks: [sec(':zzz: *feature-x* was stopped for the night by its auto-stop schedule. Nothing was deleted; *Start* brings it back.'), actions(start())],
    });
    expect(renderNoticeReply(r, { kind: 'stopped', by: 'user' }, { cost: 0.1 })!.blocks[0]).toEqual(
      sec(':zzz: *feature-x* was stopped on request. Nothing was deleted; *Start* brings it back. Cost so far: $0.10.'),
    );
    expect(renderNoticeReply(r, { kind: 'stopped', by: 'reaper' })!.blocks[0]).toEqual(
      sec(':zzz: *feature-x* was stopped because nobody used it for a while. Nothing was deleted; *Start* brings it back.'),
    );
  });

  it('started', () => {
    expect(renderNoticeReply(r, { kind: 'started', by: 'schedule' })).toEqual({ text: 'feature-x started', blocks: [sec(':sunrise: *feature-x* was started by its morning schedule.')] });
  });

  it('destroyed on merge, with its cost', () => {
    expect(renderNoticeReply(r, { kind: 'destroyed', by: 'pr-closed' }, { cost: 1.5 })).toEqual({
      text: 'feature-x was destroyed',
      blocks: [sec(':wastebasket: *feature-x* was destroyed because its pull request was merged or closed. It cost $1.50 in all.')],
    });
  });

  it('Spot interruption and capacity fallback', () => {
    expect(renderNoticeReply(r, { kind: 'spot-interruption' })).toEqual({
      text: 'feature-x: Spot interruption',
      blocks: [sec(':warning: AWS reclaimed the Spot capacity under *feature-x* (2-minute warning). ECS is starting a replacement task; it is usually back within a few minutes.')],
    });
    expect(renderNoticeReply(r, { kind: 'capacity-fallback', to: 'FARGATE' })!.blocks).toEqual([
      sec(':arrows_counterclockwise: No Spot capacity for *feature-x* right now, so it runs on on-demand Fargate (about 3× the price) until Spot is back.'),
    ]);
    expect(renderNoticeReply(r, { kind: 'capacity-fallback', to: 'FARGATE_SPOT' })!.blocks).toEqual([sec(':arrows_counterclockwise: *feature-x* is back on Fargate Spot.')]);
  });

  it('auto-stop warning with a "keep until…" button', () => {
    expect(renderNoticeReply(r, { kind: 'auto-stop-warning', stopAt: '2025-03-04T11:00:00.000Z' })).toEqual({
      text: 'feature-x auto-stops at 2025-03-04T11:00:00.000Z',
      blocks: [
        sec(':alarm_clock: <@U1> *feature-x* stops automatically at <!date^1741086000^{date_short_pretty} {time}|2025-03-04T11:00:00.000Z>. Still using it?'),
        actions(extend('feature-x', 'Keep until…')),
      ],
    });
  });

  it('reaper warning', () => {
    expect(renderNoticeReply(r, { kind: 'reaper-warning', destroyAt: '2025-03-05T11:00:00.000Z' })).toEqual({
      text: 'feature-x will be destroyed at 2025-03-05T11:00:00.000Z',
      blocks: [
        sec(':hourglass: <@U1> nobody has used *feature-x* for a while, so it will be destroyed at <!date^1741172400^{date_short_pretty} {time}|2025-03-05T11:00:00.000Z>. Keep it to reset the clock.'),
        actions(extend('feature-x', 'Keep it')),
      ],
    });
  });

  it('build finished / build failed with the log tail', () => {
    expect(renderNoticeReply(r, { kind: 'build', phase: 'COMPLETED', elapsedSeconds: 130, cacheHit: true })).toEqual({
      text: 'feature-x: built in 2m 10s',
      blocks: [sec(':package: Built *feature-x* in 2m 10s (dependency cache hit).')],
    });
    expect(
      renderNoticeReply(r, { kind: 'build', phase: 'BUILD', elapsedSeconds: 61, failed: true, cacheHit: false, logUrl: 'https://logs.example/x', logTail: ['> gradle build', 'error: <boom>'] }),
    ).toEqual({
      text: 'feature-x: build failed in phase BUILD',
      blocks: [
        sec(':x: The build of *feature-x* failed in phase `BUILD` after 1m 1s (dependency cache miss).'),
        sec('```&gt; gradle build\nerror: &lt;boom&gt;```'),
        ctx('<https://logs.example/x|Full build log>'),
      ],
    });
  });

  it('extended and config changed (key names only)', () => {
    expect(renderNoticeReply(r, { kind: 'extended', until: '2025-03-04T14:00:00.000Z' })).toEqual({
      text: 'feature-x stays up until 2025-03-04T14:00:00.000Z',
      blocks: [sec(':alarm_clock: Auto-stop of *feature-x* postponed until <!date^1741096800^{date_short_pretty} {time}|2025-03-04T14:00:00.000Z>.')],
    });
    expect(renderNoticeReply(r, { kind: 'config-changed', keys: ['DB_PASSWORD'] })).toEqual({
      text: 'feature-x: config changed',
      blocks: [sec(':gear: Config of *feature-x* changed (`DB_PASSWORD`). Rolling the service.')],
    });
  });
});

describe('command replies', () => {
  it('working acknowledgement never echoes a config value', () => {
    expect(renderWorking({ verb: 'config', name: 'x', action: { kind: 'set', key: 'DB_PASSWORD', value: 'hunter2', secret: true } })).toEqual({
      text: 'Working on /env config x --secret DB_PASSWORD=(hidden)…',
      blocks: [sec(':hourglass_flowing_sand: Working on `/env config x --secret DB_PASSWORD=(hidden)`…')],
    });
    expect(commandLabel({ verb: 'config', name: 'x', action: { kind: 'set', key: 'A', value: 'v', secret: false } })).toBe('/env config x set A=(hidden)');
    expect(commandLabel({ verb: 'up', name: 'x', branch: 'b', image: 'i', profile: 'stage', size: 'm' })).toBe('/env up x --branch b --image i --profile stage --size m');
    expect(commandLabel({ verb: 'extend', name: 'x', duration: extendDuration('until 23:00') })).toBe('/env extend x until 23:00');
    expect(commandLabel({ verb: 'list', mine: true })).toBe('/env list --mine');
  });

  it('one mark per result kind; Slack control characters escaped', () => {
    expect(renderResultText({ kind: 'accepted', text: 'Stopping *x*.' })).toEqual({ text: 'Stopping *x*.', blocks: [sec(':white_check_mark: Stopping *x*.')] });
    expect(renderResultText({ kind: 'info', text: 'a & b' }).blocks).toEqual([sec(':information_source: a &amp; b')]);
    expect(renderResultText({ kind: 'error', text: 'boom' }).blocks).toEqual([sec(':warning: boom')]);
    expect(renderRefusal('Not creating y: you already have 2 environments (limit 2): a, b — destroy one first with `/env down <name>`.')).toEqual({
      text: 'Not creating y: you already have 2 environments (limit 2): a, b — destroy one first with `/env down <name>`.',
      blocks: [sec(':no_entry_sign: Not creating y: you already have 2 environments (limit 2): a, b — destroy one first with `/env down &lt;name&gt;`.')],
    });
  });

  it('list', () => {
    const ready = rec({ status: 'ready', url: URL_X });
    const other = rec({ name: 'api-fix', owner: 'U2', branch: 'api-fix', status: 'stopped', desired: 'stopped', createdAt: '2025-03-02T12:00:00.000Z' });
    expect(renderList([other, ready], false, NOW)).toEqual({
      text: '2 environments',
      blocks: [
        sec('*2 environments*'),
        sec(':white_circle: *api-fix* — stopped\nOwner <@U2> · branch `api-fix` · age 2d'),
        { ...sec(`:large_green_circle: *feature-x* — ready · <${URL_X}|${URL_X}>\nOwner <@U1> · branch \`feature/x\` · age 3h`), accessory: open() },
      ],
    });
    expect(renderList([], true, NOW)).toEqual({
      text: 'You have no environments. Create one with `/env up <name>`.',
      blocks: [sec('You have no environments. Create one with `/env up <name>`.')],
    });
  });

  it('status', () => {
    const r = rec({ status: 'ready', url: URL_X, image: 'repo/app:abc', lastBuildSeconds: 95, lastBuildCacheHit: true });
    expect(renderStatus(r, { nextStop: '2025-03-04T11:00:00.000Z', cost: 0.4 }, NOW)).toEqual({
      text: `feature-x is ready at ${URL_X}`,
      blocks: [
        sec(`:large_green_circle: *feature-x* is ready at <${URL_X}|${URL_X}>`),
        {
          type: 'section',
          fields: [
            md('*Image*\n`repo/app:abc`'),
            md('*Age*\n3h · changed 30m ago'),
            md('*Last build*\n95s (cache hit)'),
            md('*Auto-stop*\n<!date^1741086000^{date_short_pretty} {time}|2025-03-04T11:00:00.000Z>'),
            md('*Cost so far*\n$0.40'),
          ],
        },
        DETAILS,
        ctx(':white_check_mark: Queued  ›  :white_check_mark: Build  ›  :white_check_mark: Deploy  ›  :white_check_mark: Health check  ›  :white_check_mark: Ready'),
        actions(open(), stop(), extend(), destroy()),
      ],
    });
  });

  it('config masks secrets whatever value it is handed', () => {
    const rows = [
      { key: 'DB_PASSWORD', layer: 'env', secure: true, value: 'hunter2-should-never-show', overrides: [] },
      { key: 'LOG_LEVEL', layer: 'profile', secure: false, value: 'debug', overrides: ['base'] },
    ];
    expect(renderConfig('feature-x', rows)).toEqual({
      text: 'Config of feature-x: 2 keys',
      blocks: [
        sec('Config of *feature-x* (later layers win: base → profile → env):'),
        sec('```DB_PASSWORD=••••••  [env, secret]\nLOG_LEVEL=debug  [profile] (overrides base)```'),
      ],
    });
  });

  it('long configs continue in further code blocks', () => {
    const rows = Array.from({ length: 60 }, (_, i) => ({ key: `KEY_${i}`, layer: 'base', secure: false, value: 'v'.repeat(80), overrides: [] }));
    const blocks = renderConfig('x', rows).blocks;
    expect(blocks.length).toBeGreaterThan(2);
    for (const b of blocks.slice(1)) expect((b as { text: { text: string } }).text.text.length).toBeLessThanOrEqual(3000);
  });

  it('help and help <verb>', () => {
    const all = renderHelp();
    expect(all.blocks[0]).toEqual(sec('*envbot* gives each branch its own environment. Commands:'));
    expect(all.blocks[1]).toEqual(
      sec(
        '```/env up &lt;name&gt; [--branch B] [--image URI] [--profile dev|stage] [--size xs|s|m|l|xl]\n/env down &lt;name&gt;\n/env stop &lt;name&gt;\n/env start &lt;name&gt;\n/env list [--mine]\n/env status &lt;name&gt;\n/env config &lt;name&gt; [set KEY=VALUE | unset KEY | --secret KEY=VALUE]\n/env extend &lt;name&gt; &lt;duration&gt;\n/env cost [name]\n/env whoami\n/env bypass\n/env help [verb]```',
      ),
    );
    expect(all.blocks[2]).toEqual(ctx("Try `/env help up` for details. The *Home* tab shows your environments and the team's."));
    expect(renderHelp('stop')).toEqual({
      text: 'Usage: /env stop <name>\nScales the environment to zero tasks. Nothing is rebuilt; `start` brings it back.',
      blocks: [sec('`Usage: /env stop &lt;name&gt;`'), sec('Scales the environment to zero tasks. Nothing is rebuilt; `start` brings it back.')],
    });
  });

  it('renderCommandReply picks the rich rendering per verb and plain text for refusals', () => {
    const r = rec({ status: 'ready', url: URL_X });
    expect(renderCommandReply({ verb: 'list', mine: false }, { kind: 'info', text: 'x', records: [r] }, NOW).blocks[0]).toEqual(sec('*1 environment*'));
    expect(renderCommandReply({ verb: 'status', name: 'x' }, { kind: 'refused', text: 'There is no environment called x.' }, NOW)).toEqual(
      renderRefusal('There is no environment called x.'),
    );
    const rows = [{ key: 'A', layer: 'env', secure: false, value: '1', overrides: [] }];
    expect(renderCommandReply({ verb: 'config', name: 'feature-x', action: { kind: 'show' } }, { kind: 'info', text: 'x', record: r, data: rows }, NOW)).toEqual(renderConfig('feature-x', rows));
  });
});

describe('App Home', () => {
  it('your environments, the team, facts and buttons by right', () => {
    const mine = rec({ status: 'ready', url: URL_X });
    const theirs = rec({ name: 'api-fix', owner: 'U2', branch: 'api-fix', status: 'ready', url: 'https://api-fix.envs.example.com' });
    const view = renderHome({
      viewer: 'U1',
      now: NOW,
      notice: { kind: 'refused', text: "You can't stop api-fix: api-fix belongs to U2; only its owner or an envbot admin can change it." },
      envs: [
        { record: theirs, canModify: false },
        { record: mine, canModify: true, nextStop: '2025-03-04T11:00:00.000Z', cost: 0.25 },
      ],
    });
    expect(view).toEqual({
      type: 'home',
      blocks: [
        sec(":no_entry_sign: You can't stop api-fix: api-fix belongs to U2; only its owner or an envbot admin can change it."),
        { type: 'divider' },
        { type: 'header', text: pt('Your environments') },
        sec(
          `:large_green_circle: *feature-x* — ready · <${URL_X}|${URL_X}>\nOwner <@U1> · branch \`feature/x\` · age 3h · auto-stop <!date^1741086000^{date_short_pretty} {time}|2025-03-04T11:00:00.000Z> · cost so far $0.25`,
        ),
        actions(open(), stop(), extend(), destroy()),
        { type: 'divider' },
        { type: 'header', text: pt('Team') },
        sec(':large_green_circle: *api-fix* — ready · <https://api-fix.envs.example.com|https://api-fix.envs.example.com>\nOwner <@U2> · branch `api-fix` · age 3h'),
        { type: 'actions', block_id: 'env_actions:api-fix', elements: [open('https://api-fix.envs.example.com')] },
        ctx('Updated <!date^1741089600^{date_short_pretty} {time}|2025-03-04T12:00:00.000Z> · `/env help` lists the commands.'),
      ],
    });
  });

  it('empty', () => {
    expect(renderHome({ viewer: 'U1', now: NOW, envs: [] }).blocks).toEqual([
      { type: 'header', text: pt('Your environments') },
      sec('You have no environments. Create one with `/env up <name>` in any channel.'),
      { type: 'divider' },
      { type: 'header', text: pt('Team') },
      sec('Nobody else has an environment right now.'),
      ctx('Updated <!date^1741089600^{date_short_pretty} {time}|2025-03-04T12:00:00.000Z> · `/env help` lists the commands.'),
    ]);
  });

  it('stays within the 100-block limit', () => {
    const envs = Array.from({ length: 60 }, (_, i) => ({ record: rec({ name: `env-${String(i).padStart(2, '0')}`, owner: i % 2 ? 'U1' : 'U2' }), canModify: true }));
    const blocks = renderHome({ viewer: 'U1', now: NOW, envs }).blocks;
    expect(blocks.length).toBeLessThanOrEqual(100);
    expect(blocks.at(-2)).toEqual(ctx('…and 20 more. `/env list` shows them all.'));
  });
});

describe('extend modal', () => {
  it('offers durations the grammar accepts and remembers where it was opened', () => {
    const view = renderExtendModal({ env: 'feature-x', origin: { kind: 'message', channel: 'C1' } });
    const options = [
      ['1 more hour', '1h'],
      ['2 more hours', '2h'],
      ['4 more hours', '4h'],
      ['Until 23:00', 'until 23:00'],
      ['Until the next 10:00 (tomorrow morning)', 'until 10:00'],
      ['1 more day', '1d'],
    ].map(([label, value]) => ({ text: pt(label!), value }));
    expect(view).toEqual({
      type: 'modal',
      callback_id: 'env_extend_modal',
      private_metadata: '{"env":"feature-x","origin":{"kind":"message","channel":"C1"}}',
      title: pt('Extend auto-stop'),
      submit: pt('Extend'),
      close: pt('Cancel'),
      blocks: [
        sec("Postpone tonight's auto-stop of *feature-x*. It still stops at the time you pick."),
        {
          type: 'input',
          block_id: 'extend_duration',
          label: pt('Keep it running for'),
          element: { type: 'static_select', action_id: 'duration', options, initial_option: options[1] },
        },
      ],
    });
    expect(parseExtendMetadata(view.private_metadata!)).toEqual({ env: 'feature-x', origin: { kind: 'message', channel: 'C1' } });
    expect(parseExtendMetadata('{"env":"x","origin":{"kind":"home"}}')).toEqual({ env: 'x', origin: { kind: 'home' } });
    expect(parseExtendMetadata('not json')).toBeUndefined();
    expect(parseExtendMetadata('{"env":"x","origin":{"kind":"elsewhere"}}')).toBeUndefined();
  });

  it('carries each choice already parsed by the grammar\'s duration parser', () => {
    for (const c of EXTEND_CHOICES) expect(c.parsed).toEqual(extendDuration(c.duration));
    expect(EXTEND_CHOICES.map((c) => c.parsed.kind)).toEqual(['for', 'for', 'for', 'until', 'until', 'for']);
  });
});

describe('mrkdwn helpers', () => {
  it('escape what Slack treats as markup', () => {
    expect(escapeText('a<b>&c')).toBe('a&lt;b&gt;&amp;c');
    expect(code('x`y')).toBe('`xˋy`');
    expect(link('https://a.example/<x>', 'a|b')).toBe('<https://a.example/x|a¦b>');
    expect(slackDate('2025-03-04T11:00:00Z')).toBe('<!date^1741086000^{date_short_pretty} {time}|2025-03-04T11:00:00.000Z>');
    expect(slackDate('not a date')).toBe('not a date');
  });
});
