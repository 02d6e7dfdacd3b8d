import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionFailed } from './errors.js';
import { TTL_ATTRIBUTE } from './store.js';
import type { BuildClaim, BuildClaimStore, BuiltImage, ClaimStaleness } from '../environments/build-claim.js';

/**
 * Build claims in the bot's single table: pk `BUILD`, sk `<full sha>`, attributes owner,
 * claimedAtMs, buildId. Items carry a TTL a day out so abandoned claims disappear by themselves.
 * Provenance of built images: pk `IMAGE`, sk `<full sha>`, attributes digest, buildId, builtAtMs,
 * protectedBranch. No TTL: an image may run for months, and forgetting its provenance would make
 * envbot rebuild it. The bot deletes the item when it deletes the image.
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

  async recordBuilt(image: BuiltImage): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { pk: 'IMAGE', sk: image.commit, ...withoutCommit(image) } }));
  }

  async built(commit: string): Promise<BuiltImage | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: 'IMAGE', sk: commit }, ConsistentRead: true }));
    if (!out.Item) return undefined;
    const { digest, buildId, builtAtMs, protectedBranch } = out.Item as Omit<BuiltImage, 'commit'>;
    return { commit, digest, buildId, builtAtMs, protectedBranch: protectedBranch === true };
  }

  async forgetBuilt(commit: string, digest: string): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { pk: 'IMAGE', sk: commit },
          ConditionExpression: 'digest = :d',
          ExpressionAttributeValues: { ':d': digest },
        }),
      );
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
  }
}

function withoutCommit(image: BuiltImage): Omit<BuiltImage, 'commit'> {
  const { commit: _commit, ...rest } = image;
  return rest;
}
