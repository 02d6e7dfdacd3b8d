import { DescribeServicesCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { DescribeRulesCommand, type ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetScheduleCommand, ListSchedulesCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';

/** Read-only look at what the bot made, straight from the AWS APIs (not through the bot). */
export class AwsView {
  constructor(
    private readonly c: { ecs: ECSClient; elb: ElasticLoadBalancingV2Client; scheduler: SchedulerClient },
    private readonly where: { cluster: string; listenerArn: string; scheduleGroup: string },
  ) {}

  async service(name: string): Promise<{ status: string; desired: number; running: number } | undefined> {
    const out = await this.c.ecs.send(new DescribeServicesCommand({ cluster: this.where.cluster, services: [`envbot-${name}`] }));
    const s = out.services?.[0];
    return s && { status: s.status ?? '', desired: s.desiredCount ?? -1, running: s.runningCount ?? -1 };
  }

  async ruleForHost(host: string): Promise<string | undefined> {
    let marker: string | undefined;
    do {
      const page = await this.c.elb.send(new DescribeRulesCommand({ ListenerArn: this.where.listenerArn, ...(marker && { Marker: marker }) }));
      const rule = page.Rules?.find((r) => r.Conditions?.some((c) => c.HostHeaderConfig?.Values?.includes(host)));
      if (rule) return rule.RuleArn;
      marker = page.NextMarker;
    } while (marker);
    return undefined;
  }

  async schedules(name: string): Promise<string[]> {
    const out = await this.c.scheduler.send(new ListSchedulesCommand({ GroupName: this.where.scheduleGroup, NamePrefix: `envbot-${name}-` }));
    return (out.Schedules ?? []).map((s) => s.Name!).sort();
  }

  async scheduleExpression(scheduleName: string): Promise<string | undefined> {
    const out = await this.c.scheduler.send(new GetScheduleCommand({ Name: scheduleName, GroupName: this.where.scheduleGroup }));
    return out.ScheduleExpression;
  }
}

/** Polls until `ok` holds; real ECS takes minutes (task start, ALB deregistration delay). */
export async function eventually<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 10 * 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!ok(last)) {
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(last)} after ${timeoutMs / 60_000} min`);
    await new Promise((r) => setTimeout(r, 10_000));
    last = await read();
  }
  return last;
}
