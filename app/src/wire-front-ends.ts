import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Engine } from './engine/engine.js';
import type { HttpServer } from './http/server.js';
import type { Runtime } from './local/local-runtime.js';
import type { Octokit } from './github/connection/octokit.js';
import type { CostService } from './cost/cost-service.js';
import { registerDashboard } from './dashboard/register.js';
import { createGitHubFrontEnd } from './github/github-app.js';
import type { InboxTuning } from './github/connection/inbox.js';
import type { FailedDelivery } from './aws/delivery-inbox.js';
import { startCostSummaries } from './slack/cost-summary-poster.js';
import { createSlackFrontEnd } from './slack/slack-app.js';

export interface FrontEnds {
  names: string[];
  /** Shutdown step 1: start nothing new (GitHub deliveries stay in the inbox for the next run). */
  stopTakingWork(): void;
  /** Shutdown, after the engine handed back its work: finish or hand back what the doors started. */
  stop(): Promise<void>;
  /** GitHub deliveries that kept failing (for the operator API); absent without GitHub. */
  githubFailures?: () => Promise<FailedDelivery[]>;
}

export interface FrontEndOptions {
  engine: Engine;
  config: Config;
  log: Logger;
  server: HttpServer;
  runtime: Runtime;
  env: NodeJS.ProcessEnv;
  cost?: CostService;
  octokit?: Octokit;
  /** Tests: shorter inbox waits. */
  inbox?: InboxTuning;
}

/** What the attached front ends need at shutdown, collected as they are attached. */
interface Attached {
  names: string[];
  stops: (() => Promise<void>)[];
  pauses: (() => void)[];
}

/**
 * Attaches the optional front ends (Slack, GitHub, dashboard) and the optional engine modules
 * (builds, schedules, cost) that the configuration enables.
 */
export async function wireFrontEnds(o: FrontEndOptions): Promise<FrontEnds> {
  const attached: Attached = { names: [], stops: [], pauses: [] };
  await attachSlack(o, attached);
  const githubFailures = attachGitHub(o, attached);
  const { names, stops, pauses } = attached;

  // --- dashboard (app/src/dashboard/) -------------------------------------------------------
  // Local mode: on, loopback only. AWS: off (404) unless ENVBOT_DASHBOARD, then ALB OIDC only.
  const dashboard = registerDashboard(o.server, {
    engine: o.engine,
    config: o.config,
    limitations: o.runtime.limitations,
    log: o.log,
    env: o.env,
    runtime: {
      ...(o.config.mode === 'local' && o.config.aws.endpoint && { emulatorEndpoint: o.config.aws.endpoint }),
      ...(o.runtime.infra && { infra: o.runtime.infra }),
    },
  });
  if (dashboard.enabled) {
    names.push('dashboard');
    stops.push(dashboard.stop);
  }
  // --- end dashboard ---------------------------------------------------------------------------
  return {
    names,
    ...(githubFailures && { githubFailures }),
    stopTakingWork: () => {
      for (const p of pauses) p();
    },
    stop: async () => {
      for (const s of stops) await s();
    },
  };
}

/** Slack: HTTP (signing secret) or Socket Mode (app token); it registers its own notifier. */
async function attachSlack(o: FrontEndOptions, attached: Attached): Promise<void> {
  const slack = o.config.slack;
  if (slack.botToken && (slack.socketMode ? slack.appToken : slack.signingSecret)) {
    const front = await createSlackFrontEnd({ engine: o.engine, config: o.config, log: o.log, server: o.server });
    await front.start();
    attached.names.push(slack.socketMode ? 'slack (socket mode)' : 'slack');
    attached.stops.push(front.stop);
    if (slack.costChannel && o.cost) {
      const poster = startCostSummaries({ engine: o.engine, config: o.config, log: o.log, cost: o.cost });
      attached.stops.push(poster.stop);
    }
  } else if (slack.botToken || slack.signingSecret || slack.appToken) {
    o.log.warn('Slack is only partly configured: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN with SLACK_SOCKET_MODE=true)');
  }
}

/** GitHub: webhook secret plus a token or app credentials; it registers its own notifier. */
function attachGitHub(o: FrontEndOptions, attached: Attached): FrontEnds['githubFailures'] {
  if (o.config.github.webhookSecret && o.octokit) {
    const front = createGitHubFrontEnd({ engine: o.engine, config: o.config, log: o.log, server: o.server, octokit: o.octokit, ...(o.inbox && { inbox: o.inbox }) });
    attached.names.push('github');
    attached.pauses.push(front.stopTakingWork);
    // Not `idle`: that waits for all engine work (builds, health waits), which shutdown hands back.
    attached.stops.push(front.stop);
    return () => front.failures();
  }
  if (o.config.github.webhookSecret || o.octokit) {
    o.log.warn('GitHub is only partly configured: set GITHUB_WEBHOOK_SECRET and GITHUB_TOKEN (or the GitHub App keys)');
  }
  return undefined;
}
