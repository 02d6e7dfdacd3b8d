import { DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GitHubFrontEnd } from '../../app/src/github/github-app.js';
import { HttpServer } from '../../app/src/http/server.js';
import type { ImageSource } from '../../app/src/reconcile/ports.js';
import { slackUser, type EngineFixture } from '../support/engine-fixture.js';
import type { GitHubApiStub } from '../support/github-api-stub.js';
import { startGitHubBot, stopGitHubBot } from '../support/github-bot.js';
import { branchDeleted, deliver, prComment, pullRequestEvent, pushEvent, sha } from '../support/github-signing.js';

// Ownership through the GitHub door, over signed deliveries: a teammate with write access tries
// to take over, re-point or destroy environments that are not theirs (issue 13, findings 1, 2, 8).

const SECRET = 'ownership-webhook-secret';
let stub: GitHubApiStub;
let f: EngineFixture;
let server: HttpServer;
let gh: GitHubFrontEnd;
let base: string;

/** One image per head commit, as the builds module would make it. */
const images: ImageSource = {
  async imageFor(record) {
    const commit = await gh.commitResolver.headCommit(record.branch);
    if (!commit) return undefined;
    const image = `public.ecr.aws/nginx/nginx:c-${commit}`;
    return { image, commit, built: record.image !== image };
  },
};

beforeAll(async () => {
  ({ stub, f, server, gh, base } = await startGitHubBot('ghown', SECRET, { images }, { ENVBOT_IDENTITY_LINKS: 'slack:U0CAROL=github:carol' }));
  for (const login of ['alice', 'mallory', 'U0VICTIM', 'carol']) stub.permissions.set(login, 'write');
});

afterAll(() => stopGitHubBot({ gh, server, stub, f }));

async function send(event: string, payload: unknown): Promise<void> {
  const res = await deliver(base, SECRET, { event, payload });
  expect(res.status).toBe(202);
  await gh.idle();
}

const comment = (pr: number, login: string, body: string) => send('issue_comment', prComment({ pr, login, body }));
const lastReply = (pr: number) => stub.commentsOn(pr).filter((c) => c.body.includes('<!-- envbot:reply -->')).at(-1)?.body ?? '';

function openPull(pr: number, headRef: string, author: string, settings: string): string {
  const head = sha(`${headRef}@1`);
  stub.addPull({ number: pr, headRef, headSha: head, author });
  stub.branches.set(headRef, head);
  stub.files.set(`${head}:.envbot.yml`, settings);
  return head;
}

describe('who may change an environment, through GitHub', () => {
  it("finding 1: up from another PR leaves the owner's settings and PR link alone, and closing that PR leaves the environment", async () => {
    openPull(21, 'feature/victim', 'alice', 'containerPort: 8081\nhealthCheckPath: /healthz\n');
    await comment(21, 'alice', '/env up');
    const before = await f.engine.store.get('feature-victim');
    expect(before).toMatchObject({ owner: expect.stringMatching(/alice$/), status: 'ready', appSettings: { containerPort: 8081, healthCheckPath: '/healthz' }, report: { github: { pr: 21 } } });

    openPull(22, 'feature/evil', 'mallory', 'containerPort: 9999\nhealthCheckPath: /evil\n');
    await comment(22, 'mallory', '/env up feature-victim --branch feature/victim');
    const after = await f.engine.store.get('feature-victim');
    expect(after).toMatchObject({ appSettings: { containerPort: 8081, healthCheckPath: '/healthz' }, report: { github: { pr: 21 } } });
    expect(lastReply(22)).toContain("You can't change feature-victim: feature-victim belongs to github:alice");
    const tg = await f.clients.elb.send(new DescribeTargetGroupsCommand({ Names: ['eb-feature-victim-8081'] }));
    expect(tg.TargetGroups?.[0]).toMatchObject({ Port: 8081, HealthCheckPath: '/healthz' });

    await send('pull_request', pullRequestEvent('closed', { pr: 22, headRef: 'feature/evil', headSha: sha('feature/evil@1'), merged: false, sender: 'mallory' }));
    expect(await f.engine.store.get('feature-victim')).toMatchObject({ desired: 'running', status: 'ready' });
  });

  it("finding 1: up from another PR with the same settings only makes sure it runs; the PR link stays the owner's", async () => {
    openPull(24, 'feature/copycat', 'mallory', 'containerPort: 8081\nhealthCheckPath: /healthz\n');
    await comment(24, 'mallory', '/env up feature-victim --branch feature/victim');
    expect(await f.engine.store.get('feature-victim')).toMatchObject({ report: { github: { pr: 21 } } });
    expect(lastReply(24)).toContain('It belongs to github:alice: its settings and where it reports stay as they are.');
    await send('pull_request', pullRequestEvent('closed', { pr: 24, headRef: 'feature/copycat', headSha: sha('feature/copycat@1'), merged: true, sender: 'mallory' }));
    expect(await f.engine.store.get('feature-victim')).toMatchObject({ desired: 'running' });
  });

  it("finding 2: pushing and deleting a branch named like a colleague's environment leaves that environment alone", async () => {
    stub.branches.set('demo', sha('demo@1'));
    await f.engine.runText(slackUser('U0CAROL'), 'up demo');
    await gh.idle();
    const before = await f.engine.store.get('demo');
    expect(before).toMatchObject({ owner: expect.stringMatching(/U0CAROL$/), branch: 'demo', status: 'ready', commit: sha('demo@1') });

    stub.branches.set('demo', sha('demo@2'));
    stub.files.set(`${sha('demo@2')}:.envbot.yml`, 'containerPort: 9999\nhealthCheckPath: /evil\n');
    await send('push', pushEvent('demo', sha('demo@2')));
    const pushed = await f.engine.store.get('demo');
    expect(pushed).toMatchObject({ commit: sha('demo@1'), version: before!.version });
    expect(pushed!.appSettings).toBeUndefined();

    await send('delete', branchDeleted('demo'));
    expect(await f.engine.store.get('demo')).toMatchObject({ desired: 'running', status: 'ready' });
  });

  it('finding 8: a GitHub login spelled like a Slack user id owns nothing of that Slack user', async () => {
    await f.engine.runText(slackUser('U0VICTIM'), 'up victim-env --image public.ecr.aws/nginx/nginx:latest');
    await gh.idle();
    openPull(23, 'feature/spoof', 'U0VICTIM', '');
    await comment(23, 'U0VICTIM', '/env down victim-env');
    expect(await f.engine.store.get('victim-env')).toMatchObject({ desired: 'running' });
    expect(lastReply(23)).toContain("You can't down victim-env: victim-env belongs to slack:U0VICTIM");
  });

  it("linked ids are one person: carol's GitHub login may stop her Slack environment, and whoami says so", async () => {
    openPull(25, 'feature/carol', 'carol', '');
    await comment(25, 'carol', '/env whoami');
    expect(lastReply(25)).toContain('You are github:carol');
    expect(lastReply(25)).toContain('slack:U0CAROL');
    await comment(25, 'carol', '/env stop demo');
    expect(await f.engine.store.get('demo')).toMatchObject({ desired: 'stopped' });
  });
});
