import { fail, ok, type Check } from '../check.js';

const NEEDED = ['FARGATE', 'FARGATE_SPOT'];

/** Environments run on FARGATE_SPOT and fall back to FARGATE: the cluster must offer both. */
export const capacityProviders: Check = {
  id: 'capacity-providers',
  title: 'Cluster has FARGATE and FARGATE_SPOT',
  async run(ctx) {
    const cluster = await ctx.reader.cluster(ctx.config.cluster);
    if (!cluster) {
      return fail(`cluster ${ctx.config.cluster} does not exist`, 'deploy the stack (`npx cdk deploy`) or set ENVBOT_CLUSTER to its cluster name');
    }
    const missing = NEEDED.filter((p) => !cluster.capacityProviders.includes(p));
    if (missing.length > 0) {
      return fail(
        `cluster ${ctx.config.cluster} lacks ${missing.join(' and ')} (has: ${cluster.capacityProviders.join(', ') || 'none'})`,
        `aws ecs put-cluster-capacity-providers --cluster ${ctx.config.cluster} --capacity-providers FARGATE FARGATE_SPOT --default-capacity-provider-strategy capacityProvider=FARGATE_SPOT,weight=1`,
      );
    }
    return ok(`cluster ${ctx.config.cluster} is ${cluster.status} with ${NEEDED.join(' and ')}`);
  },
};
