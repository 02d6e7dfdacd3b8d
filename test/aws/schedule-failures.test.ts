import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GetScheduleCommand } from '@aws-sdk/client-scheduler';
import { GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { noticeText } from '../../app/src/dashboard/notice-text.js';
import { buildRows } from '../../app/src/dashboard/rows.js';
import { statusViewFor, describeNotice } from '../../app/src/github/render/render-status.js';
import { sqsConsumers } from '../../app/src/aws/sqs-consumer.js';
import { scheduleFailureConsumer } from '../../app/src/schedules/schedule-failure-consumer.js';
import { clearStaleScheduleFailure } from '../../app/src/schedules/schedule-failure-handler.js';
import { renderNoticeReply } from '../../app/src/slack/render/notice-reply.js';
import { renderStatus as renderSlackStatus } from '../../app/src/slack/render/status.js';
import { engineFixture, slackUser, type EngineFixture } from '../support/engine-fixture.js';

const ROLE = 'arn:aws:iam::123456789012:role/envbot-scheduler';
// 2026-11-23 is a Monday; 10:00 in Seoul. The nightly stop was due at 20:00 (11:00 UTC).
const NOW = new Date('2026-11-23T01:00:00Z');
const DUE = '2026-11-23T11:00:00Z';
const DENIED =
  'User: arn:aws:sts::123456789012:assumed-role/envbot-scheduler/a1b2 is not authorized to perform: ecs:UpdateService on resource: ' +
  'arn:aws:ecs:us-east-1:123456789012:service/envbot/envbot-night-owl';

/** What Scheduler puts on its dead-letter queue when an invocation fails (attributes carry the why). */
async function sendDeadLetter(f: EngineFixture, o: { schedule: string; group?: string; executionId?: string; body: string }) {
  const attr = (value: string) => ({ DataType: 'String', StringValue: value });
  await f.clients.sqs.send(
    new SendMessageCommand({
      QueueUrl: f.infra.scheduleFailuresQueueUrl,
      MessageBody: o.body,
      MessageAttributes: {
        ERROR_CODE: attr('AccessDeniedException'),
        ERROR_MESSAGE: attr(DENIED),
        EXECUTION_ID: attr(o.executionId ?? randomUUID()),
        IS_PAYLOAD_TRUNCATED: attr('false'),
        RETRY_ATTEMPTS: attr('0'),
        SCHEDULED_TIME: attr(DUE),
        SCHEDULE_ARN: attr(`arn:aws:scheduler:us-east-1:123456789012:schedule/${o.group ?? f.config.scheduleGroup}/${o.schedule}`),
        TARGET_ARN: attr('arn:aws:scheduler:::aws-sdk:ecs:updateService'),
      },
    }),
  );
}

/** Drains the queue: receives until a poll comes back empty (no waiting: WaitTimeSeconds 0). */
async function drain(f: EngineFixture) {
  const consumer = scheduleFailureConsumer({
    consumers: sqsConsumers(f.clients.sqs),
    queueUrl: f.infra.scheduleFailuresQueueUrl,
    group: f.config.scheduleGroup,
    deps: { store: f.engine.store, notifier: f.engine.notifier, now: () => NOW },
    waitTimeSeconds: 0,
  });
  const total = { received: 0, handled: 0, poison: 0, failed: 0 };
  for (let i = 0; i < 10; i++) {
    const r = await consumer.pollOnce();
    if (r.received === 0) break;
    for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += r[k];
  }
  return total;
}

describe('a schedule that fails reaches a person (dead-letter queue → record → notices)', () => {
  it('marks the environment "auto-stop failed" with the reason, once, in every front end', async () => {
    const f = await engineFixture('schedfail', { schedulesFromConfig: true, now: () => NOW, env: { ENVBOT_SCHEDULER_ROLE_ARN: ROLE } });
    await f.engine.runText(slackUser('U1'), 'up night-owl');
    await f.engine.idle();

    // Every schedule names the stack's dead-letter queue and has a retry policy.
    const stop = await f.clients.scheduler.send(new GetScheduleCommand({ GroupName: f.config.scheduleGroup, Name: 'envbot-night-owl-stop' }));
    expect(stop.Target?.DeadLetterConfig).toEqual({ Arn: f.infra.scheduleFailuresQueueArn });
    expect(stop.Target?.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 20 });

    // Scheduler delivers the same failure twice (at least once), plus one of another group and one that is no dead letter.
    const executionId = randomUUID();
    await sendDeadLetter(f, { schedule: 'envbot-night-owl-stop', executionId, body: stop.Target!.Input! });
    await sendDeadLetter(f, { schedule: 'envbot-night-owl-stop', executionId, body: stop.Target!.Input! });
    await sendDeadLetter(f, { schedule: 'envbot-night-owl-stop', group: 'someone-else', body: '{}' });
    await f.clients.sqs.send(new SendMessageCommand({ QueueUrl: f.infra.scheduleFailuresQueueUrl, MessageBody: 'hello' }));

    expect(await drain(f)).toEqual({ received: 4, handled: 3, poison: 1, failed: 0 });

    const record = (await f.engine.store.get('night-owl'))!;
    expect(record.status).toBe('ready');
    expect(record.scheduleFailure).toEqual({
      action: 'stop',
      schedule: 'envbot-night-owl-stop',
      reason: `AccessDeniedException: ${DENIED}`,
      at: '2026-11-23T11:00:00.000Z',
    });
    const failed = f.notices.notices.filter((n) => n.notice.kind === 'schedule-failed');
    expect(failed).toEqual([
      { env: 'night-owl', notice: { kind: 'schedule-failed', action: 'stop', reason: `AccessDeniedException: ${DENIED}`, at: '2026-11-23T11:00:00.000Z' } },
    ]);
    // The poison message stays for a person; the handled ones are gone.
    const left = await f.clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: f.infra.scheduleFailuresQueueUrl, AttributeNames: ['ApproximateNumberOfMessagesNotVisible'] }),
    );
    expect(left.Attributes?.ApproximateNumberOfMessagesNotVisible).toBe('1');

    // `status`, the Slack thread and status card, the PR status comment and the dashboard all say so.
    const status = await f.engine.runText(slackUser('U1'), 'status night-owl');
    expect(status.text).toContain(`Auto-stop failed (2026-11-23T11:00:00.000Z): AccessDeniedException: ${DENIED}`);
    const notice = failed[0]!.notice;
    expect(renderNoticeReply(record, notice)?.text).toBe('night-owl: auto-stop failed');
    expect(JSON.stringify(renderNoticeReply(record, notice)?.blocks)).toContain('is still running (and billed)');
    expect(JSON.stringify(renderSlackStatus(record, {}, NOW).blocks)).toContain('auto-stop failed');
    expect(statusViewFor(record, { notice, now: NOW }).status).toBe('ready · auto-stop failed');
    expect(describeNotice('night-owl', notice)).toBe(`Auto-stop failed: AccessDeniedException: ${DENIED} — \`/env stop night-owl\` does it by hand.`);
    expect(noticeText(record, notice, { local: false, timezone: 'Asia/Seoul' })).toBe(`night-owl: auto-stop failed — AccessDeniedException: ${DENIED}`);
    const [row] = await buildRows({ store: { list: async () => [record] }, ctx: {}, local: false, now: NOW, timezone: 'Asia/Seoul' });
    expect(row?.statusReason).toBe(`auto-stop failed: AccessDeniedException: ${DENIED}`);

    // Once someone stops it, the failure no longer describes it, and the next task event clears it.
    await f.engine.runText(slackUser('U1'), 'stop night-owl');
    await f.engine.idle();
    expect((await f.engine.runText(slackUser('U1'), 'status night-owl')).text).not.toContain('Auto-stop failed');
    await clearStaleScheduleFailure(f.engine.store)({}, await f.engine.store.get('night-owl'));
    expect((await f.engine.store.get('night-owl'))?.scheduleFailure).toBeUndefined();
  });
});
