import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { DescribeRulesCommand, DescribeTagsCommand, DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TAG_ENV } from '../../app/src/environments/tags.js';
import type { GitHubFrontEnd } from '../../app/src/github/github-app.js';
import { statusMarker } from '../../app/src/github/render/render-status.js';
import { HttpServer } from '../../app/src/http/server.js';
import type { ImageSource } from '../../app/src/reconcile/ports.js';
import type { EngineFixture } from '../support/engine-fixture.js';
import type { GitHubApiStub } from '../support/github-api-stub.js';
import { startGitHubBot, stopGitHubBot } from '../support/github-bot.js';
import { branchDeleted, deliver, prComment, pullRequestEvent, sha, type PullEventSpec } from '../support/github-signing.js';

// Lifecycle from GitHub events: teardown on close (merged or not) and on deletion of the PR's branch,
// rebuild and roll on new PR commits, previews on open and on a label. Checked in the GitHub stub and in moto.

const SECRET = 'lifecycle-webhook-secret';
let stub: GitHubApiStub;
let f: EngineFixture;
let server: HttpServer;
let gh: GitHubFrontEnd;
let base: string;

/** Stands in for the builds module: one image per head commit, found through our CommitResolver. */
const images: ImageSource = {
  async imageFor(record, onProgress) {
    const commit = await gh.commitResolver.headCommit(record.branch);
    if (!commit) return undefined;
    const image = `public.ecr.aws/nginx/nginx:c-${commit}`;
    if (record.image === image) return { image, commit, built: false };
    await onProgress({ phase: 'BUILD', elapsedSeconds: 40 });
    return { image, commit, built: true, buildSeconds: 42, cacheHit: true };
  },
};

beforeAll(async () => {
  ({ stub, f, server, gh, base } = await startGitHubBot('ghlife', SECRET, { images }));
  for (const login of ['alice', 'Codertocat']) stub.permissions.set(login, 'write');
});

afterAll(() => stopGitHubBot({ gh, server, stub, f }));

async function send(event: string, payload: unknown): Promise<void> {
  const res = await deliver(base, SECRET, { event, payload });
  expect(res.status).toBe(202);
  await gh.idle();
}

async function openPull(spec: Omit<PullEventSpec, 'headSha'> & { settings?: string }): Promise<string> {
  const head = sha(`${spec.headRef}@1`);
  stub.addPull({ number: spec.pr, headRef: spec.headRef, headSha: head, author: 'alice', ...(spec.draft && { draft: true }) });
  if (spec.settings) stub.files.set(`${head}:.envbot.yml`, spec.settings);
  return head;
}

const deploymentsOf = (env: string) => [...stub.deployments.values()].filter((d) => d.environment === `preview/${env}`);
const living = (pr: number, env: string) => stub.commentsOn(pr).filter((c) => c.body.includes(statusMarker(env)));

/** Every AWS resource still there for `env`: by deterministic name and by its envbot:env tag. */
async function leftovers(env: string): Promise<string[]> {
  const left: string[] = [];
  const svc = await f.clients.ecs.send(new DescribeServicesCommand({ cluster: f.config.cluster, services: [`envbot-${env}`] }));
  // A deleted service is DRAINING until its tasks stop, then INACTIVE (DeleteService API reference).
  if (svc.services?.some((s) => s.status === 'ACTIVE')) left.push('ecs service');
  const defs = await f.clients.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: `envbot-${env}`, status: 'ACTIVE' }));
  if (defs.taskDefinitionArns?.some((a) => a.includes(`task-definition/envbot-${env}:`))) left.push('task definition');
  const groups = (await f.clients.elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? [];
  const rules = (await f.clients.elb.send(new DescribeRulesCommand({ ListenerArn: f.config.listenerArn }))).Rules ?? [];
  const arns = [...groups.map((g) => g.TargetGroupArn!), ...rules.filter((r) => !r.IsDefault).map((r) => r.RuleArn!)];
  for (let i = 0; i < arns.length; i += 20) {
    const tags = await f.clients.elb.send(new DescribeTagsCommand({ ResourceArns: arns.slice(i, i + 20) }));
    for (const d of tags.TagDescriptions ?? []) {
      if (d.Tags?.some((t) => t.Key === TAG_ENV && t.Value === env)) left.push(d.ResourceArn!.includes(':targetgroup/') ? 'target group' : 'listener rule');
    }
  }
  if (groups.some((g) => new RegExp(`^eb-${env}(-\\d+)?$`).test(g.TargetGroupName ?? ''))) left.push('target group (by name)');
  if (rules.some((r) => r.Conditions?.some((c) => c.HostHeaderConfig?.Values?.includes(`${env}.envs.example.com`)))) left.push('listener rule (by host)');
  return left;
}

describe('GitHub lifecycle', () => {
  it('a merged PR tears its environment down and leaves nothing tagged with it in AWS', async () => {
    const head = await openPull({ pr: 10, headRef: 'feature/merge-me' });
    await send('issue_comment', prComment({ pr: 10, login: 'alice', body: '/env up' }));
    expect(await f.engine.store.get('feature-merge-me')).toMatchObject({ status: 'ready', commit: head });
    expect(await leftovers('feature-merge-me')).toEqual(expect.arrayContaining(['ecs service', 'task definition', 'target group', 'listener rule']));

    await send('pull_request', pullRequestEvent('closed', { pr: 10, headRef: 'feature/merge-me', headSha: head, merged: true, sender: 'alice' }));
    expect(await f.engine.store.get('feature-merge-me')).toBeUndefined();
    expect(await leftovers('feature-merge-me')).toEqual([]);
    const comment = living(10, 'feature-merge-me');
    expect(comment).toHaveLength(1);
    expect(comment[0]!.body).toContain('### ⚫ Preview environment `feature-merge-me`: destroyed');
    expect(comment[0]!.body).toContain('**Last event:** Destroyed because the pull request was closed.');
    expect(deploymentsOf('feature-merge-me').map((d) => d.statuses.at(-1)?.state)).toEqual(['inactive']);
  });

  it('a PR closed without merging is torn down too; the preview label deploys', async () => {
    const head = await openPull({ pr: 11, headRef: 'feature/labelled' });
    await send('pull_request', pullRequestEvent('labeled', { pr: 11, headRef: 'feature/labelled', headSha: head, label: 'bug', sender: 'alice' }));
    expect(await f.engine.store.get('feature-labelled')).toBeUndefined();

    await send('pull_request', pullRequestEvent('labeled', { pr: 11, headRef: 'feature/labelled', headSha: head, label: 'preview', sender: 'alice' }));
    expect(await f.engine.store.get('feature-labelled')).toMatchObject({ status: 'ready', owner: 'github:alice', report: { github: { pr: 11 } } });
    expect(deploymentsOf('feature-labelled')[0]!.statuses.at(-1)).toMatchObject({ state: 'success', environment_url: 'https://feature-labelled.envs.example.com' });

    await send('pull_request', pullRequestEvent('closed', { pr: 11, headRef: 'feature/labelled', headSha: head, merged: false, sender: 'alice' }));
    expect(await f.engine.store.get('feature-labelled')).toBeUndefined();
    expect(await leftovers('feature-labelled')).toEqual([]);
    expect(living(11, 'feature-labelled')[0]!.body).toContain(': destroyed');
  });

  it('previews on open when .envbot.yml asks, skipping drafts until they are ready for review', async () => {
    const settings = 'autoPreview:\n  onOpen: true\n';
    const head = await openPull({ pr: 12, headRef: 'feature/draft', draft: true, settings });
    await send('pull_request', pullRequestEvent('opened', { pr: 12, headRef: 'feature/draft', headSha: head, draft: true, sender: 'alice' }));
    expect(await f.engine.store.get('feature-draft')).toBeUndefined();
    expect(stub.commentsOn(12)).toEqual([]);

    await send('pull_request', pullRequestEvent('ready_for_review', { pr: 12, headRef: 'feature/draft', headSha: head, sender: 'alice' }));
    expect(await f.engine.store.get('feature-draft')).toMatchObject({ status: 'ready', report: { github: { pr: 12 } } });
    expect(living(12, 'feature-draft')).toHaveLength(1);
  });

  it('new commits on the PR rebuild and roll its environment, with a new deployment', async () => {
    const first = await openPull({ pr: 14, headRef: 'feature/roll' });
    await send('issue_comment', prComment({ pr: 14, login: 'alice', body: '/env up' }));
    const before = await f.engine.store.get('feature-roll');
    expect(before).toMatchObject({ status: 'ready', commit: first });

    const second = sha('feature/roll@2');
    stub.addPull({ number: 14, headRef: 'feature/roll', headSha: second, author: 'alice' });
    await send('pull_request', pullRequestEvent('synchronize', { pr: 14, headRef: 'feature/roll', headSha: second, sender: 'alice' }));
    const after = await f.engine.store.get('feature-roll');
    expect(after).toMatchObject({ status: 'ready', commit: second, image: `public.ecr.aws/nginx/nginx:c-${second}`, lastBuildSeconds: 42 });
    expect(after!.taskDefinitionArn).not.toBe(before!.taskDefinitionArn);
    const td = await f.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: after!.taskDefinitionArn! }));
    expect(td.taskDefinition?.containerDefinitions?.[0]?.image).toBe(`public.ecr.aws/nginx/nginx:c-${second}`);

    const deployments = deploymentsOf('feature-roll');
    expect(deployments.map((d) => d.ref)).toEqual([first, second]);
    expect(deployments[1]!.statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
    const body = living(14, 'feature-roll')[0]!.body;
    expect(body).toContain(`| Commit | ${second} |`);
    expect(body).toContain('| Build time | 42s (dependency cache hit) |');
  });

  it('does not roll when .envbot.yml turns rebuildOnPush off', async () => {
    const third = sha('feature/roll@3');
    stub.addPull({ number: 14, headRef: 'feature/roll', headSha: third, author: 'alice' });
    stub.files.set(`${third}:.envbot.yml`, 'rebuildOnPush: false\n');
    const version = (await f.engine.store.get('feature-roll'))!.version;
    await send('pull_request', pullRequestEvent('synchronize', { pr: 14, headRef: 'feature/roll', headSha: third, sender: 'alice' }));
    expect(await f.engine.store.get('feature-roll')).toMatchObject({ commit: sha('feature/roll@2'), version });
    expect(deploymentsOf('feature-roll')).toHaveLength(2);
  });

  it('deleting the head branch of a PR destroys the environment that PR created', async () => {
    // Environments made outside GitHub are never touched by branch events: see github-ownership.test.ts.
    await openPull({ pr: 15, headRef: 'feature/gone' });
    await send('issue_comment', prComment({ pr: 15, login: 'alice', body: '/env up' }));
    expect(await f.engine.store.get('feature-gone')).toMatchObject({ status: 'ready' });

    await send('delete', branchDeleted('feature/gone'));
    expect(await f.engine.store.get('feature-gone')).toBeUndefined();
    expect(await leftovers('feature-gone')).toEqual([]);
    expect(f.notices.notices.filter((n) => n.env === 'feature-gone').at(-1)?.notice).toEqual({ kind: 'destroyed', by: 'branch-deleted' });
  });
});
