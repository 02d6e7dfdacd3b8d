import { randomBytes } from 'node:crypto';
import { resolveActor } from '../commands/execute.js';
import { idsOf, type Actor } from '../commands/actor.js';
import { readBody, sendJson, type HttpServer } from '../http/server.js';
import { chartCaption, costChartSvg, type WeekChartSource } from './cost-chart.js';
import { renderEnvTable } from './env-table.js';
import { sameOriginWrite, type Guarded } from './gate.js';
import type { LiveFeed } from './live-feed.js';
import { renderPage } from './page.js';
import type { DashboardOptions } from './options.js';
import type { EnvRow } from './rows.js';

/** What the route handlers share; built once by registerDashboard. */
export interface RouteDeps {
  guarded: Guarded;
  local: boolean;
  o: DashboardOptions;
  feed: LiveFeed;
  rows: () => Promise<EnvRow[]>;
  chartSource: WeekChartSource | undefined;
  costTracked: boolean;
}

/** The page, its event stream and its chart. */
export function addPageRoutes(server: HttpServer, d: RouteDeps): void {
  const { o, local } = d;
  const page = d.guarded(async (_req, res, actor) => {
    // A fresh nonce per response: only the page's own inline style and script may run.
    const nonce = randomBytes(16).toString('base64');
    const body = renderPage({
      me: (await myIds(d, actor)).join(' '),
      local,
      limitations: o.limitations,
      table: renderEnvTable(await d.rows(), { local }),
      chartCaption: chartCaption({ local, tracked: d.costTracked }),
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
  server.route('GET', '/dashboard/', page);
  // Behind the ALB only /dashboard paths pass its OIDC login, so in AWS `/` just points there.
  server.route('GET', '/', local ? page : (_req, res) => void res.writeHead(302, { location: '/dashboard' }).end());

  server.route('GET', '/dashboard/events', d.guarded((req, res) => d.feed.attach(req, res)));

  server.route(
    'GET',
    '/dashboard/cost-chart.svg',
    d.guarded(async (_req, res) => {
      const svg = await costChartSvg(d.chartSource, o.engine.ctx.now(), o.config.timezone);
      res.writeHead(200, {
        'content-type': 'image/svg+xml; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      });
      res.end(svg);
    }),
  );
}

/** JSON for the page's script (and for people and tests): environments, commands, the runtime. */
export function addApiRoutes(server: HttpServer, d: RouteDeps): void {
  const { o, local } = d;
  server.route(
    'GET',
    '/dashboard/api/environments',
    d.guarded(async (_req, res, actor) => {
      sendJson(res, 200, { me: actor.id, myIds: await myIds(d, actor), mode: o.config.mode, environments: await d.rows() });
    }),
  );

  server.route(
    'POST',
    '/dashboard/api/command',
    d.guarded(async (req, res, actor) => {
      if (!sameOriginWrite(req)) return sendJson(res, 403, { error: 'send JSON from the dashboard page itself' });
      const text = await commandText(req);
      if (text === undefined) return sendJson(res, 400, { error: 'send JSON like {"text": "up feature-x"}' });
      // The same grammar, access checks and audit as /env in Slack; the actor is the dashboard user.
      const result = await o.engine.runText({ actor }, text);
      // Push the change to every open page now rather than at the next poll.
      await d.feed.refresh();
      sendJson(res, result.kind === 'error' ? 500 : 200, { kind: result.kind, text: result.text });
    }),
  );

  server.route(
    'GET',
    '/dashboard/api/runtime',
    d.guarded((_req, res) => {
      sendJson(res, 200, {
        mode: o.config.mode,
        limitations: o.limitations,
        // Only locally: where the emulator is, so a person (or a test) can look inside it.
        ...(local && o.runtime?.emulatorEndpoint && { emulator: { endpoint: o.runtime.emulatorEndpoint, region: o.config.aws.region } }),
        ...(local && o.runtime?.infra && { infra: o.runtime.infra }),
      });
    }),
  );
}

/** Every id the viewer answers to (linked doors included), so "mine" matches any of them. */
async function myIds(d: RouteDeps, actor: Actor): Promise<string[]> {
  return idsOf(await resolveActor(d.o.engine.ctx, actor));
}

async function commandText(req: Parameters<typeof readBody>[0]): Promise<string | undefined> {
  try {
    const text = (JSON.parse(await readBody(req, 4096)) as { text?: unknown }).text;
    return typeof text === 'string' && text.trim() !== '' ? text : undefined;
  } catch {
    return undefined;
  }
}
