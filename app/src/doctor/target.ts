import type { Config } from '../config.js';
import { createClients, createIdentityClients, destroyClients, EMULATOR_CREDENTIALS, type AwsClients } from '../aws/clients.js';
import { InstallationReader } from '../aws/doctor-reads.js';
import { IamReader } from '../aws/iam.js';
import { Identity } from '../aws/sts.js';
import { startMoto, type MotoProcess } from '../local/moto-process.js';
import { ensureSharedInfra } from '../local/shared-infra.js';
import type { IamPort } from './check.js';

/** What the doctor checks: an installation's effective config and read-only access to it. */
export interface DoctorTarget {
  config: Config;
  reader: InstallationReader;
  iam: IamPort;
  /** Account of the credentials; undefined when they cannot be resolved. */
  whoAmI(): Promise<{ account: string; arn: string }>;
  stop(): Promise<void>;
}

/** A real account, with the SDK's default credential chain (the operator's, or the task role's). */
export function awsTarget(config: Config): DoctorTarget {
  const opts = { region: config.aws.region, ...(config.aws.endpoint && { endpoint: config.aws.endpoint }), maxAttempts: 3 };
  const clients = createClients(opts);
  const { iam, sts } = createIdentityClients(opts);
  return {
    config,
    reader: new InstallationReader(clients),
    iam: new IamReader(iam),
    whoAmI: () => new Identity(sts).whoAmI(),
    stop: async () => {
      destroyClients(clients);
      iam.destroy();
      sts.destroy();
    },
  };
}

/** moto's fixed account id. */
const EMULATOR_ACCOUNT = '123456789012';

/**
 * Local mode: the running bot's emulator lives inside the bot's process and is not reachable, so the
 * doctor starts its own emulator (or uses AWS_ENDPOINT_URL) and sets it up exactly as `npm start`
 * does (ensureSharedInfra), then checks that. It shows what the checklist looks like and that the
 * local set-up is complete; it says nothing about a real account.
 */
export async function localTarget(config: Config): Promise<DoctorTarget> {
  let moto: MotoProcess | undefined;
  const endpoint = config.aws.endpoint ?? (moto = await startMoto()).endpoint;
  const opts = { region: config.aws.region, endpoint, credentials: EMULATOR_CREDENTIALS, maxAttempts: 3 };
  const clients: AwsClients = createClients(opts);
  try {
    const infra = await ensureSharedInfra(clients, { prefix: 'envbot' });
    const effective: Config = {
      ...config,
      aws: { ...config.aws, endpoint },
      cluster: infra.cluster,
      listenerArn: infra.listenerArn,
      ecrRepository: infra.repositoryUri.split('/').pop()!,
      scheduleGroup: infra.scheduleGroup,
    };
    const { iam } = createIdentityClients(opts);
    return {
      config: effective,
      reader: new InstallationReader(clients),
      iam: new IamReader(iam),
      whoAmI: async () => ({ account: EMULATOR_ACCOUNT, arn: `arn:aws:iam::${EMULATOR_ACCOUNT}:user/local` }),
      stop: async () => {
        destroyClients(clients);
        iam.destroy();
        await moto?.stop();
      },
    };
  } catch (err) {
    destroyClients(clients);
    await moto?.stop();
    throw err;
  }
}
