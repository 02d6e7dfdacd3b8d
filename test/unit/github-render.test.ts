import { describe, expect, it } from 'vitest';
import type { EnvNotice } from '../../app/src/environments/notifier-port.js';
import type { EnvironmentRecord } from '../../app/src/environments/record.js';
import { renderReply, settingsProblemText, slackToMarkdown } from '../../app/src/github/render/render-reply.js';
import { describeNotice, renderStatusComment, statusViewFor, type StatusView } from '../../app/src/github/render/render-status.js';

const NOW = new Date('2025-03-04T05:06:07.000Z');
const SHA = '0123456789abcdef0123456789abcdef01234567';

const record = (over: Partial<EnvironmentRecord> = {}): EnvironmentRecord => ({
  name: 'feature-x',
  owner: 'alice',
  branch: 'feature/x',
  profile: 'dev',
  size: 'xs',
  desired: 'running',
  status: 'ready',
  url: 'https://feature-x.envs.example.com',
  source: 'github',
  report: { github: { owner: 'o', repo: 'r', pr: 1 } },
  createdAt: '2025-03-04T00:00:00.000Z',
  updatedAt: '2025-03-04T00:00:00.000Z',
  touchedAt: '2025-03-04T00:00:00.000Z',
  version: 3,
  ...over,
});

describe('renderStatusComment', () => {
  it('renders a ready environment with every field', () => {
    const view: StatusView = {
      env: 'feature-x',
      phase: 'ready',
      status: 'ready',
      url: 'https://feature-x.envs.example.com',
      branch: 'feature/x',
      commit: SHA,
      buildSeconds: 42,
      cacheHit: true,
      autoStop: '2025-03-04T20:00:00+09:00',
      cost: 0.123,
      event: 'Ready at https://feature-x.envs.example.com.',
      updatedAt: '2025-03-04T05:06:07.000Z',
    };
    expect(renderStatusComment(view)).toBe(
      [
        '<!-- envbot:status:feature-x -->',
        '### 🟢 Preview environment `feature-x`: ready',
        '',
        '| | |',
        '| --- | --- |',
        '| URL | https://feature-x.envs.example.com |',
        '| Status | ready |',
        '| Branch | `feature/x` |',
        `| Commit | ${SHA} |`,
        '| Build time | 42s (dependency cache hit) |',
        '| Auto-stop | 2025-03-04T20:00:00+09:00 |',
        '| Cost so far | $0.12 |',
        '',
        '**Last event:** Ready at https://feature-x.envs.example.com.',
        '',
        '<sub>envbot · updated 2025-03-04T05:06:07.000Z · this comment is edited in place · `/env help` lists the commands</sub>',
      ].join('\n'),
    );
  });

  it('renders a fresh environment with dashes for what is not known yet, and escapes table pipes', () => {
    const view: StatusView = { env: 'b-1', phase: 'working', status: 'queued', branch: 'a|b', updatedAt: 'T' };
    expect(renderStatusComment(view)).toBe(
      [
        '<!-- envbot:status:b-1 -->',
        '### 🟡 Preview environment `b-1`: queued',
        '',
        '| | |',
        '| --- | --- |',
        '| URL | (available once it is ready) |',
        '| Status | queued |',
        '| Branch | `a\\|b` |',
        '| Commit | — |',
        '| Build time | — |',
        '| Auto-stop | — |',
        '| Cost so far | — |',
        '',
        '<sub>envbot · updated T · this comment is edited in place · `/env help` lists the commands</sub>',
      ].join('\n'),
    );
  });

  it.each([
    ['stopped', '(stopped — `/env start feature-x` brings it back)'],
    ['failed', '(not live)'],
    ['destroyed', '(destroyed)'],
  ] as const)('shows the URL cell of a %s environment as %s', (phase, cell) => {
    const out = renderStatusComment({ env: 'feature-x', phase, status: phase, url: 'https://x', branch: 'b', updatedAt: 'T' });
    expect(out).toContain(`| URL | ${cell} |`);
  });
});

describe('statusViewFor', () => {
  it('takes status, URL, commit and build from the record and the event from the notice', () => {
    const view = statusViewFor(record({ commit: SHA, lastBuildSeconds: 90, lastBuildCacheHit: false }), {
      notice: { kind: 'ready', url: 'https://feature-x.envs.example.com' },
      autoStop: '20:00',
      cost: 1.5,
      now: NOW,
    });
    expect(view).toEqual({
      env: 'feature-x',
      phase: 'ready',
      status: 'ready',
      url: 'https://feature-x.envs.example.com',
      branch: 'feature/x',
      commit: SHA,
      buildSeconds: 90,
      cacheHit: false,
      autoStop: '20:00',
      cost: 1.5,
      event: 'Ready at https://feature-x.envs.example.com.',
      updatedAt: '2025-03-04T05:06:07.000Z',
    });
  });

  it('marks a destroyed environment and drops its auto-stop; the deployment commit fills in for a missing one', () => {
    const view = statusViewFor(record({ status: 'deleting' }), { notice: { kind: 'destroyed', by: 'pr-closed' }, autoStop: '20:00', commit: SHA, now: NOW });
    expect(view).toMatchObject({ phase: 'destroyed', status: 'destroyed', commit: SHA, event: 'Destroyed because the pull request was closed.' });
    expect(view.autoStop).toBeUndefined();
  });

  it('prefers an explicit event line over the notice', () => {
    expect(statusViewFor(record({ status: 'stopping' }), { event: 'Stop requested.', now: NOW })).toMatchObject({ phase: 'working', status: 'stopping', event: 'Stop requested.' });
  });
});

describe('describeNotice', () => {
  const cases: [EnvNotice, string][] = [
    [{ kind: 'progress', stage: 'queued' }, 'Queued.'],
    [{ kind: 'progress', stage: 'waiting-health', detail: '(1/2 healthy)' }, 'Waiting for the health check… (1/2 healthy)'],
    [{ kind: 'build', phase: 'BUILD', elapsedSeconds: 40 }, 'Building: build (40s).'],
    [{ kind: 'build', phase: 'BUILD', elapsedSeconds: 50, failed: true, logUrl: 'https://logs' }, 'Build failed after 50s ([build log](https://logs)).'],
    [{ kind: 'failed', reason: 'health check failed', hint: 'check /health' }, 'Failed: health check failed — check /health.'],
    [{ kind: 'stopped', by: 'schedule' }, 'Stopped by the nightly schedule.'],
    [{ kind: 'started', by: 'user' }, 'Started on request.'],
    [{ kind: 'destroyed', by: 'branch-deleted' }, 'Destroyed because the branch was deleted.'],
    [{ kind: 'spot-interruption' }, 'Fargate Spot reclaimed the task; a replacement is starting.'],
    [{ kind: 'capacity-fallback', to: 'FARGATE' }, 'No Spot capacity: running on on-demand Fargate for now.'],
    [{ kind: 'auto-stop-warning', stopAt: '20:00' }, 'Stops automatically at 20:00 — `/env extend feature-x 2h` postpones it.'],
    [{ kind: 'reaper-warning', destroyAt: 'Friday' }, 'Unused: will be destroyed at Friday unless someone uses it.'],
    [{ kind: 'extended', until: '22:00' }, 'Auto-stop postponed until 22:00.'],
    [{ kind: 'config-changed', keys: ['A', 'B'] }, 'Config changed (A, B); rolling out.'],
  ];
  it.each(cases)('%j → %s', (notice, text) => {
    expect(describeNotice('feature-x', notice)).toBe(text);
  });
});

describe('replies', () => {
  it('quotes the command, addresses the author and turns Slack bold into Markdown bold', () => {
    expect(renderReply({ login: 'bob', about: '/env stop', kind: 'refused', text: "You can't stop *feature-x*: it belongs to alice." })).toBe(
      ['<!-- envbot:reply -->', '> `/env stop`', '', "@bob 🚫 You can't stop **feature-x**: it belongs to alice."].join('\n'),
    );
  });

  it('keeps help text preformatted in a code block', () => {
    expect(renderReply({ login: 'a', about: '/env help', kind: 'info', text: 'Commands:\n  /env up <name>', preformatted: true })).toBe(
      ['<!-- envbot:reply -->', '> `/env help`', '', '@a \n\n```text\nCommands:\n  /env up <name>\n```'].join('\n'),
    );
  });

  it('leaves asterisks that are not Slack bold alone', () => {
    expect(slackToMarkdown('a * b and 2*3*4 and *x* y')).toBe('a * b and 2*3*4 and **x** y');
  });

  it('lists settings problems with the short commit', () => {
    expect(settingsProblemText(SHA, ['`size`: too big'])).toBe(
      ['`.envbot.yml` at 0123456 is invalid, so nothing was deployed:', '- `size`: too big', 'Fix the file and push; then comment `/env up` again.'].join('\n'),
    );
  });
});
