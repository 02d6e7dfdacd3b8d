import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoEnvironmentStore, ensureTable } from '../../app/src/aws/store.js';
import type { EnvironmentRecord } from '../../app/src/environments/record.js';
import { emulatorClients, uniquePrefix } from '../support/aws-fixture.js';
import { sampleRecord } from '../support/sample-record.js';

const record = (name: string): EnvironmentRecord => sampleRecord(name, { status: 'queued', source: 'cli' }, '2026-11-22T00:00:00.000Z');

describe('DynamoDB store (emulator)', () => {
  let store: DynamoEnvironmentStore;

  beforeAll(async () => {
    const clients = emulatorClients();
    const table = uniquePrefix('store');
    await ensureTable(clients.dynamo, table);
    store = new DynamoEnvironmentStore(clients.doc, table);
  });

  it('creates a record once', async () => {
    expect(await store.create(record('a'))).toBe(true);
    expect(await store.create({ ...record('a'), owner: 'U2' })).toBe(false);
    expect((await store.get('a'))?.owner).toBe('U1');
  });

  it('applies concurrent mutations without losing any (optimistic concurrency)', async () => {
    await store.create({ ...record('counter'), touchedAt: '0' });
    await Promise.all(
      Array.from({ length: 6 }, () => store.mutate('counter', (r) => ({ ...r, touchedAt: String(Number(r.touchedAt) + 1) }))),
    );
    const final = await store.get('counter');
    expect(final?.touchedAt).toBe('6');
    expect(final?.version).toBe(7);
  });

  it('removes only the version it read', async () => {
    await store.create(record('gone'));
    expect(await store.remove('gone', 99)).toBe(false);
    expect(await store.remove('gone', 1)).toBe(true);
    expect(await store.get('gone')).toBeUndefined();
  });

  it('gives a lease to one holder until it is released or expires', async () => {
    expect(await store.acquireLease('x', 'bot-1', 60_000)).toBe(true);
    expect(await store.acquireLease('x', 'bot-2', 60_000)).toBe(false);
    expect(await store.acquireLease('x', 'bot-1', 60_000)).toBe(true); // renewal
    await store.releaseLease('x', 'bot-2'); // not the holder: no effect
    expect(await store.acquireLease('x', 'bot-2', 60_000)).toBe(false);
    await store.releaseLease('x', 'bot-1');
    expect(await store.acquireLease('x', 'bot-2', 1)).toBe(true);
    await new Promise((r) => setTimeout(r, 5));
    expect(await store.acquireLease('x', 'bot-3', 60_000)).toBe(true); // bot-2's lease expired
  });

  it('hands out distinct priorities, stable per name, skipping ones to avoid', async () => {
    const got = await Promise.all(['p1', 'p2', 'p3', 'p4', 'p5'].map((n) => store.claimPriority(n)));
    expect([...got].sort()).toEqual([1, 2, 3, 4, 5]);
    expect(await store.claimPriority('p1')).toBe(got[0]);
    expect(await store.claimPriority('p6', new Set([6, 7]))).toBe(8);
    await store.releasePriority(got[1]!, 'p2');
    expect(await store.claimPriority('p7')).toBe(got[1]);
  });

  it('remembers an id once', async () => {
    expect(await store.markOnce('delivery', 'abc', 60)).toBe(true);
    expect(await store.markOnce('delivery', 'abc', 60)).toBe(false);
    expect(await store.markOnce('other', 'abc', 60)).toBe(true);
  });

  it('lists every record', async () => {
    await Promise.all(Array.from({ length: 30 }, (_, i) => store.create(record(`many-${i}`))));
    const names = (await store.list()).map((r) => r.name);
    expect(names.filter((n) => n.startsWith('many-'))).toHaveLength(30);
  });
});
