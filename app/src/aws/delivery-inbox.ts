import { QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionFailed } from './errors.js';
import { TTL_ATTRIBUTE } from './store.js';

/** What the door learns from the one write that records a delivery. */
export type Receipt = 'new' | 'again' | 'done';

/** A claimed delivery: the event as the door stored it, and how many times it has been claimed. */
export interface Claimed {
  event: string;
  attempts: number;
}

/** A delivery envbot gave up on (kept for redelivery and for the operator to see). */
export interface FailedDelivery {
  id: string;
  attempts: number;
  error: string;
}

/** The durable half of the GitHub inbox (DynamoDB here; the processor in github/inbox.ts). */
export interface DeliveryInboxStore {
  receive(id: string, event: string, nowMs: number): Promise<Receipt>;
  claim(id: string, holder: string, leaseMs: number, nowMs: number): Promise<Claimed | undefined>;
  renew(id: string, holder: string, leaseMs: number, nowMs: number): Promise<boolean>;
  succeeded(id: string, holder: string, nowMs: number): Promise<void>;
  retryLater(id: string, holder: string, error: string, atMs: number): Promise<void>;
  gaveUp(id: string, holder: string, error: string): Promise<void>;
  release(id: string, holder: string, nowMs: number): Promise<void>;
  due(nowMs: number): Promise<string[]>;
  failures(nowMs: number): Promise<FailedDelivery[]>;
}

/** GitHub lets a person redeliver for 3 days; remembering a week covers that with margin. */
export const DELIVERY_TTL_SECONDS = 7 * 24 * 3600;
/**
 * DynamoDB's item limit is 400 KB (names and values together). The stored event is the triaged
 * one (a few hundred bytes; a comment's command lines at most GitHub's 65,536 characters), so
 * this only ever refuses something absurd, with a clear answer instead of a failed write.
 */
export const MAX_EVENT_BYTES = 300 * 1024;

const PK = 'INBOX#github';
const PENDING = 'pending';
const DONE = 'done';
const FAILED = 'failed';

/**
 * One item per GitHub delivery in the bot's table (pk `INBOX#github`, sk = X-GitHub-Delivery):
 * `state` pending → done (event dropped, key kept as the dedupe marker until the TTL) or → failed
 * (after the last attempt; a redelivery makes it pending again). `leaseHolder`/`leaseUntilMs`
 * keep two replicas from running one delivery; `nextAttemptAtMs` is the backoff.
 */
export class DynamoDeliveryInbox implements DeliveryInboxStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /**
   * The door's single durable write, which is also the de-duplication: creates the delivery, or
   * makes an unfinished one (pending or failed) due again with a fresh set of attempts. A done one
   * fails the condition and is left untouched.
   */
  async receive(id: string, event: string, nowMs: number): Promise<Receipt> {
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: PK, sk: id },
          UpdateExpression:
            'SET #state = :pending, #event = :event, attempts = :zero, nextAttemptAtMs = :now, ' +
            'receivedAtMs = if_not_exists(receivedAtMs, :now), #ttl = if_not_exists(#ttl, :ttl)',
          ConditionExpression: 'attribute_not_exists(pk) OR #state <> :done',
          ExpressionAttributeNames: { '#state': 'state', '#event': 'event', '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: {
            ':pending': PENDING,
            ':done': DONE,
            ':event': event,
            ':zero': 0,
            ':now': nowMs,
            ':ttl': Math.floor(nowMs / 1000) + DELIVERY_TTL_SECONDS,
          },
          ReturnValues: 'ALL_OLD',
        }),
      );
      return out.Attributes ? 'again' : 'new';
    } catch (err) {
      if (isConditionFailed(err)) return 'done';
      throw err;
    }
  }

  /** Takes a pending delivery nobody holds (or whose holder's lease ran out) and counts the attempt. */
  async claim(id: string, holder: string, leaseMs: number, nowMs: number): Promise<Claimed | undefined> {
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: PK, sk: id },
          UpdateExpression: 'SET leaseHolder = :me, leaseUntilMs = :until, attempts = if_not_exists(attempts, :zero) + :one',
          ConditionExpression: '#state = :pending AND (attribute_not_exists(leaseUntilMs) OR leaseUntilMs < :now)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':me': holder, ':until': nowMs + leaseMs, ':zero': 0, ':one': 1, ':pending': PENDING, ':now': nowMs },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const item = out.Attributes ?? {};
      return { event: String(item.event), attempts: Number(item.attempts) };
    } catch (err) {
      if (isConditionFailed(err)) return undefined;
      throw err;
    }
  }

  async renew(id: string, holder: string, leaseMs: number, nowMs: number): Promise<boolean> {
    return this.ifHolder(id, holder, 'SET leaseUntilMs = :until', { ':until': nowMs + leaseMs });
  }

  /** Done: the event is dropped (the item stays small), the key stays as the dedupe marker. */
  async succeeded(id: string, holder: string, nowMs: number): Promise<void> {
    await this.ifHolder(id, holder, 'SET #state = :done, doneAtMs = :now REMOVE #event, leaseHolder, leaseUntilMs, nextAttemptAtMs, lastError', {
      ':done': DONE,
      ':now': nowMs,
    }, { '#state': 'state', '#event': 'event' });
  }

  async retryLater(id: string, holder: string, error: string, atMs: number): Promise<void> {
    await this.ifHolder(id, holder, 'SET lastError = :err, nextAttemptAtMs = :at REMOVE leaseHolder, leaseUntilMs', {
      ':err': error.slice(0, 2000),
      ':at': atMs,
    });
  }

  async gaveUp(id: string, holder: string, error: string): Promise<void> {
    await this.ifHolder(id, holder, 'SET #state = :failed, lastError = :err REMOVE leaseHolder, leaseUntilMs, nextAttemptAtMs', {
      ':failed': FAILED,
      ':err': error.slice(0, 2000),
    }, { '#state': 'state' });
  }

  /** Shutdown: hands an unfinished delivery back, due at once, for the next replica or run. */
  async release(id: string, holder: string, nowMs: number): Promise<void> {
    await this.ifHolder(id, holder, 'SET nextAttemptAtMs = :now REMOVE leaseHolder, leaseUntilMs', { ':now': nowMs });
  }

  /**
   * Pending deliveries whose backoff has passed and that nobody holds. Done items stay in the
   * partition as dedupe markers (small: the event is dropped), so the filter reads past them.
   * DynamoDB TTL deletes lazily and expired items still appear in queries: filtered out here.
   */
  async due(nowMs: number): Promise<string[]> {
    const items = await this.query(
      '#state = :pending AND nextAttemptAtMs <= :now AND (attribute_not_exists(leaseUntilMs) OR leaseUntilMs < :now) AND #ttl > :nowSec',
      { ':pending': PENDING, ':now': nowMs, ':nowSec': Math.floor(nowMs / 1000) },
    );
    return items.map((i) => String(i.sk));
  }

  async failures(nowMs: number): Promise<FailedDelivery[]> {
    const items = await this.query('#state = :failed AND #ttl > :nowSec', { ':failed': FAILED, ':nowSec': Math.floor(nowMs / 1000) });
    return items.map((i) => ({ id: String(i.sk), attempts: Number(i.attempts ?? 0), error: String(i.lastError ?? '') }));
  }

  private async ifHolder(
    id: string,
    holder: string,
    update: string,
    values: Record<string, unknown>,
    names: Record<string, string> = {},
  ): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: PK, sk: id },
          UpdateExpression: update,
          ConditionExpression: 'leaseHolder = :me',
          ...(Object.keys(names).length > 0 && { ExpressionAttributeNames: names }),
          ExpressionAttributeValues: { ...values, ':me': holder },
        }),
      );
      return true;
    } catch (err) {
      // Our lease ran out and someone else took the delivery: theirs to finish now.
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }

  private async query(filter: string, values: Record<string, unknown>): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          FilterExpression: filter,
          ProjectionExpression: 'sk, attempts, lastError',
          ExpressionAttributeNames: { '#state': 'state', '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ...values, ':pk': PK },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(res.Items ?? []));
      start = res.LastEvaluatedKey;
    } while (start);
    return items;
  }
}
