import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { resourcesOf, synthesize, type Synthesized } from './support/synth.js';

let s: Synthesized;
beforeAll(() => {
  s = synthesize();
});

describe('ECS events for the bot', () => {
  it('also sends the services’ task placement failures (no Spot capacity) to the events queue', () => {
    const [clusterId] = resourcesOf(s, 'AWS::ECS::Cluster')[0]!;
    const [queueId] = resourcesOf(s, 'AWS::SQS::Queue').find(([, q]) => q.Properties.QueueName === 'envbot-task-events')!;
    s.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.ecs'],
        'detail-type': ['ECS Service Action'],
        detail: { clusterArn: [{ 'Fn::GetAtt': [clusterId, 'Arn'] }], eventName: ['SERVICE_TASK_PLACEMENT_FAILURE'] },
      },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } })],
    });
    // EventBridge may send to the queue from both rules (the queue policy names each rule).
    const policy = resourcesOf(s, 'AWS::SQS::QueuePolicy').find(([, p]) => JSON.stringify(p.Properties.Queues).includes(queueId))!;
    const fromEvents = (policy[1].Properties.PolicyDocument.Statement as { Principal?: { Service?: string } }[]).filter(
      (st) => st.Principal?.Service === 'events.amazonaws.com',
    );
    expect(fromEvents).toHaveLength(2);
  });
});
