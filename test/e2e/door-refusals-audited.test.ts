import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GitHubFrontEnd } from '../../app/src/github/github-app.js';
import type { HttpServer } from '../../app/src/http/server.js';
import type { EngineFixture } from '../support/engine-fixture.js';
import type { GitHubApiStub } from '../support/github-api-stub.js';
import { startGitHubBot, stopGitHubBot } from '../support/github-bot.js';
import { deliver, prComment, sha } from '../support/github-signing.js';
import { SlackTestBot } from '../support/slack-signing.js';

// Every refusal of who-may-ask is decided, answered and audited once by the command layer,
// whatever the door: signed GitHub deliveries and signed Slack clicks in, the audit log out.

const SECRET = 'refusals-webhook-secret';
let stub: GitHubApiStub;
let f: EngineFixture;
let server: HttpServer;
let gh: GitHubFrontEnd;
let base: string;

describe('GitHub refusals go through the command layer', () => {
  beforeAll(async () => {
    ({ stub, f, server, gh, base } = await startGitHubBot('ghrefuse', SECRET));
    stub.permissions.set('alice', 'write');
    stub.permissions.set('bob', 'read');
    stub.addPull({ number: 1, headRef: 'feature/a', headSha: sha('feature/a@1'), author: 'alice' });
    stub.addPull({ number: 2, headRef: 'feature/fork', headSha: sha('feature/fork@1'), author: 'eve', fork: true });
    stub.addPull({ number: 3, headRef: 'feature/closed', headSha: sha('feature/closed@1'), author: 'alice', state: 'closed' });
  });
  afterAll(() => stopGitHubBot({ gh, server, stub, f }));

  async function comment(pr: number, login: string, body: string): Promise<void> {
    const res = await deliver(base, SECRET, { event: 'issue_comment', payload: prComment({ pr, login, body }) });
    expect(res.status).toBe(202);
    await gh.idle();
  }
  const auditsBy = async (actor: string) => (await f.engine.store.recentAudit(100)).filter((a) => a.actor === actor);
  const replies = (pr: number) => stub.commentsOn(pr).filter((c) => c.body.includes('<!-- envbot:reply -->'));

  it('a commenter without write access: one reply, one audit entry, however many lines', async () => {
    await comment(1, 'bob', '/env up\n/env down feature-a\n/env list');
    expect(replies(1).map((c) => c.body)).toEqual([expect.stringContaining('You need write access to Codertocat/Hello-World')]);
    expect(await auditsBy('github:bob')).toMatchObject([{ action: 'up', source: 'github', outcome: 'refused', detail: expect.stringContaining('write access') }]);
  });

  it("an outsider's line that does not parse still gets only the write-access answer", async () => {
    await comment(1, 'carol', '/env frobnicate --all');
    expect(replies(1).at(-1)!.body).toContain('You need write access');
    expect(await auditsBy('github:carol')).toMatchObject([{ outcome: 'refused' }]);
  });

  it('config in a PR comment is refused and audited (without any value)', async () => {
    await comment(1, 'alice', '/env config feature-a set TOKEN=hunter2');
    const audit = (await auditsBy('github:alice')).filter((a) => a.action === 'config');
    expect(audit).toMatchObject([{ outcome: 'refused', detail: expect.stringContaining('not available in PR comments') }]);
    expect(JSON.stringify(audit)).not.toContain('hunter2');
  });

  it('a command on a fork PR is refused and audited once', async () => {
    await comment(2, 'alice', '/env up');
    expect(replies(2).at(-1)!.body).toContain('comes from a fork');
    expect((await auditsBy('github:alice')).filter((a) => a.detail?.includes('comes from a fork'))).toMatchObject([{ action: 'up', outcome: 'refused' }]);
    expect(await f.engine.store.get('feature-fork')).toBeUndefined();
  });

  it('up on a closed PR is refused and audited once', async () => {
    await comment(3, 'alice', '/env up');
    expect((await auditsBy('github:alice')).filter((a) => a.detail?.includes('only deploys open pull requests'))).toMatchObject([{ action: 'up', outcome: 'refused' }]);
  });
});

describe('Slack: the Extend form is refused by the command layer, and audited', () => {
  let bot: SlackTestBot;
  beforeAll(async () => {
    bot = await SlackTestBot.start({ label: 'slrefuse' });
    await bot.command('U1', 'up ext-env');
    await bot.settle();
  });
  afterAll(async () => bot?.close());

  it("a non-owner's Extend click: an ephemeral refusal, one audit entry, no form", async () => {
    const ts = (await bot.engine.store.get('ext-env'))!.report.slack!.messageTs!;
    await bot.click('U2', 'env_extend', 'ext-env', { kind: 'message', channel: 'C1', ts });
    await bot.settle();
    expect(bot.stub.callsOf('views.open')).toEqual([]);
    expect(bot.audits.filter((a) => a.actor === 'slack:U2')).toMatchObject([{ action: 'extend', env: 'ext-env', outcome: 'refused', detail: expect.stringContaining('belongs to slack:U1') }]);
  });
});
