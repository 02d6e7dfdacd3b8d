import { fail, ok, skip, warn, type Check, type DoctorContext, type Outcome } from '../check.js';

/**
 * Nothing envbot relies on may fail silently: task events that could not be handled and schedule
 * invocations that failed (e.g. a nightly stop) end up in dead-letter queues.
 */
export const deadLetterQueues: Check = {
  id: 'dead-letter-queues',
  title: 'Dead-letter queues are empty (no lost task events, no failed schedules)',
  async run(ctx) {
    const parts = [await eventsDlq(ctx), await scheduleDlq(ctx)];
    const bad = parts.find((p) => p.status === 'fail') ?? parts.find((p) => p.status === 'warn');
    const detail = parts.map((p) => p.detail).join('; ');
    if (bad) return { ...bad, detail };
    if (parts.every((p) => p.status === 'skip')) return skip(detail, parts.find((p) => p.fix)?.fix);
    return ok(detail);
  },
};

async function eventsDlq(ctx: DoctorContext): Promise<Outcome> {
  const url = ctx.config.eventsQueueUrl;
  if (!url) return skip('task events: no queue configured', 'set ENVBOT_EVENTS_QUEUE_URL from the stack output "eventsQueueUrl"');
  const queue = await ctx.reader.queueDepth(url);
  if (!queue) return fail(`task events: queue ${url} does not exist`, 'deploy the stack or fix ENVBOT_EVENTS_QUEUE_URL');
  if (!queue.deadLetterArn) return warn('task events: the queue has no dead-letter queue', 'deploy the current stack: it gives the events queue a RedrivePolicy');
  const dlqUrl = await ctx.reader.queueUrlOf(queue.deadLetterArn);
  const dlq = dlqUrl ? await ctx.reader.queueDepth(dlqUrl) : undefined;
  if (!dlq) return fail(`task events: dead-letter queue ${queue.deadLetterArn} does not exist`, 'deploy the stack again');
  const waiting = dlq.visible + dlq.inFlight;
  if (waiting > 0) {
    return warn(
      `task events: ${waiting} message(s) in the dead-letter queue (events the bot could not handle)`,
      `read them (aws sqs receive-message --queue-url ${dlqUrl}), look for the error in the bot log, then start a redrive to the events queue in the SQS console`,
    );
  }
  return ok(`task events: ${queue.visible} queued, dead-letter queue empty`);
}

async function scheduleDlq(ctx: DoctorContext): Promise<Outcome> {
  if (!ctx.scheduleDlqUrl) return skip('schedules: no dead-letter queue configured (ENVBOT_SCHEDULE_FAILURES_QUEUE_URL)', 'set ENVBOT_SCHEDULE_FAILURES_QUEUE_URL from the stack output');
  const dlq = await ctx.reader.queueDepth(ctx.scheduleDlqUrl);
  if (!dlq) return fail(`schedules: dead-letter queue ${ctx.scheduleDlqUrl} does not exist`, 'deploy the stack or fix ENVBOT_SCHEDULE_FAILURES_QUEUE_URL');
  const failed = dlq.visible + dlq.inFlight;
  if (failed > 0) {
    return fail(
      `schedules: ${failed} failed invocation(s) recently (an auto-stop or auto-start did not happen)`,
      `read the reasons (aws sqs receive-message --queue-url ${ctx.scheduleDlqUrl} --message-attribute-names All: ERROR_CODE, ERROR_MESSAGE), fix the cause, then purge the queue`,
    );
  }
  return ok('schedules: no failed invocations');
}
