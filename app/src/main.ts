import { composeBot, type StartOptions } from './compose.js';
import { ConfigError, type Config } from './config.js';
import { MotoUnavailableError } from './local/moto-process.js';

/**
 * ECS sends SIGKILL `stopTimeout` after SIGTERM (infra/lib/bot-service.ts: 120 s, Fargate's
 * maximum). Shutdown gives up on anything still running well before that: leases then expire.
 */
export const SHUTDOWN_BUDGET_MS = 100_000;

export type { StartOptions };

/** Starts envbot: everything is built by the composition root (compose.ts), then the server listens. */
export async function startBot(env: NodeJS.ProcessEnv = process.env, opts: StartOptions = {}) {
  const { config, log, runtime, engine, server, frontEnds, background } = await composeBot(env, opts);
  const port = await server.listen(config.port, config.mode === 'local' ? '127.0.0.1' : '0.0.0.0');
  // PORT=0 picks a free port: local environment links (http://<name>.localhost:<port>/) need the real one.
  if (config.port === 0) config.port = port;
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
