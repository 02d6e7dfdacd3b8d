import type { Config } from '../config.js';
import type { InstallationReader } from '../aws/doctor-reads.js';
import type { Decision, RoleFacts, SimulationRequest } from '../aws/iam.js';
import type { Installation } from './installation.js';

export type Status = 'ok' | 'warn' | 'fail' | 'skip';

/** One line of the checklist. `fix` says what to do whenever the status is not ok. */
export interface CheckResult {
  id: string;
  title: string;
  status: Status;
  detail: string;
  fix?: string;
}

export type Outcome = Omit<CheckResult, 'id' | 'title'>;

/** What the doctor's IAM checks need (the real one is IamReader; tests may inject the simulator). */
export interface IamPort {
  simulate(req: SimulationRequest): Promise<Map<string, Decision>>;
  role(name: string): Promise<RoleFacts>;
}

export interface DoctorContext {
  config: Config;
  mode: 'local' | 'aws';
  installation: Installation;
  reader: InstallationReader;
  iam: IamPort;
  /** The bot's own role, when known (flag, ENVBOT_BOT_ROLE_ARN, or the caller's assumed role). */
  botRoleArn?: string;
  /** Dead-letter queue of failed schedule invocations (ENVBOT_SCHEDULE_FAILURES_QUEUE_URL), when configured. */
  scheduleDlqUrl?: string;
}

export interface Check {
  id: string;
  title: string;
  run(ctx: DoctorContext): Promise<Outcome>;
}

export const ok = (detail: string): Outcome => ({ status: 'ok', detail });
export const warn = (detail: string, fix: string): Outcome => ({ status: 'warn', detail, fix });
export const fail = (detail: string, fix: string): Outcome => ({ status: 'fail', detail, fix });
export const skip = (detail: string, fix?: string): Outcome => ({ status: 'skip', detail, ...(fix && { fix }) });
