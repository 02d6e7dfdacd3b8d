import {
  BatchWriteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { TaskEvent } from '../environments/task-event.js';
import { compareIntervals, intervalFromEvent, type TaskInterval } from '../environments/task-intervals.js';
import { AwsActionError, errorName } from './errors.js';
import { TTL_ATTRIBUTE } from './store.js';

/**
 * The cost ledger in the single table (pk, sk). One task interval is stored up to three ways:
 *
 *   COST#<env>        / <startedAt>#<taskId>        the interval itself (the truth)
 *   COSTOPEN          / <env>#<startedAt>#<taskId>  copy while the task runs (deleted on stop)
 *   COSTDAY#<yyyy-mm-dd> / <env>#<startedAt>#<taskId>  copy per UTC day the stopped task overlapped
 *
 * Beside them, one item per idle sleep (issue 15's "sleep saved"), in the UTC day it began:
 *
 *   COSTSLEEP#<yyyy-mm-dd> / <env>#<at>#<taskId>   idle sleep stopped task <taskId> at <at>
 *
 * Why the copies: the fleet summary needs every interval in a window, including those of
 * environments since deleted (their records are gone, their cost is not). Reading per environment
 * would need a list of all names ever used, so the summary instead reads one partition per UTC day
 * of the window plus the small open partition (at most one item per running task). For 1,000
 * environments over 30 days that is 31 paged queries, run 8 at a time, instead of 1,000 queries,
 * and each day partition holds only the few thousand intervals that touched that day. A task that
 * spans days is copied into each day, and the reader de-duplicates by key.
 *
 * Idempotency: the interval is keyed by task, not by event, and every write is conditional. A
 * start creates the interval and its open copy in one transaction only if the interval is new; a
 * stop sets `stoppedAt` and deletes the open copy in one transaction only if no stop was recorded.
 * Redelivered or reordered events therefore fail the condition and change nothing, and the two
 * transactions serialise, so a stop that overtakes its start never leaves a stale open copy. Day
 * copies are plain puts of the stored interval, repeated on every stop delivery, so a crash between
 * the transaction and the copies heals on redelivery. Everything expires ~400 days after the day
 * it describes (TTL), past the 13 months a year-on-year comparison needs.
 */

export type RecordOutcome = 'started' | 'stopped' | 'unchanged' | 'ignored';

const TTL_DAYS = 400;
const DAY_MS = 86_400_000;
const OPEN_PK = 'COSTOPEN';
const BATCH_SIZE = 25;
/** How far before a window the summary looks for a sleep still going on inside it. */
const SLEEP_LOOKBACK_DAYS = 31;

export interface CostStoreOptions {
  /** Day partitions queried at once by `allIntervals`. */
  concurrency?: number;
}

export class DynamoCostStore {
  private readonly concurrency: number;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    opts: CostStoreOptions = {},
  ) {
    this.concurrency = opts.concurrency ?? 8;
  }

  /** Applies one task event; safe to call again with the same event or out of order. */
  async recordEvent(event: TaskEvent, owner?: string): Promise<RecordOutcome> {
    const interval = intervalFromEvent(event, owner);
    if (!interval) return 'ignored';
    try {
      return interval.stoppedAt === undefined ? await this.recordStart(interval) : await this.recordStop(interval);
    } catch (err) {
      throw new AwsActionError(`recording cost of task ${interval.taskId} (${interval.env})`, err, 'the event will be retried');
    }
  }

  /** Intervals of one environment overlapping [from, to). */
  async intervals(env: string, from: Date, to: Date): Promise<TaskInterval[]> {
    try {
      const items = await this.queryAll({
        KeyConditionExpression: 'pk = :pk AND sk < :to',
        FilterExpression: 'attribute_not_exists(stoppedAt) OR stoppedAt > :from',
        ExpressionAttributeValues: { ':pk': envPk(env), ':to': to.toISOString(), ':from': from.toISOString() },
      });
      return items.map(toInterval).sort(compareIntervals);
    } catch (err) {
      throw new AwsActionError(`reading the cost ledger of ${env}`, err);
    }
  }

  /** Intervals of every environment (deleted ones included) overlapping [from, to). */
  async allIntervals(from: Date, to: Date): Promise<TaskInterval[]> {
    try {
      const partitions = [OPEN_PK, ...utcDays(from.getTime(), to.getTime()).map(dayPk)];
      const pages = await mapLimit(partitions, this.concurrency, (pk) =>
        this.queryAll({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }),
      );
      const byKey = new Map<string, TaskInterval>();
      for (const item of pages.flat()) byKey.set(String(item.sk), toInterval(item));
      return [...byKey.values()].filter((i) => overlaps(i, from, to)).sort(compareIntervals);
    } catch (err) {
      throw new AwsActionError('reading the cost ledger', err);
    }
  }

  /**
   * Records that idle sleep stopped `env` at `at` (the stop of task `taskId`). Keyed by task, so a
   * redelivered event rewrites the same item: a plain put is already idempotent.
   */
  async recordSleep(env: string, at: string, taskId: string): Promise<void> {
    const day = at.slice(0, 10);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: sleepPk(day), sk: `${env}#${at}#${taskId}`, env, at, taskId, [TTL_ATTRIBUTE]: ttl(Date.parse(`${day}T00:00:00.000Z`)) },
        }),
      );
    } catch (err) {
      throw new AwsActionError(`recording the idle sleep of ${env}`, err, 'the event will be retried');
    }
  }

  /**
   * Idle-sleep instants per environment, from SLEEP_LOOKBACK_DAYS before `from` (a sleep that began
   * before the window still saves inside it) to `to`. One query per UTC day, like `allIntervals`.
   */
  async sleepStarts(from: Date, to: Date): Promise<Map<string, string[]>> {
    try {
      const days = utcDays(from.getTime() - SLEEP_LOOKBACK_DAYS * DAY_MS, to.getTime());
      const pages = await mapLimit(days, this.concurrency, (day) =>
        this.queryAll({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': sleepPk(day) } }),
      );
      const byEnv = new Map<string, string[]>();
      for (const item of pages.flat()) {
        const at = String(item.at);
        if (at >= to.toISOString()) continue;
        byEnv.set(String(item.env), [...(byEnv.get(String(item.env)) ?? []), at]);
      }
      return byEnv;
    } catch (err) {
      throw new AwsActionError('reading the idle-sleep ledger', err);
    }
  }

  /** Bulk load of known intervals (backfill, benchmarks): unconditional, idempotent puts. */
  async importIntervals(intervals: readonly TaskInterval[]): Promise<void> {
    const requests = new Map<string, Record<string, unknown>>();
    for (const interval of intervals) {
      for (const item of [primaryItem(interval), ...copies(interval)]) requests.set(`${item.pk}|${item.sk}`, item);
    }
    await this.batchPut([...requests.values()]);
  }

  private async recordStart(interval: TaskInterval): Promise<RecordOutcome> {
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.table, Item: primaryItem(interval), ConditionExpression: 'attribute_not_exists(pk)' } },
            { Put: { TableName: this.table, Item: openItem(interval) } },
          ],
        }),
      );
      return 'started';
    } catch (err) {
      if (isConditionCancel(err)) return 'unchanged';
      throw err;
    }
  }

  private async recordStop(interval: TaskInterval): Promise<RecordOutcome> {
    let outcome: RecordOutcome = 'stopped';
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Update: { TableName: this.table, ...stopUpdate(interval) } },
            { Delete: { TableName: this.table, Key: { pk: OPEN_PK, sk: indexSk(interval) } } },
          ],
        }),
      );
    } catch (err) {
      if (!isConditionCancel(err)) throw err;
      outcome = 'unchanged';
    }
    const stored = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk: envPk(interval.env), sk: primarySk(interval) }, ConsistentRead: true }),
    );
    if (stored.Item) await this.batchPut(dayItems(toInterval(stored.Item)));
    return outcome;
  }

  private async queryAll(input: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName'>): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.doc.send(new QueryCommand({ ...input, TableName: this.table, ExclusiveStartKey: start }));
      items.push(...(res.Items ?? []));
      start = res.LastEvaluatedKey;
    } while (start);
    return items;
  }

  private async batchPut(items: readonly Record<string, unknown>[]): Promise<void> {
    for (let i = 0; i < items.length; i += BATCH_SIZE) {
      let pending = items.slice(i, i + BATCH_SIZE).map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt >= 8) throw new Error(`writing ${pending.length} cost items: DynamoDB kept them unprocessed (throttled)`);
        if (attempt > 0) await sleep(20 * 2 ** attempt);
        const res = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.table]: pending } }));
        pending = (res.UnprocessedItems?.[this.table] ?? []) as typeof pending;
      }
    }
  }
}

function envPk(env: string): string {
  return `COST#${env}`;
}

function sleepPk(day: string): string {
  return `COSTSLEEP#${day}`;
}

function dayPk(day: string): string {
  return `COSTDAY#${day}`;
}

function primarySk(i: TaskInterval): string {
  return `${i.startedAt}#${i.taskId}`;
}

function indexSk(i: TaskInterval): string {
  return `${i.env}#${i.startedAt}#${i.taskId}`;
}

function ttl(fromMs: number): number {
  return Math.floor(fromMs / 1000) + TTL_DAYS * 86_400;
}

function attributes(i: TaskInterval): Record<string, unknown> {
  return {
    env: i.env,
    ...(i.owner !== undefined && { owner: i.owner }),
    taskArn: i.taskArn,
    taskId: i.taskId,
    cpu: i.cpu,
    memory: i.memory,
    provider: i.provider,
    ...(i.providerAssumed && { providerAssumed: true }),
    startedAt: i.startedAt,
    ...(i.stoppedAt !== undefined && { stoppedAt: i.stoppedAt }),
  };
}

function primaryItem(i: TaskInterval): Record<string, unknown> {
  return { pk: envPk(i.env), sk: primarySk(i), ...attributes(i), [TTL_ATTRIBUTE]: ttl(Date.parse(i.startedAt)) };
}

function openItem(i: TaskInterval): Record<string, unknown> {
  return { pk: OPEN_PK, sk: indexSk(i), ...attributes(i), [TTL_ATTRIBUTE]: ttl(Date.parse(i.startedAt)) };
}

function dayItems(i: TaskInterval): Record<string, unknown>[] {
  if (i.stoppedAt === undefined) return [];
  const start = Date.parse(i.startedAt);
  return utcDays(start, Math.max(Date.parse(i.stoppedAt), start + 1)).map((day) => ({
    pk: dayPk(day),
    sk: indexSk(i),
    ...attributes(i),
    [TTL_ATTRIBUTE]: ttl(Date.parse(`${day}T00:00:00.000Z`)),
  }));
}

/** Where an interval is indexed: its open copy while running, its day copies once stopped. */
function copies(i: TaskInterval): Record<string, unknown>[] {
  return i.stoppedAt === undefined ? [openItem(i)] : dayItems(i);
}

/**
 * Sets the stop on the interval, creating it if the stop arrived first. Facts already stored win
 * over assumptions: a provider or owner is only filled in when missing or assumed.
 */
function stopUpdate(i: TaskInterval) {
  const names: Record<string, string> = {
    '#env': 'env',
    '#arn': 'taskArn',
    '#id': 'taskId',
    '#cpu': 'cpu',
    '#mem': 'memory',
    '#prov': 'provider',
    '#start': 'startedAt',
    '#stop': 'stoppedAt',
    '#ttl': TTL_ATTRIBUTE,
  };
  const values: Record<string, unknown> = {
    ':env': i.env,
    ':arn': i.taskArn,
    ':id': i.taskId,
    ':cpu': i.cpu,
    ':mem': i.memory,
    ':prov': i.provider,
    ':start': i.startedAt,
    ':stop': i.stoppedAt,
    ':ttl': ttl(Date.parse(i.startedAt)),
  };
  const set = [
    '#env = :env',
    '#arn = :arn',
    '#id = :id',
    '#cpu = if_not_exists(#cpu, :cpu)',
    '#mem = if_not_exists(#mem, :mem)',
    '#start = :start',
    '#stop = :stop',
    '#ttl = :ttl',
  ];
  let remove = '';
  if (i.providerAssumed) {
    // Keep a provider the start event named. (A stop-first item created here gets the assumed
    // on-demand provider without the flag; ECS names the provider on every event in practice.)
    set.push('#prov = if_not_exists(#prov, :prov)');
  } else {
    names['#assumed'] = 'providerAssumed';
    set.push('#prov = :prov');
    remove = ' REMOVE #assumed';
  }
  if (i.owner !== undefined) {
    names['#owner'] = 'owner';
    values[':owner'] = i.owner;
    set.push('#owner = if_not_exists(#owner, :owner)');
  }
  return {
    Key: { pk: envPk(i.env), sk: primarySk(i) },
    UpdateExpression: `SET ${set.join(', ')}${remove}`,
    ConditionExpression: 'attribute_not_exists(#stop)',
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

function toInterval(item: Record<string, unknown>): TaskInterval {
  const i: TaskInterval = {
    env: String(item.env),
    taskArn: String(item.taskArn),
    taskId: String(item.taskId),
    cpu: Number(item.cpu),
    memory: Number(item.memory),
    provider: item.provider === 'FARGATE_SPOT' ? 'FARGATE_SPOT' : 'FARGATE',
    startedAt: String(item.startedAt),
  };
  if (typeof item.owner === 'string') i.owner = item.owner;
  if (item.providerAssumed === true) i.providerAssumed = true;
  if (typeof item.stoppedAt === 'string') i.stoppedAt = item.stoppedAt;
  return i;
}

function overlaps(i: TaskInterval, from: Date, to: Date): boolean {
  return i.startedAt < to.toISOString() && (i.stoppedAt === undefined || i.stoppedAt > from.toISOString());
}

/** UTC dates (YYYY-MM-DD) of every day that [fromMs, toMs) touches. */
export function utcDays(fromMs: number, toMs: number): string[] {
  const days: string[] = [];
  for (let d = Math.floor(fromMs / DAY_MS) * DAY_MS; d < toMs; d += DAY_MS) days.push(new Date(d).toISOString().slice(0, 10));
  return days;
}

/** A cancelled transaction whose only problem was a failed condition: the write was a repeat. */
function isConditionCancel(err: unknown): boolean {
  if (errorName(err) !== 'TransactionCanceledException') return false;
  const reasons = (err as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
  if (reasons?.length) return reasons.some((r) => r.Code === 'ConditionalCheckFailed') && reasons.every((r) => !r.Code || r.Code === 'None' || r.Code === 'ConditionalCheckFailed');
  return /ConditionalCheckFailed/.test(err instanceof Error ? err.message : '');
}

async function mapLimit<T, R>(items: readonly T[], limit: number, f: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      out[index] = await f(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
