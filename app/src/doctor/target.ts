import type { Config } from '../config.js';
import { createClients, createIdentityClients, destroyClients, EMULATOR_CREDENTIALS, type AwsClients } from '../aws/clients.js';
import { InstallationReader } from '../aws/doctor-reads.js';
import { IamReader } from '../aws/iam.js';
import { Identity } from '../aws/sts.js';
import { startMoto, type MotoProcess } from '../local/moto-process.js';
import { ensureSharedInfra, type SharedInfra } from '../local/shared-infra.js';
import type { IamPort } from './check.js';

/** What the doctor checks: an installation's effective config and read-only access to it. */
export interface DoctorTarget {
  config: Config;
  /** Where the checks look, for the checklist's heading. */
  where?: string;
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
 * Local mode. A running local bot tells where its emulator is (`GET /dashboard/api/runtime`, local
 * only), and the doctor checks that emulator, read-only. Without a running bot (or with its
 * dashboard off) the doctor starts its own emulator, sets it up exactly as `npm start` does
 * (ensureSharedInfra) and checks that: it then shows the checklist and that the local set-up is
 * complete, nothing about a real account.
 */
export async function localTarget(config: Config, env: NodeJS.ProcessEnv = process.env): Promise<DoctorTarget> {
  const running = await runningLocalBot(env);
  if (running) return emulatorTarget(config, running.endpoint, running.infra, `the running bot's emulator (${running.bot})`, async () => {});
  let moto: MotoProcess | undefined;
  const endpoint = config.aws.endpoint ?? (moto = await startMoto()).endpoint;
  const setup = createClients({ region: config.aws.region, endpoint, credentials: EMULATOR_CREDENTIALS, maxAttempts: 3 });
  try {
    const infra = await ensureSharedInfra(setup, { prefix: 'envbot' });
    return emulatorTarget(config, endpoint, infra, moto ? 'an emulator of its own (no local bot answered)' : endpoint, async () => {
      await moto?.stop();
    });
  } catch (err) {
    await moto?.stop();
    throw err;
  } finally {
    destroyClients(setup);
  }
}

type LocalInfra = Pick<SharedInfra, 'cluster' | 'listenerArn' | 'repositoryUri' | 'scheduleGroup'>;

function emulatorTarget(config: Config, endpoint: string, infra: LocalInfra, where: string, stopEmulator: () => Promise<void>): DoctorTarget {
  const opts = { region: config.aws.region, endpoint, credentials: EMULATOR_CREDENTIALS, maxAttempts: 3 };
  const clients = createClients(opts);
  const { iam } = createIdentityClients(opts);
  return {
    config: {
      ...config,
      aws: { ...config.aws, endpoint },
      cluster: infra.cluster,
      listenerArn: infra.listenerArn,
      ecrRepository: infra.repositoryUri.split('/').pop()!,
      scheduleGroup: infra.scheduleGroup,
    },
    where: `local emulator: ${where}`,
    reader: new InstallationReader(clients),
    iam: new IamReader(iam),
    whoAmI: async () => ({ account: EMULATOR_ACCOUNT, arn: `arn:aws:iam::${EMULATOR_ACCOUNT}:user/local` }),
    stop: async () => {
      destroyClients(clients);
      iam.destroy();
      await stopEmulator();
    },
  };
}

/** The local bot at ENVBOT_URL (or 127.0.0.1:PORT), if one answers with its emulator. */
async function runningLocalBot(env: NodeJS.ProcessEnv): Promise<{ bot: string; endpoint: string; infra: LocalInfra } | undefined> {
  const bot = (env.ENVBOT_URL ?? `http://127.0.0.1:${env.PORT ?? 3000}`).replace(/\/$/, '');
  try {
    const res = await fetch(`${bot}/dashboard/api/runtime`, { signal: AbortSignal.timeout(2000) });
    const body = (await res.json()) as { emulator?: { endpoint?: string }; infra?: LocalInfra };
    return body.emulator?.endpoint && body.infra ? { bot, endpoint: body.emulator.endpoint, infra: body.infra } : undefined;
  } catch {
    return undefined;
  }
}
