import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { FidelityWorld } from './world.js';

/** Documented AWS behaviour moto lacks, for this service (filled in by the issue-12 work). */
export function installElbFidelity(_client: ElasticLoadBalancingV2Client, _world: FidelityWorld): void {}
