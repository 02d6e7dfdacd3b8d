import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { AwsActionError } from './errors.js';

/**
 * Long-polling SQS consumer. A message is deleted only after its handler succeeded. A message that
 * cannot be parsed (poison) or whose handler failed stays in the queue: it becomes visible again after
 * the visibility timeout and, once the queue's RedrivePolicy maxReceiveCount is reached, SQS moves it
 * to the dead-letter queue. So a bug never loses events and a bad message never blocks the rest.
 */

type LogFn = (obj: Record<string, unknown>, msg: string) => void;
/** pino-compatible subset. */
export interface ConsumerLogger {
  warn: LogFn;
  error: LogFn;
  debug?: LogFn;
}

export interface SqsConsumerOptions<T> {
  sqs: SQSClient;
  queueUrl: string;
  /** Throws for a message that can never be handled. Gets the whole message for its attributes. */
  parse: (body: string, message: Message) => T;
  /** Throws for a failure worth retrying (store down, …). */
  handle: (message: T) => Promise<void>;
  /** 20 = the SQS maximum: one request per 20 s on an idle queue. */
  waitTimeSeconds?: number;
  maxMessages?: number;
  log?: ConsumerLogger;
  /** Pause after a failed receive; doubles up to 30 s. */
  backoffMs?: number;
  /** Message attributes to receive with each message (none when unset). */
  messageAttributeNames?: string[];
}

export interface PollResult {
  received: number;
  handled: number;
  poison: number;
  failed: number;
}

export class SqsReceiveError extends AwsActionError {
  override readonly name = 'SqsReceiveError';
}

/** Builds consumers on one SQS client: the port layers above aws/ get instead of the client. */
export type SqsConsumerFactory = <T>(opts: Omit<SqsConsumerOptions<T>, 'sqs'>) => SqsConsumer<T>;

export function sqsConsumers(sqs: SQSClient): SqsConsumerFactory {
  return (opts) => new SqsConsumer({ ...opts, sqs });
}

const silent: ConsumerLogger = { warn: () => {}, error: () => {} };

export class SqsConsumer<T> {
  private readonly log: ConsumerLogger;

  constructor(private readonly opts: SqsConsumerOptions<T>) {
    this.log = opts.log ?? silent;
  }

  /** One receive + handle + delete round. Aborting cuts a long poll short (returns an empty result). */
  async pollOnce(signal?: AbortSignal): Promise<PollResult> {
    const result: PollResult = { received: 0, handled: 0, poison: 0, failed: 0 };
    const messages = await this.receive(signal);
    if (!messages) return result;
    result.received = messages.length;
    // Handled one by one, in arrival order: events of one environment must not race each other.
    // Each is deleted as soon as it is handled, not with the batch: a slow batch would outlive the
    // visibility timeout, the early messages would be received again (new receipt handles make the
    // old ones unable to delete them) and handled events could pile up in the dead-letter queue.
    for (const message of messages) {
      const outcome = await this.process(message);
      result[outcome]++;
      if (outcome === 'handled') await this.deleteAll([message]);
    }
    return result;
  }

  /** Polls until the signal aborts; finishes the batch in hand first (graceful shutdown). */
  async run(signal: AbortSignal): Promise<void> {
    let backoff = this.opts.backoffMs ?? 1000;
    while (!signal.aborted) {
      try {
        await this.pollOnce(signal);
        backoff = this.opts.backoffMs ?? 1000;
      } catch (err) {
        if (signal.aborted) break;
        this.log.error({ err, queueUrl: this.opts.queueUrl }, 'polling the queue failed; retrying');
        await sleep(backoff, signal);
        backoff = Math.min(backoff * 2, 30_000);
      }
    }
  }

  private async receive(signal?: AbortSignal): Promise<Message[] | undefined> {
    if (signal?.aborted) return undefined;
    try {
      const out = await this.opts.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.opts.queueUrl,
          WaitTimeSeconds: this.opts.waitTimeSeconds ?? 20,
          MaxNumberOfMessages: this.opts.maxMessages ?? 10,
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
          ...(this.opts.messageAttributeNames && { MessageAttributeNames: this.opts.messageAttributeNames }),
        }),
        signal ? { abortSignal: signal } : {},
      );
      return out.Messages ?? [];
    } catch (err) {
      if (signal?.aborted) return undefined;
      throw new SqsReceiveError(`receiving from ${this.opts.queueUrl}`, err);
    }
  }

  private async process(message: Message): Promise<'handled' | 'poison' | 'failed'> {
    const context = { messageId: message.MessageId, receiveCount: message.Attributes?.ApproximateReceiveCount };
    let parsed: T;
    try {
      parsed = this.opts.parse(message.Body ?? '', message);
    } catch (err) {
      this.log.warn({ ...context, err }, 'poison message left for the dead-letter queue');
      return 'poison';
    }
    try {
      await this.opts.handle(parsed);
      return 'handled';
    } catch (err) {
      this.log.error({ ...context, err }, 'handling a queued message failed; it will be retried');
      return 'failed';
    }
  }

  private async deleteAll(messages: Message[]): Promise<void> {
    if (messages.length === 0) return;
    try {
      const out = await this.opts.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.opts.queueUrl,
          Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
        }),
      );
      // Not fatal: a message not deleted is delivered again, and handlers are idempotent.
      for (const f of out.Failed ?? []) this.log.warn({ id: f.Id, code: f.Code, reason: f.Message }, 'deleting a handled message failed');
    } catch (err) {
      this.log.warn({ err, count: messages.length }, 'deleting handled messages failed; they will be redelivered');
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
