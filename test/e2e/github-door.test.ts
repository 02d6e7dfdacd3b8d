import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GitHubFrontEnd } from '../../app/src/github/github-app.js';
import { HttpServer } from '../../app/src/http/server.js';
import type { EngineFixture } from '../support/engine-fixture.js';
import { GitHubApiStub, STUB_REPO } from '../support/github-api-stub.js';
import { startGitHubBot, stopGitHubBot } from '../support/github-bot.js';
import { deliver, prComment, pullRequestEvent, sha, signature, type Delivery } from '../support/github-signing.js';

// The webhook door: every delivery that fails a check is answered at once and changes nothing —
// no GitHub API call, no environment, no dedupe record that would block a corrected redelivery.

const SECRET = 'door-webhook-secret';
let stub: GitHubApiStub;
let f: EngineFixture;
let server: HttpServer;
let gh: GitHubFrontEnd;
let base: string;

beforeAll(async () => {
  ({ stub, f, server, gh, base } = await startGitHubBot('ghdoor', SECRET));
  stub.permissions.set('alice', 'write');
  stub.addPull({ number: 7, headRef: 'door-branch', headSha: sha('door') });
});

afterAll(() => stopGitHubBot({ gh, server, stub, f }));

beforeEach(() => stub.clearCalls());

const send = (d: Delivery) => deliver(base, SECRET, d);

async function expectNothingChanged(): Promise<void> {
  await gh.idle();
  expect(stub.calls).toEqual([]);
  expect(await f.engine.store.list()).toEqual([]);
}

describe('GitHub webhook door', () => {
  it('refuses a wrong signature with 401', async () => {
    const payload = prComment({ pr: 7, login: 'alice', body: '/env up' });
    const res = await send({ event: 'issue_comment', payload, signature: signature('not-the-secret', JSON.stringify(payload)) });
    expect(res.status).toBe(401);
    await expectNothingChanged();
  });

  it('refuses a missing signature with 401', async () => {
    const res = await send({ event: 'issue_comment', payload: prComment({ pr: 7, login: 'alice', body: '/env up' }), signature: null });
    expect(res.status).toBe(401);
    await expectNothingChanged();
  });

  it('refuses a body changed after signing with 401', async () => {
    const payload = prComment({ pr: 7, login: 'alice', body: '/env status' });
    const signed = signature(SECRET, JSON.stringify(payload));
    const res = await send({ event: 'issue_comment', payload: { ...payload, comment: { ...payload.comment, body: '/env down' } }, signature: signed });
    expect(res.status).toBe(401);
    await expectNothingChanged();
  });

  it('keeps no record of a refused delivery, so a corrected redelivery is still accepted', async () => {
    const payload = prComment({ pr: 7, login: 'alice', body: 'no command here, just a delivery' });
    const refusedFirst = await send({ event: 'issue_comment', payload, signature: 'sha256=00' });
    expect(refusedFirst.status).toBe(401);
    const fixed = await send({ event: 'pull_request', payload: { action: 'created' }, id: refusedFirst.id });
    expect(fixed.status).toBe(400);
    const retried = await send({ event: 'delete', payload: { ref: 'gone', ref_type: 'branch', repository: { full_name: STUB_REPO } }, id: refusedFirst.id });
    expect(retried).toMatchObject({ status: 202, body: { accepted: refusedFirst.id } });
    await expectNothingChanged();
  });

  it('answers ping with 200', async () => {
    const res = await send({ event: 'ping', payload: { zen: 'Keep it logically awesome.', hook_id: 1 } });
    expect(res).toMatchObject({ status: 200, body: { ok: true } });
    await expectNothingChanged();
  });

  it('ignores an unknown event with 202 and the reason', async () => {
    const res = await send({ event: 'star', payload: { action: 'created', repository: { full_name: STUB_REPO } } });
    expect(res).toMatchObject({ status: 202, body: { ignored: 'event "star" is not handled' } });
    await expectNothingChanged();
  });

  it('refuses a malformed payload with 400 naming the field', async () => {
    const payload = prComment({ pr: 7, login: 'alice', body: '/env up' });
    delete payload.comment.id;
    const res = await send({ event: 'issue_comment', payload });
    expect(res.status).toBe(400);
    expect(res.body.error).toContain('comment.id');
    await expectNothingChanged();
  });

  it('refuses a body that is not JSON with 400', async () => {
    const res = await send({ event: 'issue_comment', payload: undefined, rawBody: '{"action": "created", ' });
    expect(res).toMatchObject({ status: 400, body: { error: 'the payload is not valid JSON' } });
    await expectNothingChanged();
  });

  it('ignores a command on an issue that is not a pull request', async () => {
    const res = await send({ event: 'issue_comment', payload: prComment({ pr: 7, login: 'alice', body: '/env up', onIssue: true }) });
    expect(res).toMatchObject({ status: 202, body: { ignored: 'the comment is on an issue, not a pull request' } });
    await expectNothingChanged();
  });

  it('ignores comments without a command, and bot comments', async () => {
    expect((await send({ event: 'issue_comment', payload: prComment({ pr: 7, login: 'alice', body: 'LGTM, ship it' }) })).status).toBe(202);
    const bot = prComment({ pr: 7, login: 'envbot[bot]', body: '/env down' });
    bot.sender.type = 'Bot';
    expect((await send({ event: 'issue_comment', payload: bot })).body).toEqual({ ignored: 'comments by bots are not commands' });
    await expectNothingChanged();
  });

  it('ignores deliveries from a repository it does not serve', async () => {
    const payload = pullRequestEvent('closed', { pr: 7, headRef: 'door-branch', headSha: sha('door'), merged: true });
    payload.repository.full_name = 'someone/else';
    const res = await send({ event: 'pull_request', payload });
    expect(res).toMatchObject({ status: 202, body: { ignored: 'repository someone/else is not served by this envbot' } });
    await expectNothingChanged();
  });

  it('answers before talking to GitHub, and acts on a redelivery only once', async () => {
    const release = stub.hold('POST', /\/reactions$/);
    const payload = prComment({ pr: 7, login: 'alice', body: '/env status' });
    const first = await send({ event: 'issue_comment', payload });
    // The 👀 reaction is still held by the stub: the answer did not wait for GitHub.
    expect(first).toMatchObject({ status: 202, body: { accepted: first.id } });
    expect(stub.reactions).toEqual([]);
    release();
    await gh.idle();
    const callsAfterFirst = stub.calls.length;
    expect(stub.reactions).toEqual([{ commentId: payload.comment.id, content: 'eyes' }, { commentId: payload.comment.id, content: 'confused' }]);

    const again = await send({ event: 'issue_comment', payload, id: first.id });
    expect(again).toMatchObject({ status: 200, body: { duplicate: first.id } });
    await gh.idle();
    expect(stub.calls.length).toBe(callsAfterFirst);
    expect(stub.commentsOn(7)).toHaveLength(1);
  });
});
