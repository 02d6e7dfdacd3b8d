import { describe, expect, it } from 'vitest';
import { commandLines } from '../../app/src/github/handlers/comment-lines.js';
import { triage } from '../../app/src/github/connection/triage.js';
import { branchDeleted, prComment, pullRequestEvent, pushEvent, sha } from '../support/github-signing.js';

const REPO = { owner: 'Codertocat', repo: 'Hello-World' };
const HEAD = sha('t');

describe('commandLines', () => {
  it('takes /env lines in order and skips code blocks, quotes and look-alikes', () => {
    const body = ['Please:', '/env up', '  /env status feature-x  ', '> /env down', '```', '/env down', '```', '/envy up', 'see /env help', '/env'].join('\n');
    expect(commandLines(body)).toEqual(['/env up', '/env status feature-x', '/env']);
  });
});

describe('triage', () => {
  it('turns a PR comment into a command event', () => {
    const p = prComment({ pr: 5, login: 'alice', body: '/env up\r\n/env status', commentId: 42 });
    expect(triage('issue_comment', p, REPO)).toEqual({
      kind: 'handle',
      event: { type: 'comment', repo: REPO, pr: 5, commentId: 42, login: 'alice', lines: ['/env up', '/env status'] },
    });
  });

  it('keeps no more command lines than envbot will run, so an outsider cannot park a long paste in the inbox', () => {
    const body = Array.from({ length: 200 }, (_, i) => `/env status env-${i}`).join('\n');
    const t = triage('issue_comment', prComment({ pr: 1, login: 'outsider', body }));
    expect(t.kind === 'handle' && t.event.type === 'comment' && t.event.lines).toEqual(['/env status env-0', '/env status env-1', '/env status env-2', '/env status env-3', '/env status env-4']);
  });

  it('ignores edited comments, issue comments and envbot\'s own comments', () => {
    const edited = { ...prComment({ pr: 5, login: 'alice', body: '/env up' }), action: 'edited' };
    expect(triage('issue_comment', edited)).toMatchObject({ kind: 'ignore' });
    expect(triage('issue_comment', prComment({ pr: 5, login: 'alice', body: '/env up', onIssue: true }))).toMatchObject({ kind: 'ignore' });
    expect(triage('issue_comment', prComment({ pr: 5, login: 'alice', body: '<!-- envbot:reply -->\n/env up' }))).toEqual({ kind: 'ignore', reason: "envbot's own comment" });
  });

  it('reads pull request events, including forks, drafts and labels', () => {
    const p = pullRequestEvent('labeled', { pr: 9, headRef: 'feat', headSha: HEAD, fork: true, draft: true, label: 'preview', sender: 'bob' });
    expect(triage('pull_request', p)).toEqual({
      kind: 'handle',
      event: {
        type: 'pull',
        action: 'labeled',
        repo: REPO,
        sender: 'bob',
        label: 'preview',
        pull: { number: 9, headRef: 'feat', headSha: HEAD, fork: true, draft: true, open: true, merged: false, labels: ['bug'], author: 'Codertocat' },
      },
    });
    const merged = triage('pull_request', pullRequestEvent('closed', { pr: 9, headRef: 'feat', headSha: HEAD, merged: true }));
    expect(merged).toMatchObject({ kind: 'handle', event: { action: 'closed', pull: { merged: true, open: false, fork: false } } });
    expect(triage('pull_request', pullRequestEvent('assigned', { pr: 9, headRef: 'feat', headSha: HEAD }))).toEqual({ kind: 'ignore', reason: 'pull_request.assigned is not handled' });
  });

  it('reads branch pushes and deletions; tags are ignored', () => {
    expect(triage('push', pushEvent('feature/x', HEAD))).toMatchObject({ kind: 'handle', event: { type: 'push', repo: REPO, branch: 'feature/x', sha: HEAD } });
    expect(triage('delete', branchDeleted('feature/x'))).toMatchObject({ kind: 'handle', event: { type: 'branch-deleted', repo: REPO, branch: 'feature/x' } });
    expect(triage('delete', { ...branchDeleted('v1'), ref_type: 'tag' })).toEqual({ kind: 'ignore', reason: 'deleting a tag is not handled' });
    expect(triage('push', { ...pushEvent('x', HEAD), ref: 'refs/tags/v1' })).toMatchObject({ kind: 'ignore' });
  });

  it('calls a payload without the fields it needs malformed', () => {
    const p = pullRequestEvent('closed', { pr: 9, headRef: 'feat', headSha: HEAD });
    p.pull_request.head.sha = 'not-a-sha';
    expect(triage('pull_request', p)).toMatchObject({ kind: 'malformed', reason: expect.stringContaining('pull_request.head.sha') });
    expect(triage('issue_comment', null)).toMatchObject({ kind: 'malformed' });
    expect(triage('delete', { ref: 'x' })).toMatchObject({ kind: 'malformed' });
  });

  it('answers ping and ignores other events and other repositories', () => {
    expect(triage('ping', {})).toEqual({ kind: 'ping' });
    expect(triage('workflow_run', {})).toEqual({ kind: 'ignore', reason: 'event "workflow_run" is not handled' });
    expect(triage('delete', branchDeleted('x'), { owner: 'codertocat', repo: 'hello-world' })).toMatchObject({ kind: 'handle' });
    expect(triage('delete', branchDeleted('x'), { owner: 'other', repo: 'repo' })).toMatchObject({ kind: 'ignore' });
  });
});
