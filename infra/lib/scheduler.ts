import { Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { NAMES } from './names.js';
import { suppress, wildcardResource } from './nag.js';

/**
 * The Scheduler group of nightly stop / morning start schedules, the role they run as, and their
 * dead-letter queue. The schedules target ECS UpdateService directly, so environments stop even
 * while the bot is down; an invocation that fails lands in the queue and the bot reports it.
 */
export class Schedules extends Construct {
  readonly group: scheduler.ScheduleGroup;
  readonly role: iam.Role;
  readonly deadLetterQueue: sqs.Queue;

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

    // Scheduler supports only standard queues here, and sends to it as the schedule's role.
    this.deadLetterQueue = new sqs.Queue(this, 'FailuresQueue', {
      queueName: NAMES.scheduleFailuresQueue,
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.deadLetterQueue.grantSendMessages(this.role);
    suppress(
      this.deadLetterQueue,
      'This queue is itself the dead-letter queue of the schedules (Target.DeadLetterConfig); the bot reads it and keeps unreadable messages for 14 days.',
      'AwsSolutions-SQS3',
    );
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
