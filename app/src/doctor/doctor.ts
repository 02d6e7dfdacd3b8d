import { ConfigError, loadConfig } from '../config.js';
import { assumedRoleName } from '../aws/sts.js';
import { MotoUnavailableError } from '../local/moto-process.js';
import type { DoctorContext } from './check.js';
import { runChecks } from './checklist.js';
import { installationOf } from './installation.js';
import { renderJson, renderText, type DoctorReport } from './render.js';
import { awsTarget, localTarget, type DoctorTarget } from './target.js';

export const DOCTOR_USAGE = `usage: envbot doctor [--json] [--role-arn <bot role ARN>]
  Read-only checks of an installation, with what to do for each failure.
  Uses the bot's configuration (environment variables / ENVBOT_CONFIG_FILE) and your AWS credentials.
  --json       the checklist as JSON
  --role-arn   the bot's task role, for the permission check (or ENVBOT_BOT_ROLE_ARN)
`;

interface Options {
  json: boolean;
  roleArn?: string;
}

type Writable = { write(text: string): unknown };

/** `envbot doctor`: exit 0 when nothing failed, 1 when a check failed, 2 for usage/config problems. */
export async function runDoctor(
  args: string[],
  env: NodeJS.ProcessEnv,
  out: Writable,
  err: Writable,
  makeTarget?: (env: NodeJS.ProcessEnv) => Promise<DoctorTarget>,
): Promise<number> {
  const options = parseOptions(args);
  if (typeof options === 'string') {
    err.write(`envbot doctor: ${options}\n${DOCTOR_USAGE}`);
    return 2;
  }
  let target: DoctorTarget;
  try {
    target = makeTarget ? await makeTarget(env) : await defaultTarget(env);
  } catch (e) {
    if (e instanceof ConfigError || e instanceof MotoUnavailableError) {
      err.write(`${e.message}\n`);
      return 2;
    }
    throw e;
  }
  try {
    const report = await examine(target, options, env);
    out.write(options.json ? renderJson(report) : renderText(report));
    return report.healthy ? 0 : 1;
  } catch (e) {
    err.write(`envbot doctor: ${(e as Error).message}\n`);
    return 2;
  } finally {
    await target.stop();
  }
}

async function defaultTarget(env: NodeJS.ProcessEnv): Promise<DoctorTarget> {
  const config = loadConfig(env);
  return config.mode === 'local' ? localTarget(config, env) : awsTarget(config);
}

async function examine(target: DoctorTarget, options: Options, env: NodeJS.ProcessEnv): Promise<DoctorReport> {
  const { config } = target;
  const me = await target.whoAmI();
  const botRoleArn = options.roleArn ?? env.ENVBOT_BOT_ROLE_ARN ?? (await ownRoleInsideTask(target, me.arn, env));
  const scheduleDlqUrl = config.scheduleFailuresQueueUrl;
  const ctx: DoctorContext = {
    config,
    mode: config.mode,
    installation: installationOf(config, config.aws.accountId ?? me.account),
    reader: target.reader,
    iam: target.iam,
    ...(botRoleArn && { botRoleArn }),
    ...(scheduleDlqUrl && { scheduleDlqUrl }),
  };
  const checks = await runChecks(ctx);
  return { mode: config.mode, region: config.aws.region, account: me.account, ...(target.where && { where: target.where }), checks, healthy: checks.every((c) => c.status !== 'fail') };
}

/**
 * Inside the bot's ECS task the credentials are the bot role's own. Elsewhere an assumed role is
 * the operator's (SSO, CI), which must not be mistaken for the bot's.
 */
async function ownRoleInsideTask(target: DoctorTarget, callerArn: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const inEcs = Boolean(env.ECS_CONTAINER_METADATA_URI_V4 || env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI);
  const name = assumedRoleName(callerArn);
  if (!inEcs || !name) return undefined;
  return (await target.iam.role(name)).arn || undefined;
}

function parseOptions(args: string[]): Options | string {
  const options: Options = { json: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--json') options.json = true;
    else if (a === '--role-arn') {
      const v = args[++i];
      if (!v?.startsWith('arn:')) return '--role-arn needs a role ARN (arn:aws:iam::<account>:role/<name>)';
      options.roleArn = v;
    } else return `unknown argument "${a}"`;
  }
  return options;
}
