import { DescribeServicesCommand, ListServicesCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { DescribeRulesCommand, DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { AwsClients } from '../../app/src/aws/clients.js';
import type { SharedInfra } from '../../app/src/local/shared-infra.js';

/** What exists in the emulator for one environment: counted, so duplicates would show. */
export async function inventory(clients: AwsClients, infra: SharedInfra, env: string) {
  const arns = (await clients.ecs.send(new ListServicesCommand({ cluster: infra.cluster }))).serviceArns ?? [];
  const names = [...new Set(arns.map((a) => a.split('/').pop()!))].filter((n) => n === `envbot-${env}`);
  const services = names.length
    ? ((await clients.ecs.send(new DescribeServicesCommand({ cluster: infra.cluster, services: names }))).services ?? []).filter((s) => s.status === 'ACTIVE')
    : [];
  const taskDefs = ((await clients.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: `envbot-${env}`, status: 'ACTIVE' }))).taskDefinitionArns ?? []).filter(
    (a) => a.split('/').pop()!.replace(/:\d+$/, '') === `envbot-${env}`,
  );
  // One per port (eb-<env>-<port>), or the older eb-<env>.
  const tgName = new RegExp(`^eb-${env}(-\\d+)?$`);
  const tgs = ((await clients.elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? []).filter((t) => tgName.test(t.TargetGroupName ?? ''));
  const rules = ((await clients.elb.send(new DescribeRulesCommand({ ListenerArn: infra.listenerArn }))).Rules ?? []).filter((r) =>
    (r.Conditions ?? []).some((c) => (c.HostHeaderConfig?.Values ?? c.Values ?? []).some((v) => v.startsWith(`${env}.`))),
  );
  return { services: services.length, desiredCount: services[0]?.desiredCount, taskDefs: taskDefs.length, targetGroups: tgs.length, rules: rules.length, priorities: rules.map((r) => Number(r.Priority)) };
}
