import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { installCloudWatchFidelity } from './cloudwatch.js';
import { installEcsFidelity } from './ecs.js';
import { installElbFidelity } from './elb.js';
import { installElbOidcFidelity } from './elb-oidc.js';
import { installSchedulerFidelity } from './scheduler.js';
import { FidelityWorld } from './world.js';

/**
 * The fidelity layer: SDK middleware in front of moto that imitates documented AWS behaviour the
 * emulator lacks (catalogue: docs/aws-behaviours.md). One `FidelityWorld` per set of clients holds
 * what AWS would remember and moto forgets (draining services, capacity strategies, …).
 *
 * Use as the `decorate` option of `createClients`; `emulatorClients()` does so for every test.
 */
export function fidelityDecorator(world = new FidelityWorld()): <C extends { middlewareStack: unknown }>(client: C) => C {
  return (client) => {
    if (client instanceof ECSClient) installEcsFidelity(client, world);
    else if (client instanceof ElasticLoadBalancingV2Client) {
      installElbFidelity(client, world);
      installElbOidcFidelity(client, world);
    }
    else if (client instanceof SchedulerClient) installSchedulerFidelity(client, world);
    else if (client instanceof CloudWatchClient) installCloudWatchFidelity(client, world);
    return client;
  };
}

export { FidelityWorld };
