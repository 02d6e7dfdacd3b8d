import { beforeAll, describe, expect, it } from 'vitest';
import { ensureTable } from '../../app/src/aws/store.js';
import { DynamoWakeClaims } from '../../app/src/aws/wake-claims.js';
import { emulatorClients, uniquePrefix } from '../support/aws-fixture.js';

describe('wake claims in DynamoDB (emulator)', () => {
  let claims: DynamoWakeClaims;
  let clock = 1_000_000;

  beforeAll(async () => {
    const clients = emulatorClients();
    const table = uniquePrefix('wake');
    await ensureTable(clients.dynamo, table);
    claims = new DynamoWakeClaims(clients.doc, table, () => clock, 60_000);
  });

  it('100 concurrent claims for one sleep: exactly one wins', async () => {
    const won = await Promise.all(Array.from({ length: 100 }, () => claims.claimWake('feature-x', 7)));
    expect(won.filter(Boolean)).toHaveLength(1);
  });

  it('a later sleep (newer version) can be claimed again; an older one never', async () => {
    expect(await claims.claimWake('feature-y', 3)).toBe(true);
    expect(await claims.claimWake('feature-y', 3)).toBe(false);
    expect(await claims.claimWake('feature-y', 2)).toBe(false);
    expect(await claims.claimWake('feature-y', 4)).toBe(true);
  });

  it('an expired claim (its start failed) can be taken over', async () => {
    expect(await claims.claimWake('feature-z', 1)).toBe(true);
    clock += 60_001;
    expect(await claims.claimWake('feature-z', 1)).toBe(true);
    expect(await claims.claimWake('feature-z', 1)).toBe(false);
  });
});
