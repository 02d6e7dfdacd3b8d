import {
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DeleteRuleCommand,
  DeleteTargetGroupCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  ModifyRuleCommand,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
  type ElasticLoadBalancingV2Client,
  type Rule as SdkRule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Tag } from '../environments/tags.js';
import { AwsActionError, errorName, isNotFound } from './errors.js';
import { TARGET_GROUP_TUNING as T } from './target-group-tuning.js';
import { legacyTargetGroupNameFor, TARGET_GROUP_PREFIX, targetGroupNameFor } from '../environments/resource-names.js';

// Naming rules live with the environment; re-exported for the adapter's callers.
export { legacyTargetGroupNameFor, TARGET_GROUP_PREFIX, targetGroupNameFor };
import type { ListenerRule, RuleAction, RuleCondition } from './elb-types.js';

export interface TargetGroupInfo {
  arn: string;
  port?: number;
  healthCheckPath?: string;
  /** Health check settings differ from TARGET_GROUP_TUNING (an older group). */
  untuned: boolean;
}

export interface HostRule {
  arn: string;
  priority: number;
  host: string;
  /** The environment's group: a plain forward's, or the first of a weighted forward (rule-actions.ts puts it first). */
  targetGroupArn?: string;
  /** The rule as DescribeRules returned it (planRoutingFlip works on it). */
  rule: ListenerRule;
}

export class PriorityInUseError extends Error {
  readonly code = 'PRIORITY_IN_USE';
}

export class TooManyRulesError extends Error {
  readonly code = 'TOO_MANY_RULES';
}

const awsTags = (tags: Tag[]) => tags.map((t) => ({ Key: t.key, Value: t.value }));

/** The shared load balancer: one target group and one host-header rule per environment. */
export class LoadBalancer {
  constructor(
    private readonly elb: ElasticLoadBalancingV2Client,
    private readonly listenerArn: string,
  ) {}

  async findTargetGroup(name: string): Promise<string | undefined> {
    return (await this.describeTargetGroup(name))?.arn;
  }

  async describeTargetGroup(name: string): Promise<TargetGroupInfo | undefined> {
    try {
      const out = await this.elb.send(new DescribeTargetGroupsCommand({ Names: [name] }));
      const tg = out.TargetGroups?.[0];
      if (!tg) return undefined;
      const untuned =
        tg.HealthCheckIntervalSeconds !== T.healthCheckIntervalSeconds ||
        tg.HealthCheckTimeoutSeconds !== T.healthCheckTimeoutSeconds ||
        tg.HealthyThresholdCount !== T.healthyThresholdCount ||
        tg.UnhealthyThresholdCount !== T.unhealthyThresholdCount;
      return {
        arn: tg.TargetGroupArn!,
        ...(tg.Port !== undefined && { port: tg.Port }),
        ...(tg.HealthCheckPath && { healthCheckPath: tg.HealthCheckPath }),
        untuned,
      };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw new AwsActionError(`looking up target group ${name}`, err);
    }
  }

  async createTargetGroup(input: { name: string; vpcId: string; port: number; healthCheckPath: string; tags: Tag[] }): Promise<string> {
    try {
      const out = await this.elb.send(
        new CreateTargetGroupCommand({
          Name: input.name,
          Protocol: 'HTTP',
          Port: input.port,
          VpcId: input.vpcId,
          TargetType: 'ip',
          HealthCheckPath: input.healthCheckPath,
          HealthCheckIntervalSeconds: T.healthCheckIntervalSeconds,
          HealthCheckTimeoutSeconds: T.healthCheckTimeoutSeconds,
          HealthyThresholdCount: T.healthyThresholdCount,
          UnhealthyThresholdCount: T.unhealthyThresholdCount,
          Matcher: { HttpCode: '200-399' },
          Tags: awsTags(input.tags),
        }),
      );
      const arn = out.TargetGroups![0]!.TargetGroupArn!;
      await this.setDeregistrationDelay(arn);
      return arn;
    } catch (err) {
      if (errorName(err) === 'TooManyTargetGroupsException') {
        throw new TooManyRulesError(
          `creating target group ${input.name}: the load balancer's account has no target groups left (AWS limit) — run /env list and destroy an old environment`,
        );
      }
      throw new AwsActionError(`creating target group ${input.name}`, err);
    }
  }

  /** A changed health-check path (e.g. from `.envbot.yml`) or older settings apply to the existing target group. */
  async tuneTargetGroup(arn: string, path: string): Promise<void> {
    try {
      await this.elb.send(
        new ModifyTargetGroupCommand({
          TargetGroupArn: arn,
          HealthCheckPath: path,
          HealthCheckIntervalSeconds: T.healthCheckIntervalSeconds,
          HealthCheckTimeoutSeconds: T.healthCheckTimeoutSeconds,
          HealthyThresholdCount: T.healthyThresholdCount,
          UnhealthyThresholdCount: T.unhealthyThresholdCount,
        }),
      );
    } catch (err) {
      throw new AwsActionError('changing the target group health check', err);
    }
    await this.setDeregistrationDelay(arn);
  }

  /** CreateTargetGroup takes no attributes: the deregistration delay is set right after. */
  private async setDeregistrationDelay(arn: string): Promise<void> {
    try {
      await this.elb.send(
        new ModifyTargetGroupAttributesCommand({
          TargetGroupArn: arn,
          Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: String(T.deregistrationDelaySeconds) }],
        }),
      );
    } catch (err) {
      throw new AwsActionError('setting the target group deregistration delay', err);
    }
  }

  /** Not found = done. A group a rule still forwards to is ResourceInUse: repoint or delete the rule first. */
  async deleteTargetGroup(arn: string): Promise<void> {
    try {
      await this.elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: arn }));
    } catch (err) {
      if (!isNotFound(err)) throw new AwsActionError('deleting target group', err);
    }
  }

  /** Every rule on the listener (paged); the default rule is excluded. */
  async rules(): Promise<HostRule[]> {
    const out: HostRule[] = [];
    let marker: string | undefined;
    do {
      const page = await this.elb.send(new DescribeRulesCommand({ ListenerArn: this.listenerArn, Marker: marker, PageSize: 100 }));
      for (const rule of page.Rules ?? []) {
        if (rule.IsDefault) continue;
        out.push(toHostRule(rule));
      }
      marker = page.NextMarker;
    } while (marker);
    return out;
  }

  async findRuleForHost(host: string): Promise<HostRule | undefined> {
    return (await this.rules()).find((r) => r.host === host);
  }

  async createRule(input: { priority: number; host: string; targetGroupArn: string; tags: Tag[] }): Promise<string> {
    try {
      const out = await this.elb.send(
        new CreateRuleCommand({
          ListenerArn: this.listenerArn,
          Priority: input.priority,
          Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: [input.host] } }],
          Actions: [{ Type: 'forward', TargetGroupArn: input.targetGroupArn }],
          Tags: awsTags(input.tags),
        }),
      );
      return out.Rules![0]!.RuleArn!;
    } catch (err) {
      const name = errorName(err);
      if (name === 'PriorityInUseException') throw new PriorityInUseError(`priority ${input.priority} is in use`);
      if (name === 'TooManyRulesException') {
        throw new TooManyRulesError(
          `creating the load balancer rule for ${input.host}: the ALB has 100 rules (AWS limit) — run /env list and destroy an old environment`,
        );
      }
      // Each environment's rule adds a target group to the ALB: 100 per ALB, a quota AWS does not raise.
      if (name === 'TooManyUniqueTargetGroupsPerLoadBalancerException') {
        throw new TooManyRulesError(
          `creating the load balancer rule for ${input.host}: the ALB already forwards to 100 target groups (AWS limit, cannot be raised) — run /env list and destroy an old environment`,
        );
      }
      throw new AwsActionError(`creating the load balancer rule for ${input.host}`, err);
    }
  }

  /** One of an environment's rules (rule-actions.ts) at its priority; errors as createRule's. */
  async createRuleSpec(input: { priority: number; host: string; conditions: RuleCondition[]; actions: RuleAction[]; tags: Tag[] }): Promise<string> {
    try {
      const out = await this.elb.send(
        new CreateRuleCommand({ ListenerArn: this.listenerArn, Priority: input.priority, Conditions: input.conditions, Actions: input.actions, Tags: awsTags(input.tags) }),
      );
      return out.Rules![0]!.RuleArn!;
    } catch (err) {
      throw ruleError(err, input.host, input.priority);
    }
  }

  /** ModifyRule replaces the whole action list (and the conditions, when given). */
  async modifyRule(ruleArn: string, actions: RuleAction[], conditions?: RuleCondition[]): Promise<void> {
    try {
      await this.elb.send(new ModifyRuleCommand({ RuleArn: ruleArn, Actions: actions, ...(conditions && { Conditions: conditions }) }));
    } catch (err) {
      throw new AwsActionError('changing a load balancer rule', err);
    }
  }

  /** Points an existing rule at a target group (repairs drift). */
  async forwardRule(ruleArn: string, targetGroupArn: string): Promise<void> {
    await this.elb.send(new ModifyRuleCommand({ RuleArn: ruleArn, Actions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }] }));
  }

  async deleteRule(arn: string): Promise<void> {
    try {
      await this.elb.send(new DeleteRuleCommand({ RuleArn: arn }));
    } catch (err) {
      if (!isNotFound(err)) throw new AwsActionError('deleting load balancer rule', err);
    }
  }

  /** Target groups named with our prefix, with their tags (orphan sweep). */
  async ourTargetGroups(): Promise<{ arn: string; name: string; tags: Record<string, string> }[]> {
    const groups: { arn: string; name: string }[] = [];
    let marker: string | undefined;
    do {
      const page = await this.elb.send(new DescribeTargetGroupsCommand({ Marker: marker, PageSize: 400 }));
      for (const tg of page.TargetGroups ?? []) {
        if (tg.TargetGroupName?.startsWith(TARGET_GROUP_PREFIX)) groups.push({ arn: tg.TargetGroupArn!, name: tg.TargetGroupName });
      }
      marker = page.NextMarker;
    } while (marker);
    const tags = await this.tagsOf(groups.map((g) => g.arn));
    return groups.map((g) => ({ ...g, tags: tags.get(g.arn) ?? {} }));
  }

  /** DescribeTags takes up to 20 ARNs per call. */
  async tagsOf(arns: string[]): Promise<Map<string, Record<string, string>>> {
    const out = new Map<string, Record<string, string>>();
    for (let i = 0; i < arns.length; i += 20) {
      const page = await this.elb.send(new DescribeTagsCommand({ ResourceArns: arns.slice(i, i + 20) }));
      for (const d of page.TagDescriptions ?? []) {
        out.set(d.ResourceArn!, Object.fromEntries((d.Tags ?? []).map((t) => [t.Key!, t.Value ?? ''])));
      }
    }
    return out;
  }
}

/** The SDK's rule is a superset of envbot's ListenerRule: it is kept whole (fields envbot does not know are resent as they were). */
function toHostRule(rule: SdkRule): HostRule {
  const hostCondition = rule.Conditions?.find((c) => c.Field === 'host-header');
  const host = hostCondition?.HostHeaderConfig?.Values?.[0] ?? hostCondition?.Values?.[0] ?? '';
  const forward = rule.Actions?.find((a) => a.Type === 'forward');
  const targetGroupArn = forward?.TargetGroupArn ?? forward?.ForwardConfig?.TargetGroups?.[0]?.TargetGroupArn;
  return {
    arn: rule.RuleArn!,
    priority: Number(rule.Priority),
    host,
    ...(targetGroupArn && { targetGroupArn }),
    rule,
  };
}

function ruleError(err: unknown, host: string, priority: number): Error {
  const name = errorName(err);
  if (name === 'PriorityInUseException') return new PriorityInUseError(`priority ${priority} is in use`);
  if (name === 'TooManyRulesException') {
    return new TooManyRulesError(`creating the load balancer rules for ${host}: the ALB has 100 rules (AWS limit) — run /env list and destroy an old environment`);
  }
  if (name === 'TooManyUniqueTargetGroupsPerLoadBalancerException') {
    return new TooManyRulesError(
      `creating the load balancer rule for ${host}: the ALB already forwards to 100 target groups (AWS limit, cannot be raised) — run /env list and destroy an old environment`,
    );
  }
  return new AwsActionError(`creating the load balancer rule for ${host}`, err);
}
