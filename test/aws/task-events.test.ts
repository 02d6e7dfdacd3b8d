import { beforeAll, describe, expect, it } from 'vitest';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { SqsConsumer } from '../../app/src/aws/sqs-consumer.js';
import { DynamoEnvironmentStore, ensureTable } from '../../app/src/aws/store.js';
import type { EnvNotice, Notifier } from '../../app/src/environments/notifier-port.js';
import { DEFAULT_PROFILES } from '../../app/src/environments/profiles.js';
import type { EnvironmentRecord } from '../../app/src/environments/record.js';
import { parseEcsEvent, parseTaskEvent } from '../../app/src/events/parse-task-event.js';
import type { EcsEvent } from '../../app/src/environments/task-event.js';
import {
  returnToSpot,
  scheduleMatcher,
  TaskEventHandler,
  type TrackedRecord,
} from '../../app/src/events/task-event-handler.js';
import { emulatorClients, REGION, uniquePrefix } from '../support/aws-fixture.js';
import { servicePlacementFailureEvent } from '../support/fidelity/ecs.js';

const ACCOUNT = '123456789012';
const CLUSTER_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/envbot`;

/** Our own port, so a recording fake is the simplest honest double. */
class RecordingNotifier implements Notifier {
  readonly sent: { env: string; notice: EnvNotice }[] = [];
  async notify(record: EnvironmentRecord, notice: EnvNotice): Promise<void> {
    this.sent.push({ env: record.name, notice });
  }
  kinds(env: string): string[] {
    return this.sent.filter((s) => s.env === env).map((s) => ('by' in s.notice ? `${s.notice.kind}:${s.notice.by}` : 'to' in s.notice ? `${s.notice.kind}:${s.notice.to}` : s.notice.kind));
  }
}

interface EventSpec {
  id: string;
  time: string;
  task: string;
  env?: string;
  lastStatus: string;
  desiredStatus: string;
  stopCode?: string;
  stoppedReason?: string;
  capacity?: 'FARGATE' | 'FARGATE_SPOT';
}

/** A realistic EventBridge "ECS Task State Change" envelope, shaped like the ones ECS sends. */
function ecsEvent(s: EventSpec): string {
  const taskArn = `arn:aws:ecs:${REGION}:${ACCOUNT}:task/envbot/${s.task}`;
  const stopped = s.lastStatus === 'STOPPED';
  return JSON.stringify({
    version: '0',
    id: s.id,
    'detail-type': 'ECS Task State Change',
    source: 'aws.ecs',
    account: ACCOUNT,
    time: s.time,
    region: REGION,
    resources: [taskArn],
    detail: {
      attachments: [{ id: 'a1b2c3', type: 'eni', status: stopped ? 'DELETED' : 'ATTACHED', details: [{ name: 'subnetId', value: 'subnet-0abc' }] }],
      attributes: [{ name: 'ecs.cpu-architecture', value: 'x86_64' }],
      availabilityZone: `${REGION}a`,
      capacityProviderName: s.capacity ?? 'FARGATE_SPOT',
      clusterArn: CLUSTER_ARN,
      connectivity: 'CONNECTED',
      containers: [{ containerArn: `${taskArn}/app`, lastStatus: s.lastStatus, name: 'app', image: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/envbot-apps:abc1234`, cpu: '0', taskArn }],
      cpu: '256',
      createdAt: s.time,
      desiredStatus: s.desiredStatus,
      enableExecuteCommand: false,
      ephemeralStorage: { sizeInGiB: 20 },
      group: `service:envbot-${s.env ?? 'feature-x'}`,
      launchType: 'FARGATE',
      lastStatus: s.lastStatus,
      memory: '512',
      overrides: { containerOverrides: [{ name: 'app' }] },
      platformVersion: '1.4.0',
      startedBy: 'ecs-svc/5869876537383464128',
      taskArn,
      taskDefinitionArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/envbot-${s.env ?? 'feature-x'}:3`,
      updatedAt: s.time,
      version: 3,
      ...(s.lastStatus === 'RUNNING' && { startedAt: s.time }),
      ...(s.stopCode && { stopCode: s.stopCode, stoppingAt: s.time }),
      ...(s.stoppedReason && { stoppedReason: s.stoppedReason }),
      ...(stopped && { stoppedAt: s.time, executionStoppedAt: s.time }),
    },
  });
}

function record(name: string, over: Partial<EnvironmentRecord> = {}): EnvironmentRecord {
  const at = '2025-06-01T00:00:00.000Z';
  return {
    name,
    owner: 'U123',
    branch: `feature/${name}`,
    profile: 'dev',
    size: 'xs',
    desired: 'running',
    status: 'deploying',
    source: 'slack',
    report: { slack: { channel: 'C1', threadTs: '1717.0001' } },
    createdAt: at,
    updatedAt: at,
    touchedAt: at,
    version: 1,
    ...over,
  };
}

const SPOT_REASON = 'Your Spot Task was interrupted.';
const SCALE_IN = 'Scaling activity initiated by (deployment ecs-svc/5869876537383464128)';
const NO_CAPACITY = 'Capacity is unavailable at this time. Please try again later or in a different availability zone';

describe('ECS task events through SQS', () => {
  const clients = emulatorClients();
  const prefix = uniquePrefix('tevents');
  const store = new DynamoEnvironmentStore(clients.doc, prefix);
  const notifier = new RecordingNotifier();
  const capacityCalls: [string, boolean][] = [];
  const hookSeen: string[] = [];
  const handler = new TaskEventHandler({
    store,
    notifier,
    applyCapacity: async (name, onDemand) => {
      capacityCalls.push([name, onDemand]);
    },
    onTaskEvent: [async (event) => void hookSeen.push(event.id)],
    isScheduled: scheduleMatcher({ profileOf: () => ({ ...DEFAULT_PROFILES.dev, autoStartAt: '09:00' }), timezone: 'Asia/Seoul' }),
  });
  const outcomes: string[] = [];
  let queueUrl = '';
  let consumer: SqsConsumer<EcsEvent>;

  async function createQueue(name: string, maxReceiveCount: number): Promise<{ url: string; dlqUrl: string }> {
    const dlq = await clients.sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
    const attrs = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }));
    const q = await clients.sqs.send(
      new CreateQueueCommand({
        QueueName: name,
        Attributes: {
          // 0 so a message that was not deleted is visible again at once (the test does not wait).
          VisibilityTimeout: '0',
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: attrs.Attributes?.QueueArn, maxReceiveCount }),
        },
      }),
    );
    return { url: q.QueueUrl!, dlqUrl: dlq.QueueUrl! };
  }

  async function deliver(...events: (EventSpec | string)[]): Promise<void> {
    for (const e of events) {
      await clients.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: typeof e === 'string' ? e : ecsEvent(e) }));
    }
    const result = await consumer.pollOnce();
    expect(result).toMatchObject({ received: events.length, handled: events.length, poison: 0, failed: 0 });
  }

  const status = async (name: string) => {
    const r = (await store.get(name)) as TrackedRecord;
    return { desired: r.desired, status: r.status };
  };

  beforeAll(async () => {
    await ensureTable(clients.dynamo, prefix);
    queueUrl = (await createQueue(`${prefix}-events`, 3)).url;
    consumer = new SqsConsumer({
      sqs: clients.sqs,
      queueUrl,
      // As the bot reads its events queue (background.ts): task and service events.
      parse: parseEcsEvent,
      handle: async (event) => void outcomes.push(await handler.handle(event)),
      waitTimeSeconds: 1,
    });
  });

  it('follows start, Spot interruption, scheduled stop and scheduled restart', async () => {
    await store.create(record('feature-x'));

    // Monday 10:00 KST: the reconciler's deployment comes up on Spot.
    await deliver(
      { id: 'e1', time: '2025-06-02T01:00:05Z', task: 't1', lastStatus: 'PROVISIONING', desiredStatus: 'RUNNING' },
      { id: 'e2', time: '2025-06-02T01:01:00Z', task: 't1', lastStatus: 'RUNNING', desiredStatus: 'RUNNING' },
    );
    expect(await status('feature-x')).toEqual({ desired: 'running', status: 'ready' });

    // 14:00 KST: the 2-minute Spot warning; ECS starts a replacement.
    await deliver({ id: 'e3', time: '2025-06-02T05:00:00Z', task: 't1', lastStatus: 'RUNNING', desiredStatus: 'STOPPED', stopCode: 'SpotInterruption', stoppedReason: SPOT_REASON });
    expect(await status('feature-x')).toEqual({ desired: 'running', status: 'waiting-health' });
    expect(notifier.kinds('feature-x')).toEqual(['spot-interruption']);

    // Replacement runs; the interrupted task's final STOPPED (and a redelivered warning) change nothing.
    await deliver(
      { id: 'e4', time: '2025-06-02T05:00:20Z', task: 't2', lastStatus: 'PENDING', desiredStatus: 'RUNNING' },
      { id: 'e5', time: '2025-06-02T05:01:10Z', task: 't2', lastStatus: 'RUNNING', desiredStatus: 'RUNNING' },
      { id: 'e6', time: '2025-06-02T05:02:00Z', task: 't1', lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stopCode: 'SpotInterruption', stoppedReason: SPOT_REASON },
      { id: 'e3', time: '2025-06-02T05:00:00Z', task: 't1', lastStatus: 'RUNNING', desiredStatus: 'STOPPED', stopCode: 'SpotInterruption', stoppedReason: SPOT_REASON },
    );
    expect(await status('feature-x')).toEqual({ desired: 'running', status: 'ready' });
    expect(notifier.kinds('feature-x')).toEqual(['spot-interruption']);
    expect(outcomes.at(-1)).toBe('duplicate');

    // 20:00 KST: the Scheduler schedule set the desired count to 0 — the bot did not.
    await deliver({ id: 'e7', time: '2025-06-02T11:00:40Z', task: 't2', lastStatus: 'RUNNING', desiredStatus: 'STOPPED', stopCode: 'ServiceSchedulerInitiated', stoppedReason: SCALE_IN });
    expect(await status('feature-x')).toEqual({ desired: 'stopped', status: 'stopping' });
    await deliver({ id: 'e8', time: '2025-06-02T11:01:30Z', task: 't2', lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stopCode: 'ServiceSchedulerInitiated', stoppedReason: SCALE_IN });
    expect(await status('feature-x')).toEqual({ desired: 'stopped', status: 'stopped' });

    // Tuesday 09:00 KST: the morning start schedule brings it back.
    await deliver(
      { id: 'e9', time: '2025-06-03T00:00:20Z', task: 't3', lastStatus: 'PENDING', desiredStatus: 'RUNNING' },
      { id: 'e10', time: '2025-06-03T00:01:15Z', task: 't3', lastStatus: 'RUNNING', desiredStatus: 'RUNNING' },
    );
    expect(await status('feature-x')).toEqual({ desired: 'running', status: 'ready' });

    expect(notifier.kinds('feature-x')).toEqual(['spot-interruption', 'stopped:schedule', 'started:schedule']);
    // The ledger hook sees every delivery (it is idempotent by id), including the redelivered e3.
    expect(hookSeen).toEqual(['e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e3', 'e7', 'e8', 'e9', 'e10']);
    const final = (await store.get('feature-x')) as TrackedRecord;
    expect(final.currentTaskArn).toMatch(/task\/envbot\/t3$/);
  });

  it('a stop outside the schedule window (e.g. a console redeploy) is not taken for the schedule', async () => {
    await store.create(record('feature-w', { status: 'ready' }));
    await deliver(
      { id: 'w1', env: 'feature-w', time: '2025-06-02T03:00:00Z', task: 'w1', lastStatus: 'RUNNING', desiredStatus: 'RUNNING' },
      { id: 'w2', env: 'feature-w', time: '2025-06-02T06:00:00Z', task: 'w1', lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stopCode: 'ServiceSchedulerInitiated', stoppedReason: SCALE_IN },
    );
    expect(await status('feature-w')).toEqual({ desired: 'running', status: 'waiting-health' });
    expect(notifier.kinds('feature-w')).toEqual([]);
  });

  it('falls back to on-demand after repeated Spot capacity failures, and returns to Spot later', async () => {
    await store.create(record('feature-s'));
    const failure = (id: string, time: string): EventSpec => ({
      id,
      env: 'feature-s',
      time,
      task: id,
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      stopCode: 'TaskFailedToStart',
      stoppedReason: NO_CAPACITY,
    });

    await deliver(failure('s1', '2025-06-02T02:00:00Z'));
    expect(capacityCalls).toEqual([]);
    await deliver(failure('s2', '2025-06-02T02:01:30Z'));
    expect(capacityCalls).toEqual([['feature-s', true]]);
    expect(((await store.get('feature-s')) as TrackedRecord).onDemandFallback).toBe(true);
    expect(notifier.kinds('feature-s')).toEqual(['capacity-fallback:FARGATE']);

    await deliver({ id: 's3', env: 'feature-s', time: '2025-06-02T02:03:00Z', task: 's3', lastStatus: 'RUNNING', desiredStatus: 'RUNNING', capacity: 'FARGATE' });
    expect(await status('feature-s')).toEqual({ desired: 'running', status: 'ready' });

    // Too early: stays on on-demand. Three hours after the fallback: back to Spot.
    expect(await returnToSpot({ store, notifier, applyCapacity: async (n, o) => void capacityCalls.push([n, o]), now: new Date('2025-06-02T04:00:00Z') })).toEqual([]);
    const back = await returnToSpot({ store, notifier, applyCapacity: async (n, o) => void capacityCalls.push([n, o]), now: new Date('2025-06-02T05:02:00Z') });
    expect(back).toEqual(['feature-s']);
    expect(capacityCalls).toEqual([['feature-s', true], ['feature-s', false]]);
    expect(((await store.get('feature-s')) as TrackedRecord).onDemandFallback).toBe(false);
    expect(notifier.kinds('feature-s')).toEqual(['capacity-fallback:FARGATE', 'capacity-fallback:FARGATE_SPOT']);
  });

  it('switches to on-demand when ECS cannot place a task on Fargate Spot (service event, no task at all)', async () => {
    await store.create(record('feature-p', { status: 'waiting-health' }));
    const failure = (id: string, time: string) =>
      servicePlacementFailureEvent({ id, clusterArn: CLUSTER_ARN, serviceName: 'envbot-feature-p', time, reason: 'RESOURCE:FARGATE' });

    await deliver(failure('p1', '2025-06-02T02:00:00Z'));
    expect(capacityCalls.filter(([n]) => n === 'feature-p')).toEqual([['feature-p', true]]);
    const after = (await store.get('feature-p')) as TrackedRecord;
    expect(after).toMatchObject({ onDemandFallback: true, onDemandSince: '2025-06-02T02:00:00.000Z', desired: 'running' });
    expect(notifier.kinds('feature-p')).toEqual(['capacity-fallback:FARGATE']);

    // ECS keeps retrying and reporting; once on on-demand that changes nothing, and a redelivery is a duplicate.
    await deliver(failure('p2', '2025-06-02T02:03:00Z'), failure('p1', '2025-06-02T02:00:00Z'));
    expect(capacityCalls.filter(([n]) => n === 'feature-p')).toHaveLength(1);
    expect(outcomes.at(-1)).toBe('duplicate');
    // The cost ledger only sees task events.
    expect(hookSeen).not.toContain('p1');
  });

  it('ignores placement failures of services that are not envbot environments', async () => {
    const before = capacityCalls.length;
    await deliver(servicePlacementFailureEvent({ id: 'f1', clusterArn: CLUSTER_ARN, serviceName: 'someone-elses', time: '2025-06-02T02:00:00Z' }));
    expect(outcomes.at(-1)).toBe('foreign');
    expect(capacityCalls).toHaveLength(before);
  });

  it('moves poison messages to the dead-letter queue and keeps the good ones flowing', async () => {
    const { url, dlqUrl } = await createQueue(`${prefix}-poison`, 1);
    const handled: string[] = [];
    const warnings: string[] = [];
    const poisonConsumer = new SqsConsumer({
      sqs: clients.sqs,
      queueUrl: url,
      parse: parseTaskEvent,
      handle: async (e) => void handled.push(e.id),
      waitTimeSeconds: 1,
      log: { warn: (_o, msg) => void warnings.push(msg), error: () => {} },
    });
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'not json at all' }));
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: JSON.stringify({ id: 'x', 'detail-type': 'EC2 Instance State-change Notification', source: 'aws.ec2', time: '2025-06-02T00:00:00Z', detail: {} }) }));
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: ecsEvent({ id: 'ok1', time: '2025-06-02T00:00:00Z', task: 'p1', lastStatus: 'PENDING', desiredStatus: 'RUNNING' }) }));

    expect(await poisonConsumer.pollOnce()).toEqual({ received: 3, handled: 1, poison: 2, failed: 0 });
    expect(handled).toEqual(['ok1']);
    expect(warnings).toEqual(['poison message left for the dead-letter queue', 'poison message left for the dead-letter queue']);
    // maxReceiveCount 1: on the next receive SQS moves them to the DLQ instead of delivering them.
    expect(await poisonConsumer.pollOnce()).toEqual({ received: 0, handled: 0, poison: 0, failed: 0 });
    const dead = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    expect(dead.Messages?.map((m) => m.Body).sort()).toEqual(['not json at all', expect.stringContaining('aws.ec2')]);
  });

  it('leaves a message whose handler failed for another try', async () => {
    const { url } = await createQueue(`${prefix}-retry`, 5);
    let attempts = 0;
    const flaky = new SqsConsumer({
      sqs: clients.sqs,
      queueUrl: url,
      parse: parseTaskEvent,
      handle: async () => {
        if (++attempts === 1) throw new Error('store unavailable');
      },
      waitTimeSeconds: 1,
    });
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: ecsEvent({ id: 'r1', time: '2025-06-02T00:00:00Z', task: 'r1', lastStatus: 'PENDING', desiredStatus: 'RUNNING' }) }));
    expect(await flaky.pollOnce()).toMatchObject({ received: 1, failed: 1 });
    expect(await flaky.pollOnce()).toMatchObject({ received: 1, handled: 1 });
    expect(await flaky.pollOnce()).toMatchObject({ received: 0 });
  });

  it('stops long polling promptly when aborted (graceful shutdown)', async () => {
    const { url } = await createQueue(`${prefix}-idle`, 5);
    const idle = new SqsConsumer({ sqs: clients.sqs, queueUrl: url, parse: parseTaskEvent, handle: async () => {} });
    const controller = new AbortController();
    const running = idle.run(controller.signal);
    setTimeout(() => controller.abort(), 200);
    const startedAt = performance.now();
    await running;
    expect(performance.now() - startedAt).toBeLessThan(5000); // far below the 20 s long poll
  });
});
