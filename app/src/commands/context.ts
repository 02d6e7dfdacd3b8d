import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { EffectiveEntry } from '../environments/config-layers.js';
import type { ExtendDuration } from '../environments/duration.js';
import type { Notifier } from '../environments/notifier-port.js';
import type { EnvironmentRecord, ReportTargets } from '../environments/record.js';
import type { EnvironmentStore } from '../environments/store-port.js';
import type { AccessPolicy, DoorFacts } from './access.js';
import type { Actor } from './actor.js';
import type { IdentityLinks } from './identity.js';

/** Config layers as the `config` verb sees them (Parameter Store behind it). */
export interface ConfigPort {
  effective(record: EnvironmentRecord): Promise<EffectiveEntry[]>;
  set(record: EnvironmentRecord, key: string, value: string, secret: boolean): Promise<void>;
  unset(record: EnvironmentRecord, key: string): Promise<boolean>;
}

/** Auto-stop postponement (EventBridge Scheduler); absent until schedules are configured. */
export interface ExtendPort {
  /**
   * Postpones the next stop and updates the schedules. Returns the new stop (ISO, stored on the
   * record) and how to show it; throws an Error whose message is for the user.
   */
  extend(record: EnvironmentRecord, duration: ExtendDuration, now: Date): Promise<{ until: string; display: string }>;
  /** Next auto-stop instant (ISO) for display, if any. */
  nextStop?(record: EnvironmentRecord, now: Date): string | undefined;
}

/** Checks an image a user pins with `--image` (builds: provenance of commit images). */
export interface PinnedImagePort {
  /** Why envbot will not run this image, or undefined when it may. */
  pinnedImageProblem(uri: string): Promise<string | undefined>;
}

/** Spend so far, rendered as text (the cost module). */
export interface CostPort {
  costText(name: string | undefined, now: Date): Promise<string>;
  costSoFar?(name: string, now: Date): Promise<number>;
}

export interface CommandContext {
  config: Config;
  store: EnvironmentStore;
  access: AccessPolicy;
  notifier: Notifier;
  log: Logger;
  configPort: ConfigPort;
  extendPort?: ExtendPort;
  costPort?: CostPort;
  /** Absent without builds: only the allow-list applies to `--image`. */
  pinnedImages?: PinnedImagePort;
  /** Linked ids across doors; without it an actor is only its own id. */
  identities?: IdentityLinks;
  /** Hands an environment to the background reconciler. */
  kick(name: string): void;
  now(): Date;
}

/** Where the request came from, so progress can be reported back there. */
export interface Invocation {
  actor: Actor;
  report?: ReportTargets;
  /** What the door looked up about the request (e.g. GitHub permission, fork); decided on here. */
  door?: DoorFacts;
}

export type ResultKind = 'accepted' | 'info' | 'refused' | 'error';

/** `text` is what the user reads; `record(s)` let front ends render richer messages. */
export interface CommandResult {
  kind: ResultKind;
  text: string;
  record?: EnvironmentRecord;
  records?: EnvironmentRecord[];
  data?: unknown;
}

export const refused = (text: string): CommandResult => ({ kind: 'refused', text });
export const info = (text: string, extra: Partial<CommandResult> = {}): CommandResult => ({ kind: 'info', text, ...extra });
export const accepted = (text: string, extra: Partial<CommandResult> = {}): CommandResult => ({ kind: 'accepted', text, ...extra });
