import { describe, expect, it } from 'vitest';
import type { EnvironmentRecord, EnvStatus, DesiredState } from '../../app/src/environments/record.js';
import { renderEnvTable } from '../../app/src/dashboard/env-table.js';
import { escapeHtml, html, safeHref } from '../../app/src/dashboard/html.js';
import { noticeText } from '../../app/src/dashboard/notice-text.js';
import { renderPage } from '../../app/src/dashboard/page.js';
import { actionsFor, buildRows } from '../../app/src/dashboard/rows.js';
import { envButtons } from '../../app/src/slack/render/buttons.js';

const NOW = new Date('2026-06-01T10:00:00Z');
const HOSTILE = `<img src=x onerror="alert(1)">'&`;

function record(o: Partial<EnvironmentRecord> = {}): EnvironmentRecord {
  return {
    name: 'feature-x',
    owner: 'alice',
    branch: 'feature/x',
    profile: 'dev',
    size: 'xs',
    desired: 'running',
    status: 'ready',
    url: 'https://feature-x.envs.example.com',
    source: 'cli',
    report: {},
    createdAt: '2026-06-01T08:00:00Z',
    updatedAt: '2026-06-01T08:00:00Z',
    touchedAt: '2026-06-01T08:00:00Z',
    version: 1,
    ...o,
  };
}

async function rows(records: EnvironmentRecord[], local: boolean, ctx = {}) {
  return buildRows({ store: { list: async () => records }, ctx, local, now: NOW, timezone: 'Asia/Seoul' });
}

describe('dashboard rendering escapes what users control', () => {
  it('a hostile branch, owner and status reason come out as text, never as markup', async () => {
    const r = await rows([record({ branch: HOSTILE, owner: `${HOSTILE}bob`, status: 'failed', statusReason: HOSTILE })], false);
    const out = renderEnvTable(r, { local: false }).value;
    expect(out).not.toContain('<img');
    expect(out).not.toContain('onerror="');
    expect(out).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&#39;&amp;');
    // Attribute values (data-owner) are escaped too, so they cannot break out of their quotes.
    expect(out).toContain(`data-owner="cli:&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&#39;&amp;bob"`);
  });

  it('the page escapes the signed-in user and the limitations banner', () => {
    const page = renderPage({ me: HOSTILE, local: true, limitations: [HOSTILE], table: html``, chartCaption: HOSTILE, nonce: 'n0nce' });
    expect(page).not.toContain('<img src=x');
    expect(page).toContain('data-me="&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&#39;&amp;"');
    expect(page).toContain('<script nonce="n0nce">');
  });

  it('only http(s) URLs become links', async () => {
    expect(safeHref('javascript:alert(1)')).toBeUndefined();
    expect(safeHref('https://a.example.com/')).toBe('https://a.example.com/');
    const out = renderEnvTable(await rows([record({ url: 'javascript:alert(1)' })], false), { local: false }).value;
    expect(out).not.toContain('javascript:');
  });

  it('escapes all five HTML-special characters', () => {
    expect(escapeHtml(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;');
  });
});

describe('dashboard rows', () => {
  it('locally, statuses the emulator only pretends are labelled as emulated', async () => {
    const [ready] = await rows([record()], true, { extendPort: { extend: async () => ({ until: '', display: '' }), nextStop: () => 'Mon 2026-06-01 20:00' } });
    expect(ready).toMatchObject({ statusLabel: 'ready', emulatedNote: 'emulated — nothing is really running', autoStop: 'Mon 2026-06-01 20:00', autoStopNote: 'schedules never fire locally' });
    const html = renderEnvTable([ready!], { local: true }).value;
    expect(html).toContain('emulated — nothing is really running');
    // Nothing answers at the URL locally: Open is shown but not offered as a working link.
    expect(html).toContain('aria-disabled="true"');
    expect(html).not.toContain('href="https://feature-x');
  });

  it('in AWS the same status has no emulator label and Open is a real link', async () => {
    const [ready] = await rows([record()], false);
    expect(ready!.emulatedNote).toBeUndefined();
    expect(renderEnvTable([ready!], { local: false }).value).toContain('<a class="btn" href="https://feature-x.envs.example.com/"');
  });

  it('shows cost so far when the cost port gives it, and leaves deleted records out', async () => {
    const list = [record(), record({ name: 'gone', desired: 'deleted', status: 'stopped' })];
    const r = await rows(list, false, { costPort: { costText: async () => '', costSoFar: async () => 1.234 } });
    expect(r.map((x) => [x.name, x.cost])).toEqual([['feature-x', 1.234]]);
    expect(renderEnvTable(r, { local: false }).value).toContain('$1.23');
  });

  it('offers the same actions as the Slack buttons in every state', () => {
    const slackToOurs: Record<string, string> = { env_open: 'open', env_stop: 'stop', env_start: 'start', env_extend: 'extend', env_destroy: 'destroy' };
    const statuses: EnvStatus[] = ['queued', 'building', 'deploying', 'waiting-health', 'ready', 'stopping', 'stopped', 'deleting', 'failed'];
    const desired: DesiredState[] = ['running', 'stopped', 'deleted'];
    for (const status of statuses) {
      for (const d of desired) {
        const r = record({ status, desired: d });
        const slack = envButtons(r).map((b) => (b.action_id === 'env_start' && status === 'failed' ? 'retry' : slackToOurs[b.action_id!]));
        expect(actionsFor(r), `${status}/${d}`).toEqual(slack);
      }
    }
  });
});

describe('activity lines', () => {
  it('say when the emulator only pretends', () => {
    const local = { local: true, timezone: 'Asia/Seoul' };
    expect(noticeText(record(), { kind: 'ready', url: 'http://x' }, local)).toBe('feature-x is ready at http://x (emulated — nothing is really running)');
    expect(noticeText(record(), { kind: 'ready', url: 'http://x' }, { ...local, local: false })).toBe('feature-x is ready at http://x');
    expect(noticeText(record(), { kind: 'progress', stage: 'waiting-health' }, local)).toBe('feature-x: waiting for health check');
    // Instants read in the bot's time zone, as in Slack.
    expect(noticeText(record(), { kind: 'extended', until: '2026-06-01T13:00:00.000Z' }, local)).toBe(
      'feature-x: auto-stop postponed until Mon 2026-06-01 22:00 (schedules never fire locally)',
    );
  });
});
