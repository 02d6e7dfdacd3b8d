import type { DeliveryInboxStore } from '../aws/delivery-inbox.js';
import type { CommandContext, CommandResult, Invocation } from '../commands/context.js';
import type { EmailDirectory } from '../commands/identity.js';
import type { Command } from '../commands/types.js';
import type { Notifier } from '../environments/notifier-port.js';
import type { EnvironmentStore } from '../environments/store-port.js';

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
  readonly store: EnvironmentStore;
  readonly notifier: { add(sink: Notifier): void };
  readonly ctx: CommandContext;
  readonly identities: { addDirectory(directory: EmailDirectory): void };
  /** Where verified GitHub deliveries wait until they are handled (DynamoDB, shared by replicas). */
  readonly deliveries: DeliveryInboxStore;
}
