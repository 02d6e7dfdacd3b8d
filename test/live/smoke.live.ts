import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClients, createIdentityClients, destroyClients, type AwsClients } from '../../app/src/aws/clients.js';
import { Identity } from '../../app/src/aws/sts.js';
import { AwsView, eventually } from './aws-view.js';
import { BotApi } from './bot-api.js';
import { liveSettings } from './guard.js';

/**
 * `npm run test:live`: one throw-away environment through up → stop → start → extend → down on a
 * real installation, through the deployed bot's API, each step checked in the AWS APIs themselves.
 * See README "Live smoke test" for what to set and what it costs.
 */

// Answers 200 on any path on 8080, so it passes the dev profile's health check (/actuator/health).
const IMAGE = process.env.ENVBOT_LIVE_IMAGE ?? 'mendhak/http-https-echo:31';
const NAME = `live-${randomBytes(2).toString('hex')}`;
const region = process.env.AWS_REGION ?? 'us-east-1';

describe(`live smoke test: ${NAME} in a real account`, { sequential: true }, () => {
  let clients: AwsClients;
  let bot: BotApi;
  let aws: AwsView;
  let created = false;

  beforeAll(async () => {
    const { sts } = createIdentityClients({ region });
    const settings = await liveSettings(process.env, new Identity(sts));
    sts.destroy();
    const listenerArn = process.env.ENVBOT_LISTENER_ARN;
    if (!listenerArn) throw new Error('set ENVBOT_LISTENER_ARN (stack output "listenerArn") so the test can check the rule');
    clients = createClients({ region });
    bot = new BotApi(settings.botUrl, settings.apiToken);
    aws = new AwsView(clients, {
      cluster: process.env.ENVBOT_CLUSTER ?? 'envbot',
      listenerArn,
      scheduleGroup: process.env.ENVBOT_SCHEDULE_GROUP ?? 'envbot',
    });
  });

  // Cleans up even when a step failed: `down`, then a check that nothing is left behind.
  afterAll(async () => {
    if (!bot || !created) return;
    try {
      await bot.run(`down ${NAME}`);
      await eventually('service deleted', () => aws.service(NAME), (s) => !s || s.status !== 'ACTIVE', 5 * 60_000);
    } finally {
      const left = [(await aws.service(NAME))?.status === 'ACTIVE' ? `service envbot-${NAME}` : '', ...(await aws.schedules(NAME))].filter(Boolean);
      if (left.length > 0) process.stderr.write(`live test left behind: ${left.join(', ')} — run \`envbot down ${NAME}\`\n`);
      destroyClients(clients);
    }
  });

  it('up: the service runs one task, the host rule and the schedules exist', async () => {
    created = true;
    const reply = await bot.run(`up ${NAME} --image ${IMAGE}`);
    expect(reply.kind, reply.text).toBe('accepted');
    const record = await eventually('environment ready', () => bot.environment(NAME), (r) => r?.status === 'ready' || r?.status === 'failed');
    expect(record?.status, record?.statusReason).toBe('ready');
    const service = await eventually('one running task', () => aws.service(NAME), (s) => s?.running === 1);
    expect(service).toMatchObject({ status: 'ACTIVE', desired: 1, running: 1 });
    expect(await aws.ruleForHost(new URL(record!.url!).host)).toBeDefined();
    expect(await aws.schedules(NAME)).toContain(`envbot-${NAME}-stop`);
  });

  it('stop: desired count 0 and the task is gone', async () => {
    await bot.run(`stop ${NAME}`);
    const service = await eventually('no running task', () => aws.service(NAME), (s) => s?.running === 0);
    expect(service?.desired).toBe(0);
    expect((await bot.environment(NAME))?.status).toBe('stopped');
  });

  it('start: one task runs again', async () => {
    await bot.run(`start ${NAME}`);
    const service = await eventually('one running task', () => aws.service(NAME), (s) => s?.running === 1);
    expect(service?.desired).toBe(1);
    expect((await eventually('ready', () => bot.environment(NAME), (r) => r?.status === 'ready'))?.status).toBe('ready');
  });

  it('extend: a one-off postponed stop is scheduled about two hours out', async () => {
    await bot.run(`extend ${NAME} 2h`);
    const name = `envbot-${NAME}-postponed`;
    expect(await aws.schedules(NAME)).toContain(name);
    const at = /^at\((.+)\)$/.exec((await aws.scheduleExpression(name)) ?? '')?.[1];
    expect(at, 'an at(...) expression').toBeDefined();
  });

  it('down: service, rule and schedules are gone', async () => {
    const host = new URL((await bot.environment(NAME))!.url!).host;
    await bot.run(`down ${NAME}`);
    await eventually('service deleted', () => aws.service(NAME), (s) => !s || s.status !== 'ACTIVE');
    expect(await aws.ruleForHost(host)).toBeUndefined();
    expect(await aws.schedules(NAME)).toEqual([]);
    expect(await bot.environment(NAME)).toBeUndefined();
    created = false;
  });
});
