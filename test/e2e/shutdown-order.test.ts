import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DescribeServicesCommandOutput } from '@aws-sdk/client-ecs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_CREDENTIALS } from '../../app/src/aws/clients.js';
import { startBot } from '../../app/src/main.js';
import type { SharedInfra } from '../../app/src/local/shared-infra.js';
import { emulatorClients, motoEndpoint, REGION, sharedInfra } from '../support/aws-fixture.js';
import { GitHubApiStub, STUB_REPO } from '../support/github-api-stub.js';
import { branchDeleted, deliver } from '../support/github-signing.js';

// Finding 4: with GitHub on, shutdown waited for all engine work (a 600 s health wait, a 30-minute
// build) before the engine handed back its waits and released its leases; ECS killed the bot
// first. Here the bot as main.ts runs it stops with a health wait and a GitHub delivery in flight.

const SECRET = 'shutdown-webhook-secret';
type Bot = Awaited<ReturnType<typeof startBot>>;
let stub: GitHubApiStub;
let infra: SharedInfra;
const bots: Bot[] = [];
let unblock = () => {};

function envFor(i: SharedInfra): NodeJS.ProcessEnv {
  return {
    ENVBOT_MODE: 'aws',
    AWS_REGION: REGION,
    AWS_ENDPOINT_URL: motoEndpoint(),
    ENVBOT_DOMAIN: 'envs.example.com',
    ENVBOT_CLUSTER: i.cluster,
    ENVBOT_LISTENER_ARN: i.listenerArn,
    ENVBOT_VPC_ID: i.vpcId,
    ENVBOT_SUBNETS: i.subnets.join(','),
    ENVBOT_SECURITY_GROUPS: i.securityGroups.join(','),
    ENVBOT_TABLE: i.table,
    ENVBOT_EXECUTION_ROLE_ARN: 'arn:aws:iam::123456789012:role/envbot-execution',
    ENVBOT_SSM_PREFIX: `/${i.table}`,
    ENVBOT_LOG_GROUP: i.logGroup,
    ENVBOT_DEFAULT_IMAGE: 'public.ecr.aws/nginx/nginx:latest',
    ENVBOT_STEADY_TIMEOUT_SECONDS: '600',
    PORT: '0',
    LOG_LEVEL: 'silent',
    GITHUB_WEBHOOK_SECRET: SECRET,
    GITHUB_TOKEN: 'ghp_test',
    GITHUB_API_URL: stub.url,
    GITHUB_REPOSITORY: STUB_REPO,
  };
}

/** The next Query of environment records (`store.list()`) on this client hangs until `unblock`. */
function hangNextEnvList(dynamo: DynamoDBClient): Promise<void> {
  let armed = true;
  let entered!: () => void;
  const hanging = new Promise<void>((r) => (entered = r));
  const gate = new Promise<void>((r) => (unblock = r));
  dynamo.middlewareStack.add(
    (next) => async (args) => {
      const pk = (args.input as { ExpressionAttributeValues?: Record<string, unknown> }).ExpressionAttributeValues?.[':pk'];
      if (armed && (pk === 'ENV' || (pk as { S?: string } | undefined)?.S === 'ENV')) {
        armed = false;
        entered();
        await gate;
      }
      return next(args);
    },
    { step: 'initialize', name: 'hangNextEnvList' },
  );
  return hanging;
}

const inboxItem = async (id: string) =>
  (await emulatorClients().doc.send(new GetCommand({ TableName: infra.table, Key: { pk: 'INBOX#github', sk: id }, ConsistentRead: true }))).Item;

beforeAll(async () => {
  // main.ts builds its clients from the default credential chain, as on ECS.
  process.env.AWS_ACCESS_KEY_ID = EMULATOR_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = EMULATOR_CREDENTIALS.secretAccessKey;
  stub = await GitHubApiStub.start();
  infra = await sharedInfra(emulatorClients(), 'shutdown-order');
});

afterAll(async () => {
  unblock();
  for (const b of bots) await b.stop();
  await stub.close();
});

describe('shutdown in the right order', () => {
  it('hands back a health wait and a running delivery, releases every lease, and the next start runs the delivery', async () => {
    const first = await startBot(envFor(infra), { inbox: { handBackMs: 50 } });
    bots.push(first);
    // The app never becomes healthy: the engine sits in its (600 s) wait for health.
    first.runtime.clients.ecs.middlewareStack.add(
      (next, context) => async (args) => {
        const out = await next(args);
        if (context.commandName === 'DescribeServicesCommand') {
          for (const s of (out.output as DescribeServicesCommandOutput).services ?? []) s.runningCount = 0;
        }
        return out;
      },
      { step: 'initialize', name: 'neverHealthy' },
    );
    await first.engine.runText({ actor: { id: 'alice', source: 'cli' } }, 'up slow-app');
    while ((await first.engine.store.get('slow-app'))?.status !== 'waiting-health') await new Promise((r) => setTimeout(r, 25));

    // A delivery whose handler is stuck (its store read hangs, as on a slow or lost connection).
    const handling = hangNextEnvList(first.runtime.clients.dynamo);
    const delivery = await deliver(`http://127.0.0.1:${first.port}`, SECRET, { event: 'delete', payload: branchDeleted('old-branch') });
    expect(delivery.status).toBe(202);
    await handling;
    expect(await inboxItem(delivery.id)).toMatchObject({ state: 'pending', leaseHolder: expect.any(String) });

    // Before the fix this waited for the health wait (and the stuck handler) and never returned.
    await first.stop();

    expect((await first.engine.store.get('slow-app'))?.status).toBe('waiting-health');
    expect(await first.engine.store.acquireLease('slow-app', 'other-replica', 60_000)).toBe(true);
    await first.engine.store.releaseLease('slow-app', 'other-replica');
    const handedBack = await inboxItem(delivery.id);
    expect(handedBack).toMatchObject({ state: 'pending' });
    expect(handedBack?.leaseHolder).toBeUndefined();

    // The next start finds the delivery at once (no lease to wait out) and runs it.
    const second = await startBot(envFor(infra), { inbox: { handBackMs: 50 } });
    bots.push(second);
    while ((await inboxItem(delivery.id))?.state !== 'done') await new Promise((r) => setTimeout(r, 25));
  });
});
