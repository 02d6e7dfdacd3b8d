import type { Octokit } from '@octokit/rest';
import { Webhooks } from '@octokit/webhooks';
import type { Logger } from 'pino';
import type { DeliveryInboxStore, FailedDelivery } from '../aws/delivery-inbox.js';
import type { CommitResolver } from '../builds/commit-resolver.js';
import type { Config } from '../config.js';
import type { DoorPort } from '../frontdoor/door-port.js';
import type { Notifier } from '../environments/notifier-port.js';
import type { HttpServer } from '../http/server.js';
import { GitHubCommitResolver } from './connection/commit-resolver.js';
import { Conversation } from './progress/conversation.js';
import type { GitHubDeps } from './deps.js';
import { Deployments } from './progress/deployments.js';
import { KeyedMutex } from './progress/keyed-mutex.js';
import { GitHubInbox, type InboxTuning } from './connection/inbox.js';
import { reportGaveUp } from './connection/inbox-report.js';
import { GitHubNotifier } from './progress/notifier.js';
import { createOctokit } from './connection/octokit.js';
import { WritePermissions } from './access/permissions.js';
import { repoFromFullName } from './connection/repo-ref.js';
import { RepoSettingsLoader } from './connection/repo-settings.js';
import { DEFAULT_LIMITS, type SettingsLimits } from './connection/repo-settings-schema.js';
import { handleEvent } from './connection/router.js';
import { StatusComments } from './progress/status-comment.js';
import { StatusPublisher } from './progress/status-publisher.js';
import { registerWebhookRoute } from './connection/webhook-route.js';

export interface GitHubFrontEndOptions {
  engine: DoorPort;
  config: Config;
  log: Logger;
  server: HttpServer;
  /** Defaults to one built from `config.github` (token or GitHub App, retry + throttling). */
  octokit?: Octokit;
  /** What `.envbot.yml` may ask for (default: sizes up to m, any port). */
  settingsLimits?: SettingsLimits;
  /** How long a "has write access" answer is trusted (default 60 s). */
  permissionTtlMs?: number;
  /** Retry, lease and sweep timing of the delivery inbox (production defaults otherwise). */
  inbox?: InboxTuning;
  /** Defaults to DynamoDB in the bot's table. */
  inboxStore?: DeliveryInboxStore;
}

export interface GitHubFrontEnd {
  /** Already added to `engine.notifier`; do not add it again. */
  notifier: Notifier;
  commitResolver: CommitResolver;
  octokit: Octokit;
  /** Tests: resolves when accepted deliveries and the engine work they started are all done. */
  idle(): Promise<void>;
  /** Looks for unfinished deliveries now (it also does at start and on a timer). */
  sweep(): Promise<void>;
  /** Deliveries that failed their last attempt (waiting for a redelivery). */
  failures(): Promise<FailedDelivery[]>;
  /** Shutdown step 1: run no more deliveries (no sweeps, no retries). */
  stopTakingWork(): void;
  /** Shutdown: running deliveries get a moment, the rest are handed back. Never waits for the engine. */
  stop(): Promise<void>;
}

/**
 * The GitHub front end: `POST /github/webhooks` on the bot's server, PR-comment commands, the
 * living status comment and deployments, teardown on merge. Needs `github.webhookSecret`.
 */
export function createGitHubFrontEnd(opts: GitHubFrontEndOptions): GitHubFrontEnd {
  const { engine, config, server } = opts;
  const secret = config.github.webhookSecret;
  if (!secret) throw new Error('starting the GitHub front end: GITHUB_WEBHOOK_SECRET is not configured');
  const log = opts.log.child({ component: 'github' });
  const octokit = opts.octokit ?? createOctokit(config.github, log);
  const publisher = new StatusPublisher({
    ctx: engine.ctx,
    reports: engine.reports,
    comments: new StatusComments(octokit),
    deployments: new Deployments(octokit),
    mutex: new KeyedMutex(),
    log,
  });
  const deps: GitHubDeps = {
    engine,
    octokit,
    log,
    allowForks: config.github.allowForks,
    permissions: new WritePermissions(octokit, opts.permissionTtlMs),
    settings: new RepoSettingsLoader(octokit, opts.settingsLimits ?? DEFAULT_LIMITS),
    conversation: new Conversation(octokit),
    publisher,
  };
  const notifier = new GitHubNotifier(publisher);
  engine.notifier.add(notifier);

  const inbox = new GitHubInbox({
    store: opts.inboxStore ?? engine.deliveries,
    handle: (event) => handleEvent(deps, event),
    onGaveUp: (failure) => reportGaveUp({ store: engine.store, conversation: deps.conversation, now: engine.ctx.now }, failure),
    log,
    ...(opts.inbox && { tuning: opts.inbox }),
  });
  const served = config.github.repository ? repoFromFullName(config.github.repository) : undefined;
  registerWebhookRoute({ server, webhooks: new Webhooks({ secret }), inbox, log, ...(served && { served }) });
  inbox.start();

  return {
    notifier,
    commitResolver: new GitHubCommitResolver(octokit, engine.store, config.github.repository),
    octokit,
    async idle() {
      // Handlers kick the reconciler, whose notices call GitHub again: wait until both are quiet.
      do {
        await inbox.idle();
        await engine.idle();
      } while (inbox.busy);
    },
    sweep: () => inbox.sweep(),
    failures: () => inbox.failures(),
    stopTakingWork: () => inbox.stopTakingWork(),
    stop: () => inbox.stop(),
  };
}
