import { describe, expect, it } from 'vitest';
import { withPatch } from '../../app/src/commands/report-targets.js';
import type { EnvironmentRecord } from '../../app/src/environments/record.js';

// The one write front ends make: ids of what they posted, under `report`, onto a target already there.

const base = {
  name: 'x',
  owner: 'slack:U1',
  desired: 'running',
  report: { slack: { channel: 'C1' }, github: { owner: 'o', repo: 'r', pr: 1 } },
} as unknown as EnvironmentRecord;

describe('ReportTargetsPort', () => {
  it('fills in the posted Slack message once, and never a second time', () => {
    const once = withPatch(base, { slack: { channel: 'C1', messageTs: '1.1', threadTs: '1.1' } })!;
    expect(once.report.slack).toEqual({ channel: 'C1', messageTs: '1.1', threadTs: '1.1' });
    expect(withPatch(once, { slack: { channel: 'C9', messageTs: '2.2', threadTs: '2.2' } })).toBeUndefined();
  });

  it('adds no Slack or PR target the command layer did not set', () => {
    const bare = { ...base, report: {} } as EnvironmentRecord;
    expect(withPatch(bare, { slack: { channel: 'C9', messageTs: '1', threadTs: '1' }, github: { commentId: 5 } })).toBeUndefined();
  });

  it('only touches the comment and deployment ids of the PR link, nothing else on the record', () => {
    const patched = withPatch(base, { github: { commentId: 7, ...({ pr: 99, owner: 'evil' } as object) } as never })!;
    expect(patched.report.github).toEqual({ owner: 'o', repo: 'r', pr: 1, commentId: 7 });
    expect({ ...patched, report: base.report }).toEqual(base);
  });
});
