import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { userInfo } from 'node:os';
import type { Logger } from 'pino';
import type { CommandContext, CommandResult, Invocation } from '../commands/context.js';
import type { Config } from '../config.js';
import type { Notifier } from '../environments/notifier-port.js';
import type { EnvironmentStore } from '../environments/store-port.js';
import { readBody, sendJson, type HttpServer } from '../http/server.js';
import { AlbOidcVerifier, type KeyFetcher } from './alb-oidc.js';
import { chartCaption, costChartSvg, weekChartSourceOf } from './cost-chart.js';
import { renderEnvTable } from './env-table.js';
import { localGate, oidcGate, sameOriginWrite, type Gate } from './gate.js';
import { LiveFeed, type Snapshot } from './live-feed.js';
import { noticeText } from './notice-text.js';
import { renderPage } from './page.js';
import { buildRows, CostCache } from './rows.js';
import { readDashboardSettings } from './settings.js';

/** The part of the engine the dashboard uses (the real `Engine` fits; tests pass a small fake). */
export interface DashboardEngine {
  store: Pick<EnvironmentStore, 'list'>;
  notifier: { add(sink: Notifier): void };
  ctx: Pick<CommandContext, 'extendPort' | 'costPort' | 'now'>;
  runText(inv: Invocation, text: string): Promise<CommandResult>;
}

export interface DashboardOptions {
  engine: DashboardEngine;
  config: Config;
  /** What the local emulator cannot do (LOCAL_LIMITATIONS); empty in AWS. */
  limitations: string[];
  log: Logger;
  env?: NodeJS.ProcessEnv;
  /** Local mode: where the emulator answers and what shared resources it holds, for tests and tools. */
  runtime?: { emulatorEndpoint?: string; infra?: object };
  /** Tests inject their own key source; production fetches AWS's published ALB keys. */
  fetchKey?: KeyFetcher;
  /** The OS user the local dashboard acts as (defaults to the current one, like the CLI). */
  localUser?: string;
}

export interface Dashboard {
  enabled: boolean;
  feed?: LiveFeed;
  stop(): Promise<void>;
}

/**
 * The web dashboard: `GET /` (and `/dashboard`) serves the page; `/dashboard/events` streams
 * changes; `/dashboard/api/*` lists environments, runs commands (the `/env` grammar) and
 * describes the local runtime; `/dashboard/cost-chart.svg` draws the week's cost. In AWS mode it
 * is not registered at all (404) unless enabled, and then every route requires the ALB's verified
 * OIDC identity.
 */
export function registerDashboard(server: HttpServer, o: DashboardOptions): Dashboard {
  const settings = readDashboardSettings(o.config, o.env ?? process.env);
  if (!settings.enabled) return { enabled: false, stop: async () => {} };
  const local = o.config.mode === 'local';
  const gate: Gate = settings.oidc
    ? oidcGate(
        new AlbOidcVerifier({
          ...settings.oidc,
          ...(o.fetchKey && { fetchKey: o.fetchKey }),
        }),
        (reason) => o.log.warn({ reason }, 'dashboard: rejected an identity token'),
      )
    : localGate(o.localUser ?? osUser());
  const costCache = new CostCache();
  const chartSource = weekChartSourceOf(o.engine.ctx.costPort);
  // In AWS the ledger only fills from ECS task events: without their queue a "$0.00" would be a lie.
  const costTracked = Boolean(o.engine.ctx.costPort?.costSoFar) && (local || Boolean(o.config.eventsQueueUrl));
  const rowCtx = { extendPort: o.engine.ctx.extendPort, ...(costTracked && { costPort: o.engine.ctx.costPort }) };
  const rows = () => buildRows({ store: o.engine.store, ctx: rowCtx, local, now: o.engine.ctx.now(), costCache });
  const snapshot = async (): Promise<Snapshot> => {
    const r = await rows();
    return { rows: r, html: renderEnvTable(r, { local }).value };
  };
  const feed = new LiveFeed({ snapshot, describe: (rec, n) => noticeText(rec, n, local), log: o.log });
  o.engine.notifier.add(feed);

  /** Wraps a handler: the gate first, then security headers on whatever it sends. */
  const guarded =
    (handler: (req: IncomingMessage, res: ServerResponse, actor: Invocation['actor']) => Promise<void> | void) =>
    async (req: IncomingMessage, res: ServerResponse) => {
      const verdict = await gate(req);
      if (!verdict.ok) return sendJson(res, verdict.status, { error: verdict.error });
      res.setHeader('x-content-type-options', 'nosniff');
      res.setHeader('referrer-policy', 'no-referrer');
      res.setHeader('x-frame-options', 'DENY');
      await handler(req, res, verdict.actor);
    };

  const page = guarded(async (_req, res, actor) => {
    const nonce = randomBytes(16).toString('base64');
    const r = await rows();
    const body = renderPage({
      me: actor.id,
      local,
      limitations: o.limitations,
      table: renderEnvTable(r, { local }),
      chartCaption: chartCaption({ local, tracked: costTracked }),
      nonce,
    });
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy':
        `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; img-src 'self' data:; ` +
        "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    });
    res.end(body);
  });
  server.route('GET', '/dashboard', page);
  // Behind the ALB only /dashboard paths pass its OIDC login, so `/` just points there.
  server.route('GET', '/', local ? page : (_req, res) => void res.writeHead(302, { location: '/dashboard' }).end());

  server.route('GET', '/dashboard/events', guarded((req, res) => feed.attach(req, res)));

  server.route(
    'GET',
    '/dashboard/api/environments',
    guarded(async (_req, res, actor) => {
      sendJson(res, 200, { me: actor.id, mode: o.config.mode, environments: await rows() });
    }),
  );

  server.route(
    'POST',
    '/dashboard/api/command',
    guarded(async (req, res, actor) => {
      if (!sameOriginWrite(req)) return sendJson(res, 403, { error: 'send JSON from the dashboard page itself' });
      let text: unknown;
      try {
        text = (JSON.parse(await readBody(req, 4096)) as { text?: unknown }).text;
      } catch {
        text = undefined;
      }
      if (typeof text !== 'string' || text.trim() === '') return sendJson(res, 400, { error: 'send JSON like {"text": "up feature-x"}' });
      const result = await o.engine.runText({ actor }, text);
      // Push the change to every open page now rather than at the next poll.
      await feed.refresh();
      sendJson(res, result.kind === 'error' ? 500 : 200, { kind: result.kind, text: result.text });
    }),
  );

  server.route(
    'GET',
    '/dashboard/cost-chart.svg',
    guarded(async (_req, res) => {
      const svg = await costChartSvg(chartSource, o.engine.ctx.now(), o.config.timezone);
      res.writeHead(200, {
        'content-type': 'image/svg+xml; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      });
      res.end(svg);
    }),
  );

  server.route(
    'GET',
    '/dashboard/api/runtime',
    guarded((_req, res) => {
      sendJson(res, 200, {
        mode: o.config.mode,
        limitations: o.limitations,
        // Only locally: where the emulator is, so a person (or a test) can look inside it.
        ...(local && o.runtime?.emulatorEndpoint && { emulator: { endpoint: o.runtime.emulatorEndpoint, region: o.config.aws.region } }),
        ...(local && o.runtime?.infra && { infra: o.runtime.infra }),
      });
    }),
  );

  return {
    enabled: true,
    feed,
    stop: async () => feed.close(),
  };
}

/** The same id the CLI's requests end up with (api.ts keeps only [\w.@-]), so "mine" matches. */
function osUser(): string {
  let name = 'operator';
  try {
    name = userInfo().username;
  } catch {
    // no passwd entry (some containers)
  }
  return name.replace(/[^\w.@-]/g, '').slice(0, 64) || 'operator';
}
