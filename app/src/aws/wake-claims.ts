import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionFailed } from './errors.js';
import { TTL_ATTRIBUTE } from './store.js';

/**
 * One wake per sleep, decided by DynamoDB: item `WAKE / <name>` holds the record version whose
 * sleep was claimed. A conditional put wins only if no claim exists, the existing claim is for an
 * older version (the environment slept again since), or it expired (the start it led to failed,
 * so a later request may try again). Among any number of concurrent callers exactly one put
 * succeeds; the others get ConditionalCheckFailedException.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html
 */
export const WAKE_CLAIM_TTL_MS = 10 * 60_000;

export class DynamoWakeClaims {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly now: () => number = Date.now,
    private readonly ttlMs = WAKE_CLAIM_TTL_MS,
  ) {}

  async claimWake(name: string, version: number): Promise<boolean> {
    const now = this.now();
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: 'WAKE', sk: name, version, claimedAtMs: now, expiresAtMs: now + this.ttlMs, [TTL_ATTRIBUTE]: Math.ceil((now + this.ttlMs) / 1000) + 86_400 },
          ConditionExpression: 'attribute_not_exists(pk) OR #v < :v OR expiresAtMs < :now',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':v': version, ':now': now },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }
}
