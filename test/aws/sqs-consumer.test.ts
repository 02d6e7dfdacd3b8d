import { describe, expect, it } from 'vitest';
import { CreateQueueCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { SqsConsumer } from '../../app/src/aws/sqs-consumer.js';
import { emulatorClients, uniquePrefix } from '../support/aws-fixture.js';

describe('SQS consumer against the emulator', () => {
  it('deletes each message as soon as it is handled, not after the whole batch', async () => {
    // Why: a batch handled one by one can outlive the queue's visibility timeout (60 s); messages
    // not yet deleted are then received again, and the old receipt handle may no longer delete them
    // (SQS keeps only the latest), so handled events would be redelivered up to maxReceiveCount and
    // end in the dead-letter queue.
    const clients = emulatorClients();
    const url = (await clients.sqs.send(new CreateQueueCommand({ QueueName: uniquePrefix('consumer') }))).QueueUrl!;
    for (const body of ['first', 'second']) await clients.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
    const deleted: string[] = [];
    clients.sqs.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'DeleteMessageBatchCommand') {
          deleted.push(...(args.input as { Entries: { ReceiptHandle: string }[] }).Entries.map((e) => e.ReceiptHandle));
        }
        return next(args);
      },
      { step: 'initialize', name: 'recordDeletes' },
    );
    const deletedBefore: Record<string, number> = {};
    const consumer = new SqsConsumer({
      sqs: clients.sqs,
      queueUrl: url,
      waitTimeSeconds: 1,
      parse: (body) => body,
      handle: async (body) => {
        deletedBefore[body] = deleted.length;
      },
    });

    const result = await consumer.pollOnce();

    expect(result).toEqual({ received: 2, handled: 2, poison: 0, failed: 0 });
    expect(deletedBefore).toEqual({ first: 0, second: 1 });
    expect(deleted).toHaveLength(2);
    expect(await consumer.pollOnce()).toMatchObject({ received: 0 });
  });
});
