import type { ConsumerLogger, SqsConsumer, SqsConsumerFactory } from '../aws/sqs-consumer.js';
import { DEAD_LETTER_ATTRIBUTES, parseDeadLetter, type FailedInvocation } from './schedule-failure.js';
import { handleScheduleFailure, type ScheduleFailureHandlerDeps } from './schedule-failure-handler.js';

/**
 * Reads the schedules' dead-letter queue. A message of another schedule group (or not one of
 * envbot's schedules) is acknowledged and dropped; one that is no Scheduler dead-letter event at all
 * stays in the queue for a person to look at (the consumer logs it as poison).
 */
export function scheduleFailureConsumer(o: {
  /** aws/sqs-consumer.ts sqsConsumers, bound to the SQS client by the composition root. */
  consumers: SqsConsumerFactory;
  queueUrl: string;
  group: string;
  deps: ScheduleFailureHandlerDeps;
  log?: ConsumerLogger;
  waitTimeSeconds?: number;
}): SqsConsumer<FailedInvocation | undefined> {
  return o.consumers<FailedInvocation | undefined>({
    queueUrl: o.queueUrl,
    messageAttributeNames: [...DEAD_LETTER_ATTRIBUTES],
    parse: (body, message) => parseDeadLetter(body, message.MessageAttributes, o.group, message.MessageId ?? body),
    handle: async (failure) => {
      if (failure) await handleScheduleFailure(o.deps, failure);
    },
    ...(o.log && { log: o.log }),
    ...(o.waitTimeSeconds !== undefined && { waitTimeSeconds: o.waitTimeSeconds }),
  });
}
