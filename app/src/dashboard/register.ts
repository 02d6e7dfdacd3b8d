import { userInfo } from 'node:os';
import type { HttpServer } from '../http/server.js';
import { AlbOidcVerifier } from './alb-oidc.js';
import { weekChartSourceOf } from './cost-chart.js';
import { renderEnvTable } from './env-table.js';
import { guard, localGate, oidcGate, type Gate } from './gate.js';
import { LiveFeed, type Snapshot } from './live-feed.js';
import { noticeText } from './notice-text.js';
import { buildRows, CostCache } from './rows.js';
import { addApiRoutes, addPageRoutes, type RouteDeps } from './routes.js';
import type { DashboardEngine, DashboardOptions } from './options.js';
import { readDashboardSettings } from './settings.js';

export type { DashboardEngine, DashboardOptions };

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
  const rows = () => buildRows({ store: o.engine.store, ctx: rowCtx, local, now: o.engine.ctx.now(), timezone: o.config.timezone, costCache });
  const snapshot = async (): Promise<Snapshot> => {
    const r = await rows();
    return { rows: r, html: renderEnvTable(r, { local }).value };
  };
  const feed = new LiveFeed({ snapshot, describe: (rec, n) => noticeText(rec, n, { local, timezone: o.config.timezone }), log: o.log });
  o.engine.notifier.add(feed);

  const deps: RouteDeps = { guarded: guard(gate), local, o, feed, rows, chartSource, costTracked };
  addPageRoutes(server, deps);
  addApiRoutes(server, deps);

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
