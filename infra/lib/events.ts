import { Duration } from 'aws-cdk-lib';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { NAMES } from './names.js';

/**
 * ECS task state changes of this cluster (starts, stops, Spot interruptions) and its services'
 * task placement failures → SQS → the bot's ledger, notifier and Spot fallback. A queue, not a
 * push, so events wait while the bot is down or redeploying.
 */
export class TaskEvents extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly rule: events.Rule;
  readonly placementFailureRule: events.Rule;

  constructor(scope: Construct, id: string, { cluster }: { cluster: ecs.ICluster }) {
    super(scope, id);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      queueName: NAMES.eventsDeadLetterQueue,
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: NAMES.eventsQueue,
      // Long polling keeps the bot's idle cost at a few requests a minute.
      receiveMessageWaitTime: Duration.seconds(20),
      visibilityTimeout: Duration.seconds(60),
      retentionPeriod: Duration.days(4),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // A message the bot cannot handle five times is parked, not retried forever.
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 5 },
    });
    this.rule = new events.Rule(this, 'TaskStateChange', {
      description: 'envbot: ECS task state changes of the envbot cluster',
      eventPattern: {
        source: ['aws.ecs'],
        detailType: ['ECS Task State Change'],
        detail: { clusterArn: [cluster.clusterArn] },
      },
      // Events EventBridge cannot deliver land in the same dead-letter queue.
      targets: [new targets.SqsQueue(this.queue, { deadLetterQueue: this.deadLetterQueue })],
    });
    // With no Fargate Spot capacity no task is even created, so no task event comes: ECS keeps
    // retrying and reports it as a service action event. Only that one: the others (steady state
    // reports, …) are frequent and of no use to the bot.
    this.placementFailureRule = new events.Rule(this, 'ServicePlacementFailure', {
      description: 'envbot: task placement failures of services in the envbot cluster (e.g. no Fargate Spot capacity)',
      eventPattern: {
        source: ['aws.ecs'],
        detailType: ['ECS Service Action'],
        detail: { clusterArn: [cluster.clusterArn], eventName: ['SERVICE_TASK_PLACEMENT_FAILURE'] },
      },
      targets: [new targets.SqsQueue(this.queue, { deadLetterQueue: this.deadLetterQueue })],
    });
  }
}
