import { Aws, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { NAMES } from './names.js';
import { suppress, wildcardResource } from './nag.js';

/**
 * The Scheduler group of nightly stop / morning start schedules, and the role they run as. The
 * schedules target ECS UpdateService directly, so environments stop even while the bot is down.
 */
export class Schedules extends Construct {
  readonly group: scheduler.ScheduleGroup;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.group = new scheduler.ScheduleGroup(this, 'Group', {
      scheduleGroupName: NAMES.scheduleGroup,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      description: 'envbot schedules: may only change the desired count of envbot environment services',
      // Only schedules of this account's envbot group may assume it (confused-deputy guard).
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        ArnEquals: { 'aws:SourceArn': this.group.scheduleGroupArn },
      }),
    });
    const services = environmentServicesArn(this);
    this.role.addToPolicy(new iam.PolicyStatement({ actions: ['ecs:UpdateService'], resources: [services] }));
    suppress(this.role, 'The wildcard is the environment name: services envbot-<env> of the envbot cluster, nothing else.', wildcardResource(this, services));
  }
}

/** `arn:…:service/envbot/envbot-*`: every environment service, nothing else in the cluster. */
export function environmentServicesArn(scope: Construct): string {
  return Stack.of(scope).formatArn({
    service: 'ecs',
    resource: 'service',
    resourceName: `${NAMES.cluster}/${NAMES.environmentPrefix}*`,
  });
}
