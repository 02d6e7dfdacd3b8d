import type { DeliveryInboxStore } from '../aws/delivery-inbox.js';
import type { CommandContext, CommandResult, Invocation } from '../commands/context.js';
import type { ReportTargetsPort } from '../commands/report-targets.js';
import type { EmailDirectory } from '../commands/identity.js';
import type { Command } from '../commands/types.js';
import type { Notifier } from '../environments/notifier-port.js';
import type { EnvironmentStore } from '../environments/store-port.js';

/**
 * The store as a door sees it: reading, the replay guard's once-marks and the audit of what it
 * refused at its own protocol level. No create, mutate, remove or leases: changes go through `run`.
 */
export type DoorStore = Pick<EnvironmentStore, 'get' | 'list' | 'recentAudit' | 'audit' | 'markOnce' | 'ping'>;

/** The command context as a door sees it: settings and policies to render with, a read-only store, no queue. */
export type DoorContext = Omit<CommandContext, 'store' | 'kick'> & { readonly store: DoorStore };

/**
 * What a door (Slack, GitHub, the operator API) may do with the core: run commands, read records,
 * listen to notices, link identities, and keep its deliveries. Not the queue, the reconciler or
 * the AWS clients: those are the composition root's. The engine fits this shape; tests pass it.
 */
export interface DoorPort {
  run(inv: Invocation, command: Command): Promise<CommandResult>;
  runText(inv: Invocation, text: string): Promise<CommandResult>;
  /** Waits until the work the door's commands started is done (tests; the CLI before it exits). */
  idle(): Promise<void>;
  readonly store: DoorStore;
  /** Where a door notes its own message and comment ids on a record (`report` only). */
  readonly reports: ReportTargetsPort;
  /** Why this actor may not run `verb` on `name` (checked and audited by the command layer), if so. */
  refusalToChange(inv: Invocation, verb: 'extend', name: string): Promise<CommandResult | undefined>;
  readonly notifier: { add(sink: Notifier): void };
  readonly ctx: DoorContext;
  readonly identities: { addDirectory(directory: EmailDirectory): void };
  /** Where verified GitHub deliveries wait until they are handled (DynamoDB, shared by replicas). */
  readonly deliveries: DeliveryInboxStore;
}
