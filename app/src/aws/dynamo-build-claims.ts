import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionFailed } from './errors.js';
import { TTL_ATTRIBUTE } from './store.js';
import type { BuildClaim, BuildClaimStore, ClaimStaleness } from '../builds/build-claims.js';

/**
 * Build claims in the bot's single table: pk `BUILD`, sk `<full sha>`, attributes owner,
 * claimedAtMs, buildId. Items carry a TTL a day out so abandoned claims disappear by themselves.
 */
export class DynamoBuildClaims implements BuildClaimStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async tryClaim(commit: string, owner: string, nowMs: number, stale: ClaimStaleness): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: 'BUILD', sk: commit, owner, claimedAtMs: nowMs, [TTL_ATTRIBUTE]: Math.floor(nowMs / 1000) + 86_400 },
          ConditionExpression: 'attribute_not_exists(pk) OR claimedAtMs < :stale OR (attribute_not_exists(buildId) AND claimedAtMs < :unstarted)',
          ExpressionAttributeValues: { ':stale': stale.staleBeforeMs, ':unstarted': stale.unstartedBeforeMs },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }

  async get(commit: string): Promise<BuildClaim | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: 'BUILD', sk: commit }, ConsistentRead: true }));
    if (!out.Item) return undefined;
    const { owner, claimedAtMs, buildId } = out.Item as { owner: string; claimedAtMs: number; buildId?: string };
    return { commit, owner, claimedAtMs, ...(buildId && { buildId }) };
  }

  async recordBuild(commit: string, owner: string, buildId: string): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: 'BUILD', sk: commit },
          UpdateExpression: 'SET buildId = :b',
          ConditionExpression: '#o = :o',
          ExpressionAttributeNames: { '#o': 'owner' },
          ExpressionAttributeValues: { ':b': buildId, ':o': owner },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }

  async release(commit: string, match: { owner: string } | { buildId: string }): Promise<void> {
    const [attr, value] = 'owner' in match ? ['owner', match.owner] : ['buildId', match.buildId];
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { pk: 'BUILD', sk: commit },
          ConditionExpression: '#a = :v',
          ExpressionAttributeNames: { '#a': attr },
          ExpressionAttributeValues: { ':v': value },
        }),
      );
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
  }
}
