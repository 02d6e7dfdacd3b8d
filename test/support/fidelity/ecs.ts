import type { ECSClient } from '@aws-sdk/client-ecs';
import type { FidelityWorld } from './world.js';

/** Documented AWS behaviour moto lacks, for this service (filled in by the issue-12 work). */
export function installEcsFidelity(_client: ECSClient, _world: FidelityWorld): void {}
