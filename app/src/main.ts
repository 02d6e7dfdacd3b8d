import { ConfigError, loadConfig, type Config } from './config.js';
import { startBackgroundJobs } from './background.js';
import { DynamoEnvironmentStore } from './aws/store.js';
import { composeEngine } from './compose.js';
import { GitHubCommitResolver } from './github/connection/commit-resolver.js';
import { createOctokit, hasGitHubCredentials } from './github/connection/octokit.js';
import { registerApi } from './http/api.js';
import { healthHandler } from './http/health.js';
import { HttpServer } from './http/server.js';
import { awsRuntime, startLocalRuntime, type Runtime } from './local/local-runtime.js';
import { MotoUnavailableError } from './local/moto-process.js';
import { createLogger } from './logger.js';
import type { InboxTuning } from './github/connection/inbox.js';
import { wireFrontEnds } from './wire-front-ends.js';

/**
 * ECS sends SIGKILL `stopTimeout` after SIGTERM (infra/lib/bot-service.ts: 120 s, Fargate's
 * maximum). Shutdown gives up on anything still running well before that: leases then expire.
 */
export const SHUTDOWN_BUDGET_MS = 100_000;

/** Test seams; production uses the defaults. */
export interface StartOptions {
  inbox?: InboxTuning;
}

/** Starts envbot: config → runtime (local emulator or AWS) → engine → HTTP server. */
export async function startBot(env: NodeJS.ProcessEnv = process.env, opts: StartOptions = {}) {
  const baseConfig = loadConfig(env);
  const log = createLogger(baseConfig.logLevel);
  const runtime: Runtime = baseConfig.mode === 'local' ? await startLocalRuntime(baseConfig, log) : awsRuntime(baseConfig);
  const config = runtime.config;
  const store = new DynamoEnvironmentStore(runtime.clients.doc, config.table);
  // GitHub first: the engine's builds need its commit resolver, and the front end reuses the client.
  const octokit = hasGitHubCredentials(config.github) ? createOctokit(config.github, log) : undefined;
  const commits = octokit && new GitHubCommitResolver(octokit, store, config.github.repository);
  const { engine, cost, builds } = composeEngine({ config, clients: runtime.clients, log, store, ...(commits && { commits }) });
  const background = startBackgroundJobs({ engine, config, clients: runtime.clients, log, taskEventHooks: [cost.onTaskEvent], ...(builds && { builds }) });
  const server = new HttpServer(log);
  server.route('GET', '/healthz', healthHandler(engine.store, runtime.clients, config.mode));
  // Front ends are wired just below; the operator API asks them only once requests arrive.
  registerApi(server, { engine, mode: config.mode, ...(config.apiToken && { token: config.apiToken }), githubFailures: () => frontEnds.githubFailures?.() ?? Promise.resolve(undefined) });
  const frontEnds = await wireFrontEnds({ engine, config, log, server, runtime, env, cost, ...(octokit && { octokit }), ...(opts.inbox && { inbox: opts.inbox }) });
  const port = await server.listen(config.port, config.mode === 'local' ? '127.0.0.1' : '0.0.0.0');
  engine.resync.start(config.resyncIntervalSeconds * 1000);
  // Pick up work a previous run (or another replica) left unfinished.
  void engine.resync.runOnce().catch((err) => log.error({ err }, 'startup resync failed'));
  log.info({ port, mode: config.mode, frontEnds: frontEnds.names }, 'envbot started');

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      log.info('shutting down: handing back long waits and releasing leases');
      // 1. Take no new work: no deliveries, task events, sweeps, resyncs or reconciles start now.
      frontEnds.stopTakingWork();
      await background.stop();
      // 2. Long waits (health, builds) end and are handed back; every lease is released, so
      //    another replica resumes at once. This must not wait for the work itself to finish.
      await engine.stop();
      // 3. The doors: answered work gets a moment, unfinished GitHub deliveries are handed back.
      //    Then the server (dashboard streams close with their front end first).
      await frontEnds.stop();
      await server.close();
      await runtime.stop();
    })());
  return { port, config, engine, server, runtime, stop, frontEnds, background };
}

export function banner(config: Config, port: number, frontEnds: string[]): string {
  const url = `http://localhost:${port}`;
  if (config.mode === 'local') {
    // The CLI looks for the bot on port 3000 unless told otherwise.
    const cli = port === 3000 ? 'npm run envbot --' : `PORT=${port} npm run envbot --`;
    return [
      `envbot is running in LOCAL mode (embedded store in ${config.dataDir}/, AWS emulator on this machine).`,
      frontEnds.includes('dashboard') ? `  Dashboard:   ${url}/` : `  Dashboard:   off (ENVBOT_DASHBOARD=false)`,
      `  Try it:      ${cli} up demo     (then: list, stop demo, down demo)`,
      `  Go live:     set AWS credentials and the CDK stack outputs (see README "Deploy"), and SLACK_BOT_TOKEN/SLACK_SIGNING_SECRET.`,
      `  Stop:        Ctrl-C (stops the emulator too)`,
    ].join('\n');
  }
  return `envbot is running against AWS (${config.aws.region}) on ${url}; front ends: ${frontEnds.join(', ') || 'none (API only)'}.`;
}

async function run(): Promise<void> {
  let bot: Awaited<ReturnType<typeof startBot>>;
  try {
    bot = await startBot();
  } catch (err) {
    if (err instanceof ConfigError || err instanceof MotoUnavailableError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  process.stdout.write(`${banner(bot.config, bot.port, bot.frontEnds.names)}\n`);
  const shutdown = (signal: string) => {
    process.stderr.write(`\n${signal}: stopping envbot…\n`);
    // Past the budget, leave anyway: the leases still held expire on their own.
    setTimeout(() => {
      process.stderr.write(`shutdown took over ${SHUTDOWN_BUDGET_MS / 1000} s; exiting\n`);
      process.exit(1);
    }, SHUTDOWN_BUDGET_MS).unref();
    bot.stop().then(
      () => process.exit(0),
      (err) => {
        process.stderr.write(`shutdown failed: ${(err as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

if (import.meta.url === `file://${process.argv[1]}`) void run();
