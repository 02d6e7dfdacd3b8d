import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canModify, canRelink, isAdmin, isOwnEvent, withinQuota } from '../../app/src/commands/access.js';
import { ownerOf, qualifyActor, type Actor } from '../../app/src/commands/actor.js';
import { IdentityLinks } from '../../app/src/commands/identity.js';
import { loadConfig } from '../../app/src/config.js';
import { originOf } from '../../app/src/environments/record.js';
import { SlackEmailDirectory } from '../../app/src/slack/access/email-directory.js';
import { sampleRecord } from '../support/sample-record.js';
import { SlackApiStub } from '../support/slack-api-stub.js';

// Who owns what across doors (issue 13, finding 8 and "identity across doors").

const policy = { admins: ['slack:UADMIN'], allowedUsers: [], maxPerUser: 1, maxTotal: 50 };
const slack = (id: string): Actor => ({ id: `slack:${id}`, source: 'slack' });
const github = (login: string): Actor => ({ id: `github:${login.toLowerCase()}`, source: 'github' });

describe('door-qualified ids', () => {
  it('a record written before ids carried their door is read with the door of its source', () => {
    expect(ownerOf(sampleRecord('env', { owner: 'U1', source: 'slack' }))).toBe('slack:U1');
    expect(ownerOf(sampleRecord('env', { owner: 'Octocat', source: 'github' }))).toBe('github:octocat');
    expect(ownerOf(sampleRecord('env', { owner: 'dev@example.com', source: 'dashboard' }))).toBe('oidc:dev@example.com');
    expect(ownerOf(sampleRecord('env', { owner: 'alice', source: 'dashboard' }))).toBe('cli:alice');
    expect(ownerOf(sampleRecord('env', { owner: 'slack:U1', source: 'slack' }))).toBe('slack:U1');
    expect(qualifyActor({ id: 'alice', source: 'cli' }).id).toBe('cli:alice');
  });

  it('finding 8: a GitHub login spelled like a Slack id neither owns that user\'s environments nor shares their admin rights', () => {
    const legacy = sampleRecord('env', { owner: 'U0VICTIM', source: 'slack' });
    expect(canModify(policy, slack('U0VICTIM'), legacy).allowed).toBe(true);
    expect(canModify(policy, github('U0VICTIM'), legacy).allowed).toBe(false);
    expect(isAdmin(policy, github('UADMIN'))).toBe(false);
    expect(isAdmin(policy, slack('UADMIN'))).toBe(true);
  });

  it('bare ids in admin lists and allow-lists are a configuration error that says how to write them', () => {
    expect(() => loadConfig({ ENVBOT_MODE: 'local', ENVBOT_ADMINS: 'U0ADMIN' })).toThrow(
      'ENVBOT_ADMINS (access.admins): "U0ADMIN" has no door: write each id with its door: slack:U0123ABCD (or slack:S… for a Slack user group), github:<login>, oidc:<email> or cli:<user>',
    );
    expect(() => loadConfig({ ENVBOT_MODE: 'local', ENVBOT_ALLOWED_USERS: 'slack:U1,S0DEVS' })).toThrow('"S0DEVS" has no door');
    expect(() => loadConfig({ ENVBOT_MODE: 'local', ENVBOT_IDENTITY_LINKS: 'slack:U1' })).toThrow('is not a link: join two or more ids with "="');
  });
});

describe('what a GitHub event may act on', () => {
  const because = { owner: 'Codertocat', repo: 'Hello-World', pr: 7 };
  it('only environments that PR or branch created through GitHub in that repository', () => {
    const fromPr = sampleRecord('env', { source: 'github', origin: { door: 'github', github: { owner: 'Codertocat', repo: 'Hello-World', pr: 7, branch: 'feature/a' } } });
    expect(isOwnEvent(fromPr, because)).toBe(true);
    expect(isOwnEvent(fromPr, { ...because, owner: 'codertocat', repo: 'hello-world' })).toBe(true);
    expect(isOwnEvent(fromPr, { ...because, pr: 8 })).toBe(false);
    expect(isOwnEvent(fromPr, { owner: 'Codertocat', repo: 'Hello-World', branch: 'feature/a' })).toBe(true);
    expect(isOwnEvent(fromPr, { owner: 'Other', repo: 'Hello-World', branch: 'feature/a' })).toBe(false);
    // A fork's PR: its head branch is another repository's, so deleting ours of that name does nothing.
    const fromFork = sampleRecord('env', { source: 'github', origin: { door: 'github', github: { owner: 'Codertocat', repo: 'Hello-World', pr: 9 } } });
    expect(isOwnEvent(fromFork, { owner: 'Codertocat', repo: 'Hello-World', branch: 'env' })).toBe(false);
    expect(isOwnEvent(fromFork, { ...because, pr: 9 })).toBe(true);
    // Made in Slack and later shown on a PR by its owner: GitHub events still leave it alone.
    const fromSlack = sampleRecord('env', { source: 'slack', branch: 'feature/a', report: { github: { owner: 'Codertocat', repo: 'Hello-World', pr: 7 } } });
    expect(isOwnEvent(fromSlack, because)).toBe(false);
    expect(canModify(policy, github('mallory'), fromSlack, because).allowed).toBe(false);
    expect(canRelink(github('mallory'), fromSlack, because)).toBe(false);
  });

  it('a GitHub record from before origins were recorded came from the PR it reports to', () => {
    const legacy = sampleRecord('env', { source: 'github', owner: 'alice', branch: 'feature/a', report: { github: { owner: 'Codertocat', repo: 'Hello-World', pr: 7 } } });
    expect(originOf(legacy)).toEqual({ door: 'github', github: { owner: 'Codertocat', repo: 'Hello-World', pr: 7, branch: 'feature/a' } });
    expect(isOwnEvent(legacy, because)).toBe(true);
  });
});

describe('linked identities', () => {
  it('the admin map links ids transitively, and linked ids share ownership and quota', async () => {
    const links = new IdentityLinks([['slack:U1', 'github:alice'], ['github:alice', 'oidc:alice@example.com']]);
    const me = await links.resolve({ id: 'oidc:alice@example.com', source: 'dashboard' });
    expect(new Set(me.aliases)).toEqual(new Set(['oidc:alice@example.com', 'slack:U1', 'github:alice']));
    const slackEnv = sampleRecord('a', { owner: 'U1', source: 'slack' });
    expect(canModify(policy, me, slackEnv).allowed).toBe(true);
    expect(withinQuota(policy, me, [slackEnv])).toMatchObject({ allowed: false });
    expect((await links.resolve(github('bob'))).aliases).toEqual(['github:bob']);
  });

  describe('by confirmed email through Slack', () => {
    let stub: SlackApiStub;
    let links: IdentityLinks;
    beforeAll(async () => {
      stub = await new SlackApiStub().start();
      stub.emails.set('U1', 'alice@example.com');
      const client = new webApi.WebClient('xoxb-test', { slackApiUrl: stub.apiUrl, retryConfig: { retries: 0 } });
      links = new IdentityLinks([]);
      links.addDirectory(new SlackEmailDirectory(client));
    });
    afterAll(() => stub.stop());

    it('a dashboard sign-in is the Slack user with that email, and back', async () => {
      expect((await links.resolve({ id: 'oidc:Alice@Example.com', source: 'dashboard' })).aliases).toEqual(['oidc:alice@example.com', 'slack:U1']);
      expect((await links.resolve(slack('U1'))).aliases).toEqual(['slack:U1', 'oidc:alice@example.com']);
      expect(new Set(stub.callsOf('users.lookupByEmail').map((c) => c.body.email))).toEqual(new Set(['alice@example.com']));
    });

    it('an unknown email or an unconfirmed Slack email links nothing', async () => {
      expect((await links.resolve({ id: 'oidc:eve@example.com', source: 'dashboard' })).aliases).toEqual(['oidc:eve@example.com']);
      expect((await links.resolve(slack('U2'))).aliases).toEqual(['slack:U2']);
    });
  });
});
