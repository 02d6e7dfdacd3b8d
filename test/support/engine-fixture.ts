import { pino } from 'pino';
import { loadConfig, type Config } from '../../app/src/config.js';
import type { AwsClients } from '../../app/src/aws/clients.js';
import { Engine, type EngineOptions } from '../../app/src/engine/engine.js';
import { composeEngine } from '../../app/src/compose.js';
import type { SharedInfra } from '../../app/src/local/shared-infra.js';
import { RecordingNotifier } from './sample-record.js';
import { emulatorClients, motoEndpoint, REGION, sharedInfra } from './aws-fixture.js';
import { FidelityWorld } from './fidelity/index.js';

export const silentLog = pino({ level: 'silent' });

/** A config for the emulator's shared infrastructure, as main.ts would build it. */
export function configFor(infra: SharedInfra, env: Record<string, string> = {}): Config {
  return loadConfig({
    ENVBOT_MODE: 'aws',
    AWS_REGION: REGION,
    AWS_ENDPOINT_URL: motoEndpoint(),
    ENVBOT_DOMAIN: 'envs.example.com',
    ENVBOT_CLUSTER: infra.cluster,
    ENVBOT_LISTENER_ARN: infra.listenerArn,
    ENVBOT_VPC_ID: infra.vpcId,
    ENVBOT_SUBNETS: infra.subnets.join(','),
    ENVBOT_SECURITY_GROUPS: infra.securityGroups.join(','),
    ENVBOT_TABLE: infra.table,
    ENVBOT_ECR_REPOSITORY: infra.repositoryUri.split('/').pop()!,
    ENVBOT_EXECUTION_ROLE_ARN: 'arn:aws:iam::123456789012:role/envbot-execution',
    ENVBOT_SSM_PREFIX: `/${infra.table}`,
    ENVBOT_LOG_GROUP: infra.logGroup,
    ENVBOT_SCHEDULE_GROUP: infra.scheduleGroup,
    ENVBOT_SCHEDULE_FAILURES_QUEUE_ARN: infra.scheduleFailuresQueueArn,
    ENVBOT_SCHEDULE_FAILURES_QUEUE_URL: infra.scheduleFailuresQueueUrl,
    ENVBOT_DEFAULT_IMAGE: 'public.ecr.aws/nginx/nginx:latest',
    ENVBOT_STEADY_TIMEOUT_SECONDS: '30',
    ...env,
  });
}

export { RecordingNotifier };

export interface EngineFixture {
  clients: AwsClients;
  infra: SharedInfra;
  config: Config;
  engine: Engine;
  notices: RecordingNotifier;
  /** The fidelity layer's state: what AWS remembers, its clock, the requests sent. */
  world: FidelityWorld;
}

export async function engineFixture(
  label: string,
  opts: Partial<EngineOptions> & { env?: Record<string, string>; schedulesFromConfig?: boolean; world?: FidelityWorld } = {},
): Promise<EngineFixture> {
  const world = opts.world ?? new FidelityWorld();
  // The fidelity layer's clock follows the engine's, so time-based AWS rules see the test's time.
  if (opts.now && !opts.world) world.now = () => opts.now!().getTime();
  const clients = emulatorClients(world);
  const infra = await sharedInfra(clients, label);
  const config = configFor(infra, opts.env);
  const engine = opts.schedulesFromConfig
    ? composeEngine({ config, clients, log: silentLog, sleep: world.sleep, ...(opts.now && { now: opts.now }) }).engine
    : new Engine({ config, clients, log: silentLog, sleep: world.sleep, ...opts });
  const notices = new RecordingNotifier();
  engine.notifier.add(notices);
  return { clients, infra, config, engine, notices, world };
}

export const cli = (id = 'alice') => ({ actor: { id, source: 'cli' as const } });
export const slackUser = (id: string) => ({ actor: { id, source: 'slack' as const } });
