import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DescribeTableCommand, UpdateTimeToLiveCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { EnvironmentRecord } from '../environments/record.js';
import { VersionConflictError, type AuditEntry, type EnvironmentStore } from '../environments/store-port.js';
import { isConditionFailed, isNotFound } from './errors.js';

/**
 * Single-table layout (pk, sk):
 *   ENV / <name>            the environment record (version attribute for optimistic concurrency)
 *   LEASE / <name>          reconcile lease: holder + expiresAtMs
 *   PRIO / <0000n>          listener-rule priority claimed by an environment
 *   AUDIT#<yyyy-mm-dd> / <iso>#<id>
 *   ONCE#<kind> / <id>      idempotency keys (webhook deliveries), TTL-expired
 */
export const TTL_ATTRIBUTE = 'expiresAt';
const MAX_PRIORITY = 50_000;
const MAX_MUTATE_ATTEMPTS = 12;

export class DynamoEnvironmentStore implements EnvironmentStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(name: string): Promise<EnvironmentRecord | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: 'ENV', sk: name }, ConsistentRead: true }));
    return out.Item ? toRecord(out.Item) : undefined;
  }

  async create(record: EnvironmentRecord): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: 'ENV', sk: record.name, ...record },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }

  async mutate(
    name: string,
    change: (current: EnvironmentRecord) => EnvironmentRecord | undefined,
    known?: EnvironmentRecord,
  ): Promise<EnvironmentRecord | undefined> {
    for (let attempt = 0; attempt < MAX_MUTATE_ATTEMPTS; attempt++) {
      const current = attempt === 0 && known ? known : await this.get(name);
      if (!current) return undefined;
      const next = change(structuredClone(current));
      if (!next) return current;
      const stored = { ...next, version: current.version + 1, updatedAt: new Date().toISOString() };
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.table,
            Item: { pk: 'ENV', sk: name, ...stored },
            ConditionExpression: '#v = :v',
            ExpressionAttributeNames: { '#v': 'version' },
            ExpressionAttributeValues: { ':v': current.version },
          }),
        );
        return stored;
      } catch (err) {
        if (!isConditionFailed(err)) throw err;
        // Full jitter, growing: contending writers spread out instead of colliding again.
        await sleep(Math.random() * Math.min(1000, 20 * 2 ** attempt));
      }
    }
    throw new VersionConflictError(`updating ${name}: too many concurrent changes; try again`);
  }

  async remove(name: string, version: number): Promise<boolean> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { pk: 'ENV', sk: name },
          ConditionExpression: '#v = :v',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':v': version },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }

  async list(): Promise<EnvironmentRecord[]> {
    return (await this.queryAll('ENV')).map(toRecord);
  }

  async acquireLease(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: 'LEASE', sk: name, holder, expiresAtMs: now + ttlMs, [TTL_ATTRIBUTE]: Math.ceil((now + ttlMs) / 1000) + 3600 },
          // Free, expired, or already ours (renewal).
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAtMs < :now OR holder = :me',
          ExpressionAttributeValues: { ':now': now, ':me': holder },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { pk: 'LEASE', sk: name },
          ConditionExpression: 'holder = :me',
          ExpressionAttributeValues: { ':me': holder },
        }),
      );
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
  }

  async claimPriority(name: string, avoid: ReadonlySet<number> = new Set()): Promise<number> {
    const claimed = await this.queryAll('PRIO');
    const mine = claimed.find((item) => item.env === name);
    if (mine && !avoid.has(Number(mine.sk))) return Number(mine.sk);
    const taken = new Set([...claimed.map((item) => Number(item.sk)), ...avoid]);
    for (let p = 1; p <= MAX_PRIORITY; p++) {
      if (taken.has(p)) continue;
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.table,
            Item: { pk: 'PRIO', sk: String(p).padStart(5, '0'), env: name },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return p;
      } catch (err) {
        // Another writer took it between our read and write: try the next one.
        if (!isConditionFailed(err)) throw err;
      }
    }
    throw new Error('allocating a listener rule priority: all priorities are taken');
  }

  async releasePriority(priority: number, name: string): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { pk: 'PRIO', sk: String(priority).padStart(5, '0') },
          ConditionExpression: 'env = :name',
          ExpressionAttributeValues: { ':name': name },
        }),
      );
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
  }

  /** Priorities by environment, for the orphan sweep. */
  async claimedPriorities(): Promise<{ priority: number; env: string }[]> {
    return (await this.queryAll('PRIO')).map((i) => ({ priority: Number(i.sk), env: String(i.env) }));
  }

  async audit(entry: AuditEntry): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: `AUDIT#${entry.at.slice(0, 10)}`,
          sk: `${entry.at}#${randomUUID().slice(0, 8)}`,
          ...entry,
          // Audit entries are kept for a year.
          [TTL_ATTRIBUTE]: Math.floor(Date.parse(entry.at) / 1000) + 365 * 86400,
        },
      }),
    );
  }

  async recentAudit(limit: number): Promise<AuditEntry[]> {
    const out: AuditEntry[] = [];
    for (let day = 0; day < 7 && out.length < limit; day++) {
      const date = new Date(Date.now() - day * 86400_000).toISOString().slice(0, 10);
      const res = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `AUDIT#${date}` },
          ScanIndexForward: false,
          Limit: limit - out.length,
        }),
      );
      for (const item of res.Items ?? []) {
        const { pk: _pk, sk: _sk, [TTL_ATTRIBUTE]: _ttl, ...entry } = item;
        out.push(entry as AuditEntry);
      }
    }
    return out;
  }

  async markOnce(kind: string, id: string, ttlSeconds: number): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: `ONCE#${kind}`, sk: id, [TTL_ATTRIBUTE]: Math.floor(Date.now() / 1000) + ttlSeconds },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }

  async ping(): Promise<void> {
    await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: 'PING', sk: 'PING' } }));
  }

  private async queryAll(pk: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
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

function toRecord(item: Record<string, unknown>): EnvironmentRecord {
  const { pk: _pk, sk: _sk, ...record } = item;
  return record as unknown as EnvironmentRecord;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Creates the table if missing (local mode and tests; the CDK stack creates it in production). */
export async function ensureTable(dynamo: DynamoDBClient, table: string): Promise<void> {
  try {
    await dynamo.send(new DescribeTableCommand({ TableName: table }));
    return;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  try {
    await dynamo.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    );
  } catch (err) {
    if ((err as { name?: string }).name !== 'ResourceInUseException') throw err;
  }
  for (let i = 0; i < 100; i++) {
    const d = await dynamo.send(new DescribeTableCommand({ TableName: table }));
    if (d.Table?.TableStatus === 'ACTIVE') break;
    await sleep(100);
  }
  try {
    await dynamo.send(
      new UpdateTimeToLiveCommand({ TableName: table, TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true } }),
    );
  } catch {
    // dynalite has no TTL API; expiry is then just not enforced locally.
  }
}
