import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { createClients, EMULATOR_CREDENTIALS } from '../app/src/aws/clients.js';
import { DynamoDeliveryInbox } from '../app/src/aws/delivery-inbox.js';
import { composeEngine } from '../app/src/compose.js';
import { loadConfig } from '../app/src/config.js';
import { createGitHubFrontEnd } from '../app/src/github/github-app.js';
import { createOctokit } from '../app/src/github/connection/octokit.js';
import { HttpServer } from '../app/src/http/server.js';
import { ensureSharedInfra } from '../app/src/local/shared-infra.js';
import { createSlackFrontEnd } from '../app/src/slack/slack-app.js';
// The tests' signed-request builders and API stubs: the benchmark drives the same real code paths.
import { deliver, prComment } from '../test/support/github-signing.js';
import { GitHubApiStub } from '../test/support/github-api-stub.js';
import { SlackApiStub } from '../test/support/slack-api-stub.js';
import { FORM, postSigned, signedHeaders, slashCommandBody } from '../test/support/slack-signing.js';
import { instrument } from './aws-instrument.js';
import type { BenchResult } from './cost-summary.bench.js';

const SLACK_SECRET = 'bench-signing-secret-0123456789';
const GITHUB_SECRET = 'bench-webhook-secret-0123456789';

const WRITES = /^(Put|Update|Delete|BatchWrite|TransactWrite)/;

/**
 * Time to acknowledge: N concurrent signed Slack slash commands and N concurrent signed GitHub
 * deliveries against the running front ends, while every AWS call (DynamoDB included) takes
 * `latencyMs`. Deadlines: Slack 3 s, GitHub 10 s. Then the durable writes a GitHub ack makes:
 * another burst with the inbox taking no work, so every write counted is the door's own.
 */
export async function benchAck(endpoint: string, n = 200, latencyMs = 2000, opts: { spreadMs?: number } = {}): Promise<BenchResult[]> {
  const spread = opts.spreadMs ?? 0;
  const where = `AWS ${latencyMs} ms/call${spread ? `, arriving over ${spread} ms` : ''}`;
  // Request i starts at i/n of the spread (0: all at once, the worst case for one event loop).
  const arrive = (i: number) => (spread ? new Promise((r) => setTimeout(r, (i * spread) / n)) : Promise.resolve());
  const log = pino({ level: 'silent' });
  const slackApi = await new SlackApiStub().start();
  const githubApi = await GitHubApiStub.start();
  const clients = createClients({ region: 'us-east-1', endpoint, credentials: EMULATOR_CREDENTIALS, maxAttempts: 3 });
  const infra = await ensureSharedInfra(clients, { prefix: `back${Date.now() % 100000}` });
  const config = loadConfig({
    ENVBOT_MODE: 'aws', AWS_ENDPOINT_URL: endpoint, ENVBOT_DOMAIN: 'envs.example.com', ENVBOT_CLUSTER: infra.cluster,
    ENVBOT_LISTENER_ARN: infra.listenerArn, ENVBOT_VPC_ID: infra.vpcId, ENVBOT_SUBNETS: infra.subnets.join(','),
    ENVBOT_SECURITY_GROUPS: infra.securityGroups.join(','), ENVBOT_TABLE: infra.table,
    ENVBOT_EXECUTION_ROLE_ARN: 'arn:aws:iam::123456789012:role/x', ENVBOT_DEFAULT_IMAGE: 'nginx', ENVBOT_MAX_TOTAL: '95',
    SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: SLACK_SECRET, SLACK_API_URL: slackApi.apiUrl,
    GITHUB_TOKEN: 'ghp_bench', GITHUB_WEBHOOK_SECRET: GITHUB_SECRET, GITHUB_API_URL: githubApi.url,
  });
  const { engine } = composeEngine({ config, clients, log });
  const server = new HttpServer(log);
  const slack = await createSlackFrontEnd({ engine, config, log, server });
  const octokit = createOctokit(config.github, log, { throttle: false, retryAfterBaseMs: 1 });
  const github = createGitHubFrontEnd({ engine, config, log, server, octokit });
  const base = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
  const aws = instrument(clients, { latencyMs });

  // The floor under both doors: the one conditional write alone, 200 at once, on the emulator
  // (moto serves requests one at a time and shares the 2 cores, so this grows with concurrency;
  // real DynamoDB does not).
  const alone = new DynamoDeliveryInbox(clients.doc, config.table);
  const writeTimes = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      await arrive(i);
      const t0 = performance.now();
      await alone.receive(`baseline-${i}`, '{"type":"push"}', Date.now());
      return performance.now() - t0;
    }),
  );

  const slackCpu = process.cpuUsage();
  const slackTimes = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const body = slashCommandBody({ user: `U${i}`, channel: 'C1', text: `status env-${i}`, responseUrl: slackApi.responseUrl(`r${i}`) });
      await arrive(i);
      const t0 = performance.now();
      const reply = await postSigned(`${base}/slack/events`, body, { ...signedHeaders(body, FORM, { secret: SLACK_SECRET }) });
      if (reply.status !== 200) throw new Error(`slack ack ${reply.status}`);
      return performance.now() - t0;
    }),
  );
  // Each door is measured under its own burst: let Slack's background work finish first.
  await Promise.race([slack.idle(), new Promise((r) => setTimeout(r, 120_000))]);
  const slackCpuMs = cpuMs(process.cpuUsage(slackCpu)) / n;
  const githubCpu = process.cpuUsage();
  const githubTimes = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      await arrive(i);
      const t0 = performance.now();
      const answer = await deliver(base, GITHUB_SECRET, { event: 'issue_comment', payload: prComment({ pr: 1000 + i, login: `dev${i}`, body: '/env status' }) });
      if (answer.status >= 300) throw new Error(`github ack ${answer.status}`);
      return performance.now() - t0;
    }),
  );
  await Promise.race([Promise.all([slack.idle(), github.idle()]), new Promise((r) => setTimeout(r, 60_000))]);
  const githubCpuMs = cpuMs(process.cpuUsage(githubCpu)) / n;

  github.stopTakingWork();
  aws.reset();
  const ackOnlyCpu = process.cpuUsage();
  const ackOnlyTimes = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      await arrive(i);
      const t0 = performance.now();
      const answer = await deliver(base, GITHUB_SECRET, { event: 'issue_comment', payload: prComment({ pr: 5000 + i, login: `dev${i}`, body: '/env status' }) });
      if (answer.status !== 202) throw new Error(`github ack ${answer.status}`);
      return performance.now() - t0;
    }),
  );
  const ackOnlyCpuMs = cpuMs(process.cpuUsage(ackOnlyCpu)) / n;
  const writesPerAck = aws.calls.filter((c) => WRITES.test(c.command)).length / n;
  await github.stop();
  await slack.stop();
  await server.close();
  await slackApi.stop();
  await githubApi.close();
  await engine.stop();
  return [
    { name: `door write alone p50 (${n} ${spread ? 'requests' : 'concurrent'}, ${where})`, value: pct(writeTimes, 50), unit: 'ms' },
    { name: `door write alone p99 (${n} ${spread ? 'requests' : 'concurrent'}, ${where})`, value: pct(writeTimes, 99), unit: 'ms' },
    { name: `Slack ack p50 (${n} ${spread ? 'requests' : 'concurrent'}, ${where})`, value: pct(slackTimes, 50), unit: 'ms' },
    { name: `Slack ack p99 (${where}; deadline 3000 ms)`, value: pct(slackTimes, 99), unit: 'ms' },
    { name: `GitHub ack p50 (${n} ${spread ? 'requests' : 'concurrent'}, ${where})`, value: pct(githubTimes, 50), unit: 'ms' },
    { name: `GitHub ack p99 (${where}; deadline 10000 ms)`, value: pct(githubTimes, 99), unit: 'ms' },
    { name: `GitHub ack durable writes per delivery (${where})`, value: writesPerAck, unit: 'writes' },
    { name: `GitHub ack p99, inbox paused: the door alone (${where})`, value: pct(ackOnlyTimes, 99), unit: 'ms' },
    { name: `CPU per GitHub ack alone, bot + load generator (${where})`, value: round1(ackOnlyCpuMs), unit: 'ms' },
    { name: `CPU per Slack command with its work, bot + load generator (${where})`, value: round1(slackCpuMs), unit: 'ms' },
    { name: `CPU per GitHub delivery with its work, bot + load generator (${where})`, value: round1(githubCpuMs), unit: 'ms' },
  ];
}

const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
const round1 = (x: number) => Math.round(x * 10) / 10;

function pct(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!);
}
