import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { createClients, EMULATOR_CREDENTIALS, type AwsClients } from '../aws/clients.js';
import { ensureTable } from '../aws/store.js';
import { freePort, startMoto, type MotoProcess } from './moto-process.js';
import { ensureSharedInfra, type SharedInfra } from './shared-infra.js';

export interface Runtime {
  config: Config;
  clients: AwsClients;
  infra?: SharedInfra;
  /** What the emulator cannot do, shown in the UI instead of pretending. */
  limitations: string[];
  stop(): Promise<void>;
}

export const LOCAL_LIMITATIONS = [
  'No real containers run: the emulator reports services as running; their URLs (http://<name>.localhost:<port>/) show an emulated page with what the container would receive.',
  'No builds run: CodeBuild is not emulated, so environments use the configured default image.',
  'Schedules are stored but never fire: nightly auto-stop does not happen locally.',
];

const LOCAL_EXECUTION_ROLE = 'arn:aws:iam::123456789012:role/envbot-local-execution';
const LOCAL_SCHEDULER_ROLE = 'arn:aws:iam::123456789012:role/envbot-local-scheduler';
const LOCAL_DEFAULT_IMAGE = 'public.ecr.aws/docker/library/nginx:alpine';

/**
 * Local mode: the embedded store (dynalite, a DynamoDB-compatible server kept in a folder) and the
 * moto AWS emulator as a child process, with the shared resources the CDK stack would create.
 * Everything it starts is stopped by `stop()`.
 */
export async function startLocalRuntime(config: Config, log: Logger): Promise<Runtime> {
  const dataDir = resolve(config.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const store = dynalite({ path: resolve(dataDir, 'store'), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const storePort = await freePort();
  await new Promise<void>((ok, fail) => {
    store.once('error', fail);
    store.listen(storePort, '127.0.0.1', () => ok());
  });
  let moto: MotoProcess | undefined;
  try {
    const endpoint = config.aws.endpoint ?? (moto = await startMoto()).endpoint;
    const clients = createClients({ region: config.aws.region, endpoint, credentials: EMULATOR_CREDENTIALS, maxAttempts: 3 });
    const dynamo = new DynamoDBClient({ region: config.aws.region, endpoint: `http://127.0.0.1:${storePort}`, credentials: EMULATOR_CREDENTIALS });
    clients.dynamo = dynamo;
    clients.doc = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
    await ensureTable(dynamo, config.table);
    const infra = await ensureSharedInfra(clients, { prefix: 'envbot' });
    const localConfig: Config = {
      ...config,
      aws: { ...config.aws, endpoint },
      urlScheme: 'http',
      cluster: infra.cluster,
      listenerArn: infra.listenerArn,
      vpcId: infra.vpcId,
      subnets: infra.subnets,
      securityGroups: infra.securityGroups,
      ecrRepository: infra.repositoryUri.split('/').pop()!,
      logGroup: infra.logGroup,
      scheduleGroup: infra.scheduleGroup,
      scheduleFailuresQueueArn: config.scheduleFailuresQueueArn ?? infra.scheduleFailuresQueueArn,
      scheduleFailuresQueueUrl: config.scheduleFailuresQueueUrl ?? infra.scheduleFailuresQueueUrl,
      executionRoleArn: config.executionRoleArn ?? LOCAL_EXECUTION_ROLE,
      schedulerRoleArn: config.schedulerRoleArn ?? LOCAL_SCHEDULER_ROLE,
      defaultImage: config.defaultImage ?? LOCAL_DEFAULT_IMAGE,
    };
    log.debug({ dataDir, endpoint, storePort }, 'local runtime ready');
    return {
      config: localConfig,
      clients,
      infra,
      limitations: LOCAL_LIMITATIONS,
      stop: async () => {
        await moto?.stop();
        await new Promise<void>((r) => store.close(() => r()));
      },
    };
  } catch (err) {
    await moto?.stop();
    await new Promise<void>((r) => store.close(() => r()));
    throw err;
  }
}

/** A real AWS account: SDK default credential chain (the task role on Fargate). */
export function awsRuntime(config: Config): Runtime {
  const clients = createClients({ region: config.aws.region, ...(config.aws.endpoint && { endpoint: config.aws.endpoint }) });
  return { config, clients, limitations: [], stop: async () => {} };
}
