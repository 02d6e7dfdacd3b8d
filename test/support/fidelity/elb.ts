import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  type Action,
  TooManyRulesException,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { FidelityWorld } from './world.js';

/**
 * Documented ELBv2 behaviour moto lacks or may lack (catalogue: docs/aws-behaviours.md):
 * at most 100 rules per Application Load Balancer, default rules not counted (TooManyRules).
 * (ResourceInUse when deleting a target group a rule forwards to: moto already refuses it.)
 */
export function installElbFidelity(client: ElasticLoadBalancingV2Client, world: FidelityWorld): void {
  world.elb.client ??= client;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = (context.commandName ?? '').replace(/Command$/, '');
      const input = args.input as Record<string, unknown>;
      const entry = { operation, input: structuredClone(input) } as (typeof world.elb.sent)[number];
      world.elb.sent.push(entry);
      try {
        if (operation === 'CreateRule') await checkRuleQuota(client, world, String(input.ListenerArn));
        return await next(args);
      } catch (err) {
        entry.error = (err as Error).name;
        throw err;
      }
    },
    { step: 'initialize', name: 'elbFidelity' },
  );
}

const meta = { $metadata: { httpStatusCode: 400 } };

/** listener/app/<lb>/<lb-id>/<listener-id> → loadbalancer/app/<lb>/<lb-id> */
function loadBalancerArnOf(listenerArn: string): string {
  return listenerArn.replace(':listener/', ':loadbalancer/').split('/').slice(0, -1).join('/');
}

async function checkRuleQuota(client: ElasticLoadBalancingV2Client, world: FidelityWorld, listenerArn: string): Promise<void> {
  const listeners = await client.send(new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArnOf(listenerArn) }));
  let rules = 0;
  for (const listener of listeners.Listeners ?? []) {
    let marker: string | undefined;
    do {
      const page = await client.send(new DescribeRulesCommand({ ListenerArn: listener.ListenerArn, Marker: marker, PageSize: 400 }));
      rules += (page.Rules ?? []).filter((r) => !r.IsDefault).length;
      marker = page.NextMarker;
    } while (marker);
  }
  if (rules >= world.elb.rulesPerLoadBalancer) {
    throw new TooManyRulesException({ message: "You've reached the limit on the number of rules per load balancer", ...meta });
  }
}

/** Every forward action of every listener and rule, the way AWS decides whether a target group is in use. */
export async function targetGroupInUse(client: ElasticLoadBalancingV2Client, targetGroupArn: string): Promise<boolean> {
  const forwardsTo = (a: Action) => a.TargetGroupArn === targetGroupArn || (a.ForwardConfig?.TargetGroups ?? []).some((t) => t.TargetGroupArn === targetGroupArn);
  const lbs = (await client.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
  for (const lb of lbs) {
    const listeners = (await client.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners ?? [];
    for (const listener of listeners) {
      if ((listener.DefaultActions ?? []).some(forwardsTo)) return true;
      const rules = (await client.send(new DescribeRulesCommand({ ListenerArn: listener.ListenerArn }))).Rules ?? [];
      if (rules.some((r) => (r.Actions ?? []).some(forwardsTo))) return true;
    }
  }
  return false;
}
