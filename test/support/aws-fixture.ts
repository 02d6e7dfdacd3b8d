import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { createClients, EMULATOR_CREDENTIALS, type AwsClients } from '../../app/src/aws/clients.js';
import { ensureSharedInfra, type SharedInfra } from '../../app/src/local/shared-infra.js';
import { fidelityDecorator, FidelityWorld } from './fidelity/index.js';

export const REGION = 'us-east-1';

export function motoEndpoint(): string {
  return inject('motoEndpoint');
}

/**
 * Real SDK v3 clients pointed at the run's moto server, behind the fidelity layer that imitates
 * documented AWS behaviour moto lacks (test/support/fidelity, docs/aws-behaviours.md).
 */
export function emulatorClients(world = new FidelityWorld()): AwsClients {
  return createClients({
    region: REGION,
    endpoint: motoEndpoint(),
    credentials: EMULATOR_CREDENTIALS,
    maxAttempts: 3,
    decorate: fidelityDecorator(world),
  });
}

/** A unique prefix per test file so files share one emulator without seeing each other. */
export function uniquePrefix(label: string): string {
  return `t${label.replace(/[^a-z0-9]/g, '').slice(0, 8)}${randomBytes(3).toString('hex')}`;
}

export async function sharedInfra(clients: AwsClients, label: string): Promise<SharedInfra> {
  return ensureSharedInfra(clients, { prefix: uniquePrefix(label) });
}
