import { DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubFrontEnd, type GitHubFrontEnd } from '../../app/src/github/github-app.js';
import { createOctokit } from '../../app/src/github/connection/octokit.js';
import { statusMarker } from '../../app/src/github/render/render-status.js';
import { HttpServer } from '../../app/src/http/server.js';
import { engineFixture, silentLog, type EngineFixture } from '../support/engine-fixture.js';
import { GitHubApiStub } from '../support/github-api-stub.js';
import { startGitHubBot, stopGitHubBot } from '../support/github-bot.js';
import { deliver, prComment, sha } from '../support/github-signing.js';

// PR-comment commands end to end: signed deliveries in, the GitHub API stub and the AWS emulator
// out. One PR's environment goes up, is looked at, stopped and started; refusals change nothing.

const SECRET = 'commands-webhook-secret';
const HEAD = sha('feature/login@1');
const URL_OF = 'https://feature-login.envs.example.com';
let stub: GitHubApiStub;
let f: EngineFixture;
let server: HttpServer;
let gh: GitHubFrontEnd;
let base: string;

beforeAll(async () => {
  ({ stub, f, server, gh, base } = await startGitHubBot('ghcmd', SECRET));
  stub.permissions.set('alice', 'write');
  stub.permissions.set('bob', 'read');
  stub.addPull({ number: 1, headRef: 'feature/login', headSha: HEAD, author: 'alice' });
  stub.files.set(`${HEAD}:.envbot.yml`, 'containerPort: 8081\nhealthCheckPath: /healthz\nsize: s\n');
});

afterAll(() => stopGitHubBot({ gh, server, stub, f }));

/** Posts a comment on a PR and waits until the bot and the reconciler are done with it. */
async function comment(pr: number, login: string, body: string) {
  const payload = prComment({ pr, login, body });
  const res = await deliver(base, SECRET, { event: 'issue_comment', payload });
  expect(res.status).toBe(202);
  await gh.idle();
  return payload.comment.id as number;
}

const reactionsOn = (id: number) => stub.reactions.filter((r) => r.commentId === id).map((r) => r.content);
const livingComment = (pr: number, env: string) => stub.commentsOn(pr).filter((c) => c.body.includes(statusMarker(env)));
const repliesOn = (pr: number) => stub.commentsOn(pr).filter((c) => c.body.includes('<!-- envbot:reply -->'));

describe('PR comment commands', () => {
  it('/env up deploys the PR head with .envbot.yml applied, one living comment and a deployment', async () => {
    const id = await comment(1, 'alice', 'Looks good.\n/env up');
    expect(reactionsOn(id)).toEqual(['eyes', 'rocket']);
    expect(stub.callsTo('GET', /\/collaborators\/alice\/permission$/)).toHaveLength(1);
    expect(stub.callsTo('GET', /\/contents\/\.envbot\.yml$/).map((c) => c.query.ref)).toEqual([HEAD]);

    const record = await f.engine.store.get('feature-login');
    expect(record).toMatchObject({
      status: 'ready',
      owner: 'github:alice',
      source: 'github',
      branch: 'feature/login',
      size: 's',
      url: URL_OF,
      appSettings: { containerPort: 8081, healthCheckPath: '/healthz' },
      report: { github: { owner: 'Codertocat', repo: 'Hello-World', pr: 1 } },
    });
    // The repository's settings reached AWS: the target group was built from them.
    const tg = await f.clients.elb.send(new DescribeTargetGroupsCommand({ Names: ['eb-feature-login-8081'] }));
    expect(tg.TargetGroups?.[0]).toMatchObject({ Port: 8081, HealthCheckPath: '/healthz' });

    const [deployment, ...more] = [...stub.deployments.values()];
    expect(more).toEqual([]);
    expect(deployment!.request).toMatchObject({
      ref: HEAD,
      environment: 'preview/feature-login',
      transient_environment: true,
      production_environment: false,
      auto_merge: false,
      required_contexts: [],
    });
    expect(deployment!.statuses.map((s) => s.state)).toEqual(['queued', 'in_progress', 'success']);
    expect(deployment!.statuses.at(-1)?.environment_url).toBe(URL_OF);
    expect(record?.report.github?.deploymentId).toBe(deployment!.id);

    // One comment, created once and then edited in place.
    const living = livingComment(1, 'feature-login');
    expect(living).toHaveLength(1);
    expect(record?.report.github?.commentId).toBe(living[0]!.id);
    expect(stub.callsTo('POST', /\/issues\/1\/comments$/)).toHaveLength(1);
    expect(stub.callsTo('PATCH', new RegExp(`/issues/comments/${living[0]!.id}$`)).length).toBeGreaterThan(1);
    expect(living[0]!.body).toContain('### 🟢 Preview environment `feature-login`: ready');
    expect(living[0]!.body).toContain(`| URL | ${URL_OF} |`);
    expect(living[0]!.body).toContain(`| Commit | ${HEAD} |`);
    expect(living[0]!.body).toContain('**Last event:** Ready at');
  });

  it('/env status answers in a reply; the living comment stays the only status comment', async () => {
    const id = await comment(1, 'alice', '/env status');
    expect(reactionsOn(id)).toEqual(['eyes']);
    const replies = repliesOn(1);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.body).toContain('@alice **feature-login** — ready');
    expect(replies[0]!.body).toContain(`URL: ${URL_OF}`);
    expect(livingComment(1, 'feature-login')).toHaveLength(1);
  });

  it('/env stop and /env start edit the living comment and the deployment status', async () => {
    const stopId = await comment(1, 'alice', '/env stop');
    expect(reactionsOn(stopId)).toEqual(['eyes', '+1']);
    expect(await f.engine.ecs.describeService('envbot-feature-login')).toMatchObject({ desiredCount: 0 });
    const deployment = [...stub.deployments.values()][0]!;
    expect(deployment.statuses.at(-1)?.state).toBe('inactive');
    expect(livingComment(1, 'feature-login')[0]!.body).toContain(': stopped');

    const startId = await comment(1, 'alice', '/env start');
    expect(reactionsOn(startId)).toEqual(['eyes', 'rocket']);
    expect(await f.engine.store.get('feature-login')).toMatchObject({ status: 'ready', desired: 'running' });
    expect(deployment.statuses.slice(-2).map((s) => s.state)).toEqual(['in_progress', 'success']);
    expect(stub.deployments.size).toBe(1);
    expect(livingComment(1, 'feature-login')).toHaveLength(1);
  });

  it('/env help replies with the grammar in a code block', async () => {
    const before = repliesOn(1).length;
    await comment(1, 'alice', '/env help');
    const reply = repliesOn(1)[before]!;
    expect(reply.body).toContain('```text\nenvbot gives each branch its own environment. Commands:');
    expect(reply.body).toContain('/env up <name> [--branch B]');
  });

  it('refuses a read-only user, says why, and changes nothing', async () => {
    const before = await f.engine.store.get('feature-login');
    const id = await comment(1, 'bob', '/env down');
    expect(reactionsOn(id)).toEqual(['eyes', 'confused']);
    expect(stub.callsTo('GET', /\/collaborators\/bob\/permission$/)).toHaveLength(1);
    expect(repliesOn(1).at(-1)!.body).toContain('@bob 🚫 You need write access to Codertocat/Hello-World to run envbot commands (GitHub says bob has "read").');
    expect(await f.engine.store.get('feature-login')).toMatchObject({ desired: 'running', version: before!.version });
  });

  it('refuses someone who is not a collaborator at all', async () => {
    const id = await comment(1, 'mallory', '/env stop feature-login');
    expect(reactionsOn(id)).toEqual(['eyes', 'confused']);
    expect(repliesOn(1).at(-1)!.body).toContain('GitHub says mallory has no access');
    expect(await f.engine.store.get('feature-login')).toMatchObject({ desired: 'running' });
  });

  it('refuses a PR from a fork and deploys nothing', async () => {
    stub.addPull({ number: 2, headRef: 'fork-feature', headSha: sha('fork'), fork: true, author: 'forker' });
    const id = await comment(2, 'alice', '/env up');
    expect(reactionsOn(id)).toEqual(['eyes', 'confused']);
    expect(repliesOn(2)[0]!.body).toContain("This pull request comes from a fork, and envbot doesn't deploy forks");
    expect(await f.engine.store.get('fork-feature')).toBeUndefined();
    expect(stub.callsTo('GET', /\/contents\//).filter((c) => c.query.ref === sha('fork'))).toEqual([]);
  });

  it('an invalid .envbot.yml gets a reply that points at the bad key', async () => {
    const head = sha('bad-settings');
    stub.addPull({ number: 3, headRef: 'bad-settings', headSha: head });
    stub.files.set(`${head}:.envbot.yml`, 'size: xl\ncontainerPort: 80\nautoPreview:\n  onopen: true\n');
    const id = await comment(3, 'alice', '/env up');
    expect(reactionsOn(id)).toEqual(['eyes', 'confused']);
    const body = repliesOn(3)[0]!.body;
    expect(body).toContain(`\`.envbot.yml\` at ${head.slice(0, 7)} is invalid, so nothing was deployed:`);
    expect(body).toContain('- `size`: is larger than this envbot allows (at most m); allowed: xs, s, m');
    expect(body).toContain('- `autoPreview.onopen`: unknown key (did you mean `onOpen`?); allowed keys: onOpen, label, drafts');
    expect(await f.engine.store.get('bad-settings')).toBeUndefined();
    expect([...stub.deployments.values()].filter((d) => d.ref === head)).toEqual([]);
  });

  it('refuses /env config (comments are public) and reports usage errors', async () => {
    await comment(1, 'alice', '/env config feature-login set A=1\n/env upp');
    const [config, typo] = repliesOn(1).slice(-2);
    expect(config!.body).toContain('`/env config` is not available in PR comments');
    expect(typo!.body).toContain('Unknown command "upp". Did you mean `/env up`?');
  });
});

describe('with ENVBOT_ALLOW_FORKS=true', () => {
  it('deploys a PR from a fork', async () => {
    // A bot of its own (own table and server), so its notifier is the only one on its engine.
    const forks = await engineFixture('ghforks', {
      env: { GITHUB_WEBHOOK_SECRET: SECRET, GITHUB_TOKEN: 'ghp_test', GITHUB_API_URL: stub.url, ENVBOT_ALLOW_FORKS: 'true' },
    });
    const srv = new HttpServer(silentLog);
    const bot = createGitHubFrontEnd({ engine: forks.engine, config: forks.config, log: silentLog, server: srv, octokit: createOctokit(forks.config.github, silentLog, { throttle: false }) });
    const url = `http://127.0.0.1:${await srv.listen(0, '127.0.0.1')}`;
    try {
      stub.addPull({ number: 20, headRef: 'their-feature', headSha: sha('their'), fork: true, author: 'forker' });
      const payload = prComment({ pr: 20, login: 'alice', body: '/env up' });
      expect((await deliver(url, SECRET, { event: 'issue_comment', payload })).status).toBe(202);
      await bot.idle();
      expect(await forks.engine.store.get('their-feature')).toMatchObject({ status: 'ready', report: { github: { pr: 20 } } });
      expect(reactionsOn(payload.comment.id)).toEqual(['eyes', 'rocket']);
    } finally {
      await srv.close();
      await forks.engine.stop();
    }
  });
});
