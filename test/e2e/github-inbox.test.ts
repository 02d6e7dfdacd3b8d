import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../app/src/engine/engine.js';
import { createGitHubFrontEnd, type GitHubFrontEnd } from '../../app/src/github/github-app.js';
import { FAILED_DELIVERY_MARKER } from '../../app/src/github/connection/inbox-report.js';
import type { InboxTuning } from '../../app/src/github/connection/inbox.js';
import { createOctokit } from '../../app/src/github/connection/octokit.js';
import { HttpServer } from '../../app/src/http/server.js';
import type { ImageSource } from '../../app/src/reconcile/ports.js';
import { emulatorClients } from '../support/aws-fixture.js';
import { silentLog, type EngineFixture } from '../support/engine-fixture.js';
import type { GitHubApiStub } from '../support/github-api-stub.js';
import { startGitHubBot, stopGitHubBot } from '../support/github-bot.js';
import { deliver, prComment, pullRequestEvent, sha, type Delivery } from '../support/github-signing.js';

// Finding 3: a delivery was marked seen and answered 202 before it was handled, and handled only in
// memory — one store error or a crash lost it, and GitHub's "Redeliver" was refused as a duplicate.
// Now: recorded durably by the one write before the 202, processed from the inbox until it succeeds.

const SECRET = 'inbox-webhook-secret';
const FAST: InboxTuning = { retryDelayMs: () => 0, maxAttempts: 3, sweepMs: 3_600_000, handBackMs: 50 };
let stub: GitHubApiStub;
let f: EngineFixture;
let server: HttpServer;
let gh: GitHubFrontEnd;
let base: string;
const replicas: { gh: GitHubFrontEnd; server: HttpServer; engine: Engine; base: string }[] = [];

const images: ImageSource = {
  async imageFor(record) {
    const commit = await gh.commitResolver.headCommit(record.branch);
    return commit ? { image: `public.ecr.aws/nginx/nginx:c-${commit}`, commit, built: false } : undefined;
  },
};

/**
 * DynamoDB trouble for the environment records only (the Query behind `store.list()`), the way the
 * SDK surfaces it after its own retries: `fail` throws, `hold` blocks until released.
 */
function envQueryTrouble(dynamo: DynamoDBClient) {
  const trouble = { failures: 0, held: undefined as Promise<void> | undefined, entered: () => {} };
  dynamo.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { TableName?: string; ExpressionAttributeValues?: Record<string, unknown> };
      const pk = input.ExpressionAttributeValues?.[':pk'] as string | { S?: string } | undefined;
      const isEnvList = pk === 'ENV' || (typeof pk === 'object' && pk?.S === 'ENV');
      if (isEnvList && trouble.failures > 0) {
        trouble.failures--;
        throw Object.assign(new Error('Throughput exceeds the current capacity of your table'), { name: 'ProvisionedThroughputExceededException' });
      }
      if (isEnvList && trouble.held) {
        trouble.entered();
        await trouble.held;
      }
      return next(args);
    },
    { step: 'initialize', name: 'envQueryTrouble' },
  );
  return trouble;
}

let trouble: ReturnType<typeof envQueryTrouble>;

beforeAll(async () => {
  ({ stub, f, server, gh, base } = await startGitHubBot('ghinbox', SECRET, { images }, {}, { inbox: FAST }));
  trouble = envQueryTrouble(f.clients.dynamo);
  stub.permissions.set('alice', 'write');
});

let reviveCrashed = () => {};

afterAll(async () => {
  // The "crashed" bot's handler finishes now; its late answer must change nothing.
  trouble.held = undefined;
  reviveCrashed();
  for (const r of replicas) {
    await r.gh.stop();
    await r.server.close();
    await r.engine.stop();
  }
  await stopGitHubBot({ gh, server, stub, f });
});

const send = (d: Delivery) => deliver(base, SECRET, d);

/** A PR with a running environment made by `/env up` on it. */
async function pullWithEnv(pr: number, branch: string): Promise<{ env: string; head: string }> {
  const head = sha(`${branch}@1`);
  stub.addPull({ number: pr, headRef: branch, headSha: head, author: 'alice' });
  expect((await send({ event: 'issue_comment', payload: prComment({ pr, login: 'alice', body: '/env up' }) })).status).toBe(202);
  await gh.idle();
  const env = branch.replace(/\//g, '-');
  expect(await f.engine.store.get(env)).toMatchObject({ status: 'ready', report: { github: { pr } } });
  return { env, head };
}

const closed = (pr: number, branch: string, head: string) => pullRequestEvent('closed', { pr, headRef: branch, headSha: head, merged: true, sender: 'alice' });

/** Another replica of the bot: same table and GitHub, its own engine, inbox, server and clock. */
async function replica(tuning: InboxTuning): Promise<(typeof replicas)[number]> {
  const engine = new Engine({ config: f.config, clients: emulatorClients(), log: silentLog, sleep: async () => {}, images });
  const replicaServer = new HttpServer(silentLog);
  const octokit = createOctokit(f.config.github, silentLog, { throttle: false, retryAfterBaseMs: 0 });
  const front = createGitHubFrontEnd({ engine, config: f.config, log: silentLog, server: replicaServer, octokit, inbox: tuning });
  const port = await replicaServer.listen(0, '127.0.0.1');
  const r = { gh: front, server: replicaServer, engine, base: `http://127.0.0.1:${port}` };
  replicas.push(r);
  return r;
}

describe('GitHub inbox: every accepted delivery is handled at least once', () => {
  it('retries a pull_request.closed whose handling hit a store error, and tears the environment down', async () => {
    const { env, head } = await pullWithEnv(20, 'feature/flaky-store');
    trouble.failures = 1;
    const res = await send({ event: 'pull_request', payload: closed(20, 'feature/flaky-store', head) });
    expect(res).toMatchObject({ status: 202, body: { accepted: res.id } });
    await gh.idle();
    expect(trouble.failures).toBe(0);
    expect(await f.engine.store.get(env)).toBeUndefined();
    // Done: a redelivery now is a duplicate.
    expect(await send({ event: 'pull_request', payload: closed(20, 'feature/flaky-store', head), id: res.id })).toMatchObject({ status: 200, body: { duplicate: res.id } });
  });

  it('reports a delivery that keeps failing, and handles it when GitHub redelivers it', async () => {
    const { env, head } = await pullWithEnv(21, 'feature/store-down');
    trouble.failures = FAST.maxAttempts!;
    const res = await send({ event: 'pull_request', payload: closed(21, 'feature/store-down', head) });
    expect(res.status).toBe(202);
    await gh.idle();
    expect(await f.engine.store.get(env)).toMatchObject({ desired: 'running' });
    expect(await gh.failures()).toEqual([{ id: res.id, attempts: 3, error: 'Throughput exceeds the current capacity of your table' }]);
    const report = stub.commentsOn(21).filter((c) => c.body.includes(FAILED_DELIVERY_MARKER));
    expect(report).toHaveLength(1);
    expect(report[0]!.body).toContain('could not act on pull request #21 (closed) after 3 attempts');
    expect(report[0]!.body).toContain(res.id);
    const audit = await f.engine.store.recentAudit(20);
    expect(audit.find((a) => a.action === 'delivery')).toMatchObject({ outcome: 'failed', source: 'github' });

    // The store is back; a person presses "Redeliver" in GitHub.
    const again = await send({ event: 'pull_request', payload: closed(21, 'feature/store-down', head), id: res.id });
    expect(again).toMatchObject({ status: 202, body: { accepted: res.id, redelivered: true } });
    await gh.idle();
    expect(await f.engine.store.get(env)).toBeUndefined();
    expect(await gh.failures()).toEqual([]);
  });

  it('a crash while handling leaves the delivery pending; the next bot runs it once the lease expired', async () => {
    const { env, head } = await pullWithEnv(22, 'feature/crash');
    let entered!: () => void;
    const handling = new Promise<void>((r) => (entered = r));
    trouble.entered = entered;
    trouble.held = new Promise<void>((r) => (reviveCrashed = r)); // this bot gets no further: it has "crashed"
    const res = await send({ event: 'pull_request', payload: closed(22, 'feature/crash', head) });
    expect(res.status).toBe(202);
    await handling;

    // The bot comes back (a new task, its clock past the dead one's lease) and looks at its inbox.
    const next = await replica({ ...FAST, now: () => Date.now() + 10 * 60_000 });
    await next.gh.sweep();
    await next.gh.idle();
    expect(await next.engine.store.get(env)).toBeUndefined();
    const item = await f.clients.doc.send(new GetCommand({ TableName: f.config.table, Key: { pk: 'INBOX#github', sk: res.id }, ConsistentRead: true }));
    expect(item.Item).toMatchObject({ state: 'done' });
  });

  it('answers after exactly one durable write; a delivery recorded while no work is taken runs on the next sweep', async () => {
    const quiet = await replica({ ...FAST });
    quiet.gh.stopTakingWork();
    const writes: string[] = [];
    quiet.engine.o.clients.dynamo.middlewareStack.add(
      (next, context) => async (args) => {
        if (/^(Put|Update|Delete|BatchWrite|TransactWrite)/.test(context.commandName ?? '')) writes.push(context.commandName!);
        return next(args);
      },
      { step: 'initialize', name: 'countWrites' },
    );
    const payload = prComment({ pr: 23, login: 'alice', body: '/env status' });
    const res = await deliver(quiet.base, SECRET, { event: 'issue_comment', payload });
    expect(res.status).toBe(202);
    expect(writes).toEqual(['UpdateItemCommand']);
    await quiet.gh.idle();
    expect(stub.reactions.filter((r) => r.commentId === payload.comment.id)).toEqual([]);

    // The main bot "crashed" in the test before; another replica picks the delivery up.
    const worker = await replica({ ...FAST });
    await worker.gh.sweep();
    await worker.gh.idle();
    expect(stub.reactions.filter((r) => r.commentId === payload.comment.id).map((r) => r.content)).toContain('eyes');
  });
});
