import { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { DoorPort } from '../frontdoor/door-port.js';
import type { Notifier } from '../environments/notifier-port.js';
import type { HttpServer } from '../http/server.js';
import { ActorResolver } from './access/actor-resolver.js';
import { SlackEmailDirectory } from './access/email-directory.js';
import { GroupMembership } from './access/group-membership.js';
import { BackgroundWork } from '../frontdoor/background-work.js';
import { buildBolt } from './connection/bolt-app.js';
import { boltLogger } from './connection/bolt-logger.js';
import { checkToken } from './connection/check-token.js';
import { mountSlackEvents } from './connection/http-mount.js';
import { ReplayGuard } from './connection/replay-guard.js';
import { slackMode } from './connection/slack-mode.js';
import type { SlackDeps } from './deps.js';
import { HomePublisher } from './home-publisher.js';
import { registerAppHome } from './listeners/app-home.js';
import { registerEnvButtons } from './listeners/env-buttons.js';
import { registerExtendModal } from './listeners/extend-modal.js';
import { registerSlashCommand } from './listeners/slash-command.js';
import { SlackNotifier } from './progress/slack-notifier.js';

export { slackMode } from './connection/slack-mode.js';

/** Knobs with production defaults; tests shorten the waits. */
export interface SlackTuning {
  /** Max wait for the durable replay check before the in-memory answer stands (default 1000). */
  replayBudgetMs?: number;
  /** Pause between two updates of one progress message (default 1000). */
  updateIntervalMs?: number;
  /** Pause between two new messages in one channel (default 1100; Slack allows ~1/s). */
  postIntervalMs?: number;
  /** How long user-group members are cached (default 5 min). */
  groupCacheMs?: number;
  /** Web API retries on network errors / 5xx / 429 (default 3). */
  apiRetries?: number;
}

export interface SlackFrontEndOptions {
  engine: DoorPort;
  config: Config;
  log: Logger;
  server: HttpServer;
  tuning?: SlackTuning;
}

export interface SlackFrontEnd {
  /** Already registered with `engine.notifier`; exposed for other producers of notices. */
  notifier: Notifier;
  /** Socket Mode: opens the connection. HTTP: checks the bot token (the route is mounted already). */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Waits for work Slack requests started after their ack, and for queued Slack messages. */
  idle(): Promise<void>;
}

/**
 * The Slack front end on Bolt: `/env`, buttons, the extend modal, App Home, and the notifier that
 * keeps each environment's message up to date. HTTP mode mounts `POST /slack/events` on the bot's
 * one server (signature, timestamp and replay checked before Bolt); Socket Mode needs no route.
 */
export async function createSlackFrontEnd(opts: SlackFrontEndOptions): Promise<SlackFrontEnd> {
  const { engine, config, tuning = {} } = opts;
  const log = opts.log.child({ component: 'slack' });
  const mode = slackMode(config);
  const logger = boltLogger(log);
  const clientOptions = {
    logger,
    ...(config.slack.apiUrl && { slackApiUrl: config.slack.apiUrl }),
    retryConfig: { retries: tuning.apiRetries ?? 3, factor: 2, minTimeout: 500, maxTimeout: 5000 },
    timeout: 10_000,
  };
  const client = new webApi.WebClient(mode.botToken, clientOptions);

  const { app, receiver } = buildBolt(mode, logger, clientOptions);
  app.error(async (err) => log.error({ err, code: err.code }, 'Slack listener failed'));

  const background = new BackgroundWork(log, 'Slack');
  const deps = slackDeps(opts, log, client, background);
  const notifier = deps.notifier;
  registerSlashCommand(app, deps);
  registerEnvButtons(app, deps);
  registerExtendModal(app, deps);
  registerAppHome(app, deps);
  engine.notifier.add(notifier);

  if (mode.kind === 'http') mountHttp(opts, log, receiver.http!, mode.signingSecret);

  const idle = async () => {
    while (background.size > 0) {
      await background.idle();
      await notifier.idle();
    }
    await notifier.idle();
  };
  return {
    notifier,
    idle,
    async start() {
      if (mode.kind === 'socket') await app.start();
      // Its own client without retries: a Slack outage must not hold up the bot's start.
      await checkToken(new webApi.WebClient(mode.botToken, { ...clientOptions, retryConfig: { retries: 0 }, timeout: 5000 }), log);
    },
    async stop() {
      if (mode.kind === 'socket') await app.stop();
      await idle();
    },
  };
}

/** What every Slack listener shares; the notifier keeps each environment's message up to date. */
function slackDeps(opts: SlackFrontEndOptions, log: Logger, client: webApi.WebClient, background: BackgroundWork): SlackDeps {
  const { engine, config, tuning = {} } = opts;
  const notifier = new SlackNotifier({
    client,
    reports: engine.reports,
    log,
    now: () => engine.ctx.now(),
    ...(engine.ctx.costPort && { costPort: engine.ctx.costPort }),
    ...(tuning.updateIntervalMs !== undefined && { updateIntervalMs: tuning.updateIntervalMs }),
    ...(tuning.postIntervalMs !== undefined && { postIntervalMs: tuning.postIntervalMs }),
  });
  // Slack people and dashboard sign-ins with the same confirmed email are one person (opt-in).
  if (config.access.linkByEmail) engine.identities.addDirectory(new SlackEmailDirectory(client));
  return {
    engine,
    client,
    actors: new ActorResolver(config.access, new GroupMembership(client, log, tuning.groupCacheMs)),
    notifier,
    home: new HomePublisher(engine, client),
    background,
    log,
  };
}

/** HTTP mode: `POST /slack/events` on the bot's server, replays refused before Bolt sees them. */
function mountHttp(opts: SlackFrontEndOptions, log: Logger, receiver: Parameters<typeof mountSlackEvents>[0]['receiver'], signingSecret: string): void {
  const tuning = opts.tuning ?? {};
  const guard = new ReplayGuard({
    store: opts.engine.store,
    ...(tuning.replayBudgetMs !== undefined && { budgetMs: tuning.replayBudgetMs }),
    onStoreProblem: (err) => log.warn({ err }, 'replay check fell back to this process\'s memory'),
  });
  mountSlackEvents({ server: opts.server, receiver, signingSecret, guard, log });
}
