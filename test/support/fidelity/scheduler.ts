import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { FidelityWorld } from './world.js';

/** Documented AWS behaviour moto lacks, for this service (filled in by the issue-12 work). */
export function installSchedulerFidelity(_client: SchedulerClient, _world: FidelityWorld): void {}
