import type { Logger } from 'pino';
import type { CommandContext, CommandResult, Invocation } from '../commands/context.js';
import type { Config } from '../config.js';
import type { Notifier } from '../environments/notifier-port.js';
import type { EnvironmentStore } from '../environments/store-port.js';
import type { KeyFetcher } from './alb-oidc.js';

/** The part of the engine the dashboard uses (the real `Engine` fits; tests pass a small fake). */
export interface DashboardEngine {
  store: Pick<EnvironmentStore, 'list'>;
  notifier: { add(sink: Notifier): void };
  ctx: Pick<CommandContext, 'extendPort' | 'costPort' | 'now' | 'identities'>;
  runText(inv: Invocation, text: string): Promise<CommandResult>;
}

export interface DashboardOptions {
  engine: DashboardEngine;
  config: Config;
  /** What the local emulator cannot do (LOCAL_LIMITATIONS); empty in AWS. */
  limitations: string[];
  log: Logger;
  env?: NodeJS.ProcessEnv;
  /** Local mode: where the emulator answers and what shared resources it holds, for tests and tools. */
  runtime?: { emulatorEndpoint?: string; infra?: object };
  /** Tests inject their own key source; production fetches AWS's published ALB keys. */
  fetchKey?: KeyFetcher;
  /** The OS user the local dashboard acts as (defaults to the current one, like the CLI). */
  localUser?: string;
}
