import { describe, expect, it } from 'vitest';
import { renderList, renderStatus } from '../../app/src/commands/render-text.js';
import { actionsFor } from '../../app/src/dashboard/rows.js';
import { noticeText } from '../../app/src/dashboard/notice-text.js';
import { isAsleep, shownStatus, wakeableByRequest } from '../../app/src/environments/record.js';
import { renderStatusComment, statusViewFor } from '../../app/src/github/render/render-status.js';
import { renderEnvMessage } from '../../app/src/slack/render/env-message.js';
import { envSummaryLine } from '../../app/src/slack/render/list.js';
import { sampleRecord } from '../support/sample-record.js';

const NOW = new Date('2025-06-01T01:00:00.000Z');
const url = 'https://feature-x.envs.example.com';
const asleep = sampleRecord('feature-x', { desired: 'stopped', status: 'stopped', stopReason: 'idle', url });
const stopped = sampleRecord('feature-y', { desired: 'stopped', status: 'stopped', stopReason: 'user', url });

describe('asleep: an idle-sleep stop users can see', () => {
  it('is a stopped record with stopReason idle', () => {
    expect(shownStatus(asleep)).toBe('asleep');
    expect(shownStatus(stopped)).toBe('stopped');
    expect(isAsleep({ ...asleep, status: 'stopping' })).toBe(false);
    expect(isAsleep(sampleRecord('old', { desired: 'stopped', status: 'stopped' }))).toBe(false);
  });

  it('wakes on request after idle or schedule stops; after /env stop only where the profile says so', () => {
    expect(wakeableByRequest(asleep, {})).toBe(true);
    expect(wakeableByRequest({ ...stopped, stopReason: 'schedule' }, {})).toBe(true);
    expect(wakeableByRequest(stopped, { wakeAfterUserStop: false })).toBe(false);
    expect(wakeableByRequest(stopped, { wakeAfterUserStop: true })).toBe(true);
    expect(wakeableByRequest(sampleRecord('r'), { wakeAfterUserStop: true })).toBe(false);
  });

  it('shows in status and list text', () => {
    expect(renderStatus(asleep, {}, NOW).split('\n')[0]).toBe('*feature-x* — asleep (no requests for a while; the next request wakes it)');
    expect(renderList([asleep, stopped], false, NOW)).toContain(`• feature-x — asleep — slack:U1 — feature-x — 1h — ${url}`);
    expect(renderList([asleep, stopped], false, NOW)).toContain('• feature-y — stopped — slack:U1 — feature-y — 1h');
  });

  it('shows in Slack', () => {
    expect(envSummaryLine(asleep, NOW)).toMatch(/^:zzz: \*feature-x\* — asleep · <https:\/\/feature-x.envs.example.com\|/);
    const message = renderEnvMessage({ record: asleep });
    expect(message.text).toBe('feature-x — asleep');
    expect(JSON.stringify(message.blocks[0])).toContain('is asleep (no requests for a while). The next request to');
  });

  it('shows in the PR comment and on the dashboard', () => {
    const view = statusViewFor(asleep, { now: NOW });
    expect(view.status).toBe('asleep');
    expect(renderStatusComment(view)).toContain('asleep');
    expect(actionsFor(asleep)).toEqual(['open', 'start', 'destroy']);
    expect(actionsFor(stopped)).toEqual(['start', 'destroy']);
    expect(noticeText(asleep, { kind: 'stopped', by: 'user' }, { local: false, timezone: 'UTC' })).toBe('feature-x is asleep (no requests for a while); the next request wakes it');
  });
});
