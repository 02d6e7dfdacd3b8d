import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  type Action,
  TooManyRulesException,
  TooManyUniqueTargetGroupsPerLoadBalancerException,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { FidelityWorld } from './world.js';

/**
 * Documented ELBv2 behaviour moto lacks or may lack (catalogue: docs/aws-behaviours.md):
 * at most 100 rules per Application Load Balancer, default rules not counted (TooManyRules);
 * at most 100 unique target groups per Application Load Balancer across all its listeners, not
 * adjustable (CreateRule/ModifyRule: TooManyUniqueTargetGroupsPerLoadBalancer).
 * Source: "Quotas for your Application Load Balancers"; error names from the SDK model of CreateRule.
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
        if (operation === 'CreateRule' || operation === 'ModifyRule') await checkTargetGroupQuota(client, world, input);
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

/** The unique target groups an action list forwards to. */
function forwardTargets(actions: Action[] | undefined): string[] {
  return (actions ?? []).flatMap((a) => [a.TargetGroupArn, ...(a.ForwardConfig?.TargetGroups ?? []).map((t) => t.TargetGroupArn)]).filter((t): t is string => !!t);
}

/** A rule forwarding to a target group the load balancer does not use yet needs room under the per-ALB quota. */
async function checkTargetGroupQuota(client: ElasticLoadBalancingV2Client, world: FidelityWorld, input: Record<string, unknown>): Promise<void> {
  const wanted = forwardTargets(input.Actions as Action[] | undefined);
  if (wanted.length === 0) return;
  let listenerArn = input.ListenerArn as string | undefined;
  if (!listenerArn) listenerArn = String(input.RuleArn).replace(':listener-rule/', ':listener/').split('/').slice(0, -1).join('/');
  const listeners = await client.send(new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArnOf(listenerArn) }));
  const used = new Set<string>();
  for (const listener of listeners.Listeners ?? []) {
    forwardTargets(listener.DefaultActions).forEach((t) => used.add(t));
    let marker: string | undefined;
    do {
      const page = await client.send(new DescribeRulesCommand({ ListenerArn: listener.ListenerArn, Marker: marker, PageSize: 400 }));
      // The rule being modified gives up its own target groups.
      for (const r of page.Rules ?? []) if (r.RuleArn !== input.RuleArn) forwardTargets(r.Actions).forEach((t) => used.add(t));
      marker = page.NextMarker;
    } while (marker);
  }
  const after = new Set([...used, ...wanted]);
  if (after.size > world.elb.targetGroupsPerLoadBalancer && wanted.some((t) => !used.has(t))) {
    throw new TooManyUniqueTargetGroupsPerLoadBalancerException({
      message: "You've reached the limit on the number of unique target groups per load balancer across all listeners",
      ...meta,
    });
  }
}

/** Every forward action of every listener and rule, the way AWS decides whether a target group is in use. */
export async function targetGroupInUse(client: ElasticLoadBalancingV2Client, targetGroupArn: string): Promise<boolean> {
  const forwardsTo = (a: Action) => a.TargetGroupArn === targetGroupArn || (a.ForwardConfig?.TargetGroups ?? []).some((t) => t.TargetGroupArn === targetGroupArn);
  // Every page: the test files share one emulator, and its many load balancers span several pages.
  for (const lb of await allPages((Marker) => client.send(new DescribeLoadBalancersCommand({ Marker })), (o) => o.LoadBalancers)) {
    const listeners = await allPages((Marker) => client.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn, Marker })), (o) => o.Listeners);
    for (const listener of listeners) {
      if ((listener.DefaultActions ?? []).some(forwardsTo)) return true;
      const rules = await allPages((Marker) => client.send(new DescribeRulesCommand({ ListenerArn: listener.ListenerArn, Marker })), (o) => o.Rules);
      if (rules.some((r) => (r.Actions ?? []).some(forwardsTo))) return true;
    }
  }
  return false;
}

async function allPages<O extends { NextMarker?: string | undefined }, T>(page: (marker: string | undefined) => Promise<O>, items: (o: O) => T[] | undefined): Promise<T[]> {
  const out: T[] = [];
  let marker: string | undefined;
  do {
    const o = await page(marker);
    out.push(...(items(o) ?? []));
    marker = o.NextMarker;
  } while (marker);
  return out;
}
