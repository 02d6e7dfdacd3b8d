import { beforeAll, describe, expect, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DELIVERY_TTL_SECONDS, DynamoDeliveryInbox } from '../../app/src/aws/delivery-inbox.js';
import { ensureTable } from '../../app/src/aws/store.js';
import type { AwsClients } from '../../app/src/aws/clients.js';
import { emulatorClients, uniquePrefix } from '../support/aws-fixture.js';

const T0 = 1_800_000_000_000;
const LEASE = 60_000;

describe('GitHub delivery inbox in DynamoDB (emulator)', () => {
  let clients: AwsClients;
  let table: string;
  let inbox: DynamoDeliveryInbox;
  const item = async (id: string) =>
    (await clients.doc.send(new GetCommand({ TableName: table, Key: { pk: 'INBOX#github', sk: id }, ConsistentRead: true }))).Item;

  beforeAll(async () => {
    clients = emulatorClients();
    table = uniquePrefix('inbox');
    await ensureTable(clients.dynamo, table);
    inbox = new DynamoDeliveryInbox(clients.doc, table);
  });

  it('records a delivery once; a redelivery of an unfinished one is taken again, of a done one refused', async () => {
    expect(await inbox.receive('d1', '{"type":"push"}', T0)).toBe('new');
    expect(await inbox.receive('d1', '{"type":"push"}', T0 + 1000)).toBe('again');
    expect(await item('d1')).toMatchObject({ state: 'pending', event: '{"type":"push"}', receivedAtMs: T0, expiresAt: T0 / 1000 + DELIVERY_TTL_SECONDS });
    expect(await inbox.claim('d1', 'a', LEASE, T0)).toEqual({ event: '{"type":"push"}', attempts: 1 });
    await inbox.succeeded('d1', 'a', T0 + 10);
    expect(await inbox.receive('d1', '{"type":"push"}', T0 + 2000)).toBe('done');
    // Done keeps only the dedupe marker: the event is dropped.
    expect(await item('d1')).toMatchObject({ state: 'done' });
    expect((await item('d1'))?.event).toBeUndefined();
  });

  it('lets one holder run a delivery until its lease runs out', async () => {
    await inbox.receive('d2', '{}', T0);
    expect(await inbox.claim('d2', 'a', LEASE, T0)).toBeDefined();
    expect(await inbox.claim('d2', 'b', LEASE, T0 + 1000)).toBeUndefined();
    expect(await inbox.due(T0 + 1000)).not.toContain('d2');
    // a crashed: once its lease expired, b takes over and a can no longer finish it.
    expect(await inbox.due(T0 + LEASE + 1)).toContain('d2');
    expect(await inbox.claim('d2', 'b', LEASE, T0 + LEASE + 1)).toEqual({ event: '{}', attempts: 2 });
    await inbox.succeeded('d2', 'a', T0 + LEASE + 2);
    expect(await item('d2')).toMatchObject({ state: 'pending', leaseHolder: 'b' });
    expect(await inbox.renew('d2', 'a', LEASE, T0 + LEASE + 3)).toBe(false);
    expect(await inbox.renew('d2', 'b', LEASE, T0 + LEASE + 3)).toBe(true);
  });

  it('waits out the backoff, hands back at shutdown, and gives up into "failed" until redelivered', async () => {
    await inbox.receive('d3', '{}', T0);
    await inbox.claim('d3', 'a', LEASE, T0);
    await inbox.retryLater('d3', 'a', 'GitHub said 502', T0 + 5000);
    expect(await inbox.due(T0 + 4999)).not.toContain('d3');
    expect(await inbox.due(T0 + 5000)).toContain('d3');

    await inbox.claim('d3', 'a', LEASE, T0 + 5000);
    await inbox.release('d3', 'a', T0 + 5001);
    expect(await inbox.due(T0 + 5001)).toContain('d3');

    await inbox.claim('d3', 'b', LEASE, T0 + 5002);
    await inbox.gaveUp('d3', 'b', 'still 502');
    expect(await inbox.due(T0 + 10 * LEASE)).not.toContain('d3');
    expect(await inbox.failures(T0)).toEqual([{ id: 'd3', attempts: 3, error: 'still 502' }]);

    expect(await inbox.receive('d3', '{}', T0 + 9000)).toBe('again');
    expect(await item('d3')).toMatchObject({ state: 'pending', attempts: 0 });
    expect(await inbox.failures(T0)).toEqual([]);
  });

  it('ignores deliveries past their TTL that DynamoDB has not deleted yet', async () => {
    await inbox.receive('d4', '{}', T0);
    expect(await inbox.due(T0 + DELIVERY_TTL_SECONDS * 1000 + 1000)).not.toContain('d4');
  });
});
