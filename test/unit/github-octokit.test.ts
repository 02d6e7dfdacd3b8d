import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GitHubCommitResolver } from '../../app/src/github/connection/commit-resolver.js';
import { Deployments } from '../../app/src/github/progress/deployments.js';
import { createOctokit } from '../../app/src/github/connection/octokit.js';
import { WritePermissions } from '../../app/src/github/access/permissions.js';
import { fetchPull } from '../../app/src/github/connection/pulls.js';
import { RepoSettingsLoader } from '../../app/src/github/connection/repo-settings.js';
import { StatusComments } from '../../app/src/github/progress/status-comment.js';
import { silentLog } from '../support/engine-fixture.js';
import { GitHubApiStub } from '../support/github-api-stub.js';
import { sha } from '../support/github-signing.js';

// The GitHub adapters against the API stub: retries, rate limits, App authentication, and the
// small behaviours (cache, 404 handling, find-by-marker) the front end relies on.

const REPO = { owner: 'Codertocat', repo: 'Hello-World' };
let stub: GitHubApiStub;

beforeAll(async () => {
  stub = await GitHubApiStub.start();
  stub.addPull({ number: 1, headRef: 'feature/x', headSha: sha('x') });
  stub.permissions.set('alice', 'write');
  stub.permissions.set('maint', 'maintain');
});
afterAll(() => stub.close());
beforeEach(() => stub.clearCalls());

const github = (over: Record<string, unknown> = {}) => ({ token: 'ghp_t', apiUrl: stub.url, allowForks: false, ...over });
const fast = () => createOctokit(github(), silentLog, { throttle: false, retryAfterBaseMs: 0 });

describe('createOctokit', () => {
  it('retries a transient 5xx and then succeeds', async () => {
    stub.fail('GET', /\/pulls\/1$/, 502, { times: 2 });
    const pull = await fetchPull(fast(), REPO, 1);
    expect(pull).toMatchObject({ number: 1, headRef: 'feature/x', fork: false });
    expect(stub.callsTo('GET', /\/pulls\/1$/)).toHaveLength(3);
  });

  it('waits out a primary rate limit (throttling plugin) and retries', async () => {
    const octokit = createOctokit(github(), silentLog, { retryAfterBaseMs: 1 });
    stub.fail('GET', /\/collaborators\/alice\/permission$/, 403, {
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '0' },
      message: 'API rate limit exceeded for installation',
    });
    expect(await new WritePermissions(octokit).of(REPO, 'alice')).toEqual({ level: 'write', canWrite: true });
    expect(stub.callsTo('GET', /\/collaborators\/alice\/permission$/)).toHaveLength(2);
  });

  it('backs off on a secondary rate limit and retries once', async () => {
    const octokit = createOctokit(github(), silentLog, { retryAfterBaseMs: 1 });
    stub.fail('GET', /\/pulls\/1$/, 403, { headers: { 'retry-after': '1' }, message: 'You have exceeded a secondary rate limit' });
    await fetchPull(octokit, REPO, 1);
    expect(stub.callsTo('GET', /\/pulls\/1$/)).toHaveLength(2);
  });

  it('authenticates with the token', async () => {
    await fetchPull(fast(), REPO, 1);
    expect(stub.calls[0]?.authorization).toBe('token ghp_t');
  });

  it('authenticates as a GitHub App installation, minting an installation token first', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    // Keys often arrive through environment variables with literal "\n".
    const octokit = createOctokit(github({ token: undefined, appId: '123', installationId: '99', privateKey: privateKey.replace(/\n/g, '\\n') }), silentLog, { throttle: false });
    await fetchPull(octokit, REPO, 1);
    const [mint, call] = stub.calls;
    expect(mint).toMatchObject({ method: 'POST', path: '/app/installations/99/access_tokens' });
    expect(mint?.authorization).toMatch(/^bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    expect(call).toMatchObject({ method: 'GET', path: '/repos/Codertocat/Hello-World/pulls/1', authorization: 'token ghs_installation99' });
  });

  it('says which settings are missing when there are no credentials', () => {
    expect(() => createOctokit(github({ token: undefined }), silentLog)).toThrow(/GITHUB_TOKEN, or GITHUB_APP_ID \+ GITHUB_PRIVATE_KEY \+ GITHUB_INSTALLATION_ID/);
  });
});

describe('WritePermissions', () => {
  it('knows write, maintain and admin from read and strangers, and caches answers briefly', async () => {
    let now = 0;
    const perms = new WritePermissions(fast(), 60_000, () => now);
    expect(await perms.of(REPO, 'maint')).toEqual({ level: 'maintain', canWrite: true });
    expect(await perms.of(REPO, 'stranger')).toEqual({ level: 'none', canWrite: false });
    now = 59_999;
    await perms.of(REPO, 'MAINT');
    expect(stub.callsTo('GET', /\/permission$/)).toHaveLength(2);
    now = 60_000;
    await perms.of(REPO, 'maint');
    expect(stub.callsTo('GET', /\/permission$/)).toHaveLength(3);
  });
});

describe('GitHubCommitResolver', () => {
  it('gives the head commit of a branch, undefined for an unknown one', async () => {
    const resolver = new GitHubCommitResolver(fast(), { list: async () => [] }, 'Codertocat/Hello-World');
    expect(await resolver.headCommit('feature/x')).toBe(sha('x'));
    expect(await resolver.headCommit('nope')).toBeUndefined();
    expect(stub.calls.map((c) => c.path)).toEqual(['/repos/Codertocat/Hello-World/branches/feature%2Fx', '/repos/Codertocat/Hello-World/branches/nope']);
  });

  it('without a configured repository, asks nobody', async () => {
    expect(await new GitHubCommitResolver(fast(), { list: async () => [] }).headCommit('feature/x')).toBeUndefined();
    expect(stub.calls).toEqual([]);
  });
});

describe('StatusComments', () => {
  it('finds its comment by the marker, and recreates it when someone deleted it', async () => {
    const comments = new StatusComments(fast());
    const target = { ...REPO, pr: 1 };
    const first = await comments.upsert(target, 'feature-x', '<!-- envbot:status:feature-x -->\nv1');
    expect(await comments.upsert(target, 'feature-x', '<!-- envbot:status:feature-x -->\nv2')).toBe(first);
    expect(stub.comments.get(first)?.body).toContain('v2');
    stub.comments.delete(first);
    const again = await comments.upsert(target, 'feature-x', '<!-- envbot:status:feature-x -->\nv3', first);
    expect(again).not.toBe(first);
    expect(stub.commentsOn(1).map((c) => c.body)).toEqual(['<!-- envbot:status:feature-x -->\nv3']);
  });
});

describe('Deployments and settings', () => {
  it('sends one status per change, and remembers the commit of a deployment', async () => {
    const deployments = new Deployments(fast());
    const id = await deployments.create(REPO, 'feature-x', sha('x'));
    await deployments.setStatus(REPO, id, 'in_progress');
    await deployments.setStatus(REPO, id, 'in_progress');
    await deployments.setStatus(REPO, id, 'success', { environmentUrl: 'https://x' });
    expect(stub.deployments.get(id)?.statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
    expect(await new Deployments(fast()).shaOf(REPO, id)).toBe(sha('x'));
  });

  it('reads .envbot.yml once per commit; no file means defaults', async () => {
    stub.files.set(`${sha('x')}:.envbot.yml`, 'size: s\n');
    const loader = new RepoSettingsLoader(fast());
    expect(await loader.at(REPO, sha('x'))).toMatchObject({ ok: true, settings: { size: 's' } });
    expect(await loader.at(REPO, sha('x'))).toMatchObject({ ok: true });
    expect(await loader.at(REPO, sha('none'))).toMatchObject({ ok: true, settings: { rebuildOnPush: true } });
    expect(stub.callsTo('GET', /\/contents\//)).toHaveLength(2);
  });
});
