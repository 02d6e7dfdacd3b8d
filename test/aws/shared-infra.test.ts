import { describe, expect, it } from 'vitest';
import { DescribeClustersCommand } from '@aws-sdk/client-ecs';
import { DescribeRulesCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ensureSharedInfra } from '../../app/src/local/shared-infra.js';
import { emulatorClients, uniquePrefix } from '../support/aws-fixture.js';

describe('shared infrastructure in the emulator', () => {
  it('creates cluster, load balancer and listener once, and reuses them on a second run', async () => {
    const clients = emulatorClients();
    const prefix = uniquePrefix('infra');
    const first = await ensureSharedInfra(clients, { prefix });
    const second = await ensureSharedInfra(clients, { prefix });
    expect(second).toEqual(first);
    const clusters = await clients.ecs.send(new DescribeClustersCommand({ clusters: [prefix] }));
    expect(clusters.clusters?.[0]?.capacityProviders).toEqual(['FARGATE', 'FARGATE_SPOT']);
    const rules = await clients.elb.send(new DescribeRulesCommand({ ListenerArn: first.listenerArn }));
    expect(rules.Rules?.filter((r) => r.IsDefault)).toHaveLength(1);
    expect(first.subnets).toHaveLength(2);
  });
});
