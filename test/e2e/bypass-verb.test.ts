import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GitHubFrontEnd } from '../../app/src/github/github-app.js';
import type { HttpServer } from '../../app/src/http/server.js';
import type { EngineFixture } from '../support/engine-fixture.js';
import type { GitHubApiStub } from '../support/github-api-stub.js';
import { startGitHubBot, stopGitHubBot } from '../support/github-bot.js';
import { deliver, prComment, sha } from '../support/github-signing.js';
import { SlackTestBot } from '../support/slack-signing.js';

// `/env bypass` (issue 15): the automation bypass secret is shown to admins only, privately.
// Signed Slack slash commands and signed GitHub deliveries in; replies, posts and the audit out.

const BYPASS = 'Bypass-secret-value-0123456789abcdef';
const PROTECTED = {
  ENVBOT_ADMINS: 'slack:UADMIN',
  ENVBOT_PROTECTION: 'ip',
  ENVBOT_PROTECTION_ALLOWED_CIDRS: '203.0.113.0/24',
  ENVBOT_BYPASS_SECRET: BYPASS,
  ENVBOT_MAX_TOTAL: '20',
};

describe('Slack: /env bypass', () => {
  let bot: SlackTestBot;
  beforeAll(async () => {
    bot = await SlackTestBot.start({ label: 'slbypass', env: PROTECTED });
  });
  afterAll(async () => bot?.close());

  const posted = () => JSON.stringify([...bot.stub.callsOf('chat.postMessage'), ...bot.stub.callsOf('chat.update')]);

  it('an admin sees the secret header, in an ephemeral reply only; the audit names who saw it, not the value', async () => {
    const reply = await bot.command('UADMIN', 'bypass');
    await bot.settle();
    const answers = bot.responses(reply.responsePath) as { response_type: string; text: string }[];
    expect(answers.at(-1)).toMatchObject({ response_type: 'ephemeral' });
    expect(answers.at(-1)!.text).toContain(`x-envbot-bypass: ${BYPASS}`);
    expect(answers.every((a) => a.response_type === 'ephemeral')).toBe(true);
    expect(posted()).not.toContain(BYPASS);
    const audit = bot.audits.filter((a) => a.actor === 'slack:UADMIN' && a.action === 'bypass');
    expect(audit).toMatchObject([{ outcome: 'accepted', source: 'slack' }]);
    expect(JSON.stringify(bot.audits)).not.toContain(BYPASS);
  });

  it('anyone else is refused with a reason, and the refusal is audited', async () => {
    const reply = await bot.command('UDEV', 'bypass');
    await bot.settle();
    const answer = bot.responses(reply.responsePath).at(-1) as { response_type: string; text: string };
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toContain('Only an envbot admin may see the automation bypass');
    expect(answer.text).not.toContain(BYPASS);
    expect(bot.audits.filter((a) => a.actor === 'slack:UDEV')).toMatchObject([{ action: 'bypass', outcome: 'refused' }]);
  });
});

describe('GitHub: /env bypass in a PR comment', () => {
  const SECRET = 'bypass-webhook-secret';
  let stub: GitHubApiStub;
  let f: EngineFixture;
  let server: HttpServer;
  let gh: GitHubFrontEnd;
  let base: string;
  beforeAll(async () => {
    ({ stub, f, server, gh, base } = await startGitHubBot('ghbypass', SECRET, {}, { ...PROTECTED, ENVBOT_ADMINS: 'github:octo-admin' }));
    stub.permissions.set('octo-admin', 'admin');
    stub.addPull({ number: 7, headRef: 'feature/b', headSha: sha('feature/b@1'), author: 'octo-admin' });
  });
  afterAll(() => stopGitHubBot({ gh, server, stub, f }));

  it('is refused even for an admin (comments are public), pointing to a Slack DM or the CLI; audited', async () => {
    const res = await deliver(base, SECRET, { event: 'issue_comment', payload: prComment({ pr: 7, login: 'octo-admin', body: '/env bypass' }) });
    expect(res.status).toBe(202);
    await gh.idle();
    const replies = stub.commentsOn(7).filter((c) => c.body.includes('<!-- envbot:reply -->'));
    expect(replies.at(-1)!.body).toContain('`/env bypass` is not available in PR comments');
    expect(replies.at(-1)!.body).toContain('Slack DM');
    expect(JSON.stringify(stub.commentsOn(7))).not.toContain(BYPASS);
    const audit = (await f.engine.store.recentAudit(50)).filter((a) => a.actor === 'github:octo-admin');
    expect(audit).toMatchObject([{ action: 'bypass', outcome: 'refused' }]);
  });
});
