import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FailedDelivery } from '../aws/delivery-inbox.js';
import type { DoorPort } from '../frontdoor/door-port.js';
import type { Source } from '../environments/record.js';
import { readBody, sendJson, type HttpServer } from './server.js';

export interface ApiOptions {
  engine: DoorPort;
  mode: 'local' | 'aws';
  /** Bearer token required in AWS mode; without one the API is off there. */
  token?: string;
  /** GitHub deliveries that kept failing; undefined when GitHub is off. */
  githubFailures?: () => Promise<FailedDelivery[] | undefined>;
}

/**
 * Loopback peer *and* a loopback Host header: a web page the developer has open cannot reach the
 * local bot through DNS rebinding.
 */
function isLoopback(req: IncomingMessage): boolean {
  const addr = req.socket.remoteAddress ?? '';
  const host = (req.headers.host ?? '').replace(/:\d+$/, '');
  const loopbackPeer = addr === '127.0.0.1' || addr === '::1' || addr === '::ffff:127.0.0.1';
  return loopbackPeer && ['127.0.0.1', 'localhost', '[::1]'].includes(host);
}

/** Browsers cannot send `application/json` cross-site without a preflight we never answer. */
function isJson(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';
}

function tokenMatches(req: IncomingMessage, token: string): boolean {
  const given = Buffer.from((req.headers.authorization ?? '').replace(/^Bearer /, ''));
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/**
 * The operator API the `envbot` CLI (and the local dashboard) use: the same grammar as Slack.
 * Locally it answers only on loopback; in AWS it needs ENVBOT_API_TOKEN.
 */
export function registerApi(server: HttpServer, o: ApiOptions): void {
  const allowed = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (o.mode === 'local' ? isLoopback(req) : o.token !== undefined && tokenMatches(req, o.token)) return true;
    sendJson(res, o.mode === 'local' || o.token ? 401 : 404, {
      error: o.mode === 'local' ? 'the local API answers only on this machine' : o.token ? 'missing or wrong API token' : 'the API is off: set ENVBOT_API_TOKEN',
    });
    return false;
  };
  // The operator's OS user, always in the `cli:` door (the header cannot name another door).
  const actorOf = (req: IncomingMessage, source: Source) => ({
    id: `cli:${String(req.headers['x-envbot-user'] ?? 'operator').replace(/[^\w.@-]/g, '').slice(0, 64) || 'operator'}`,
    source,
  });

  server.route('POST', '/api/command', async (req, res) => {
    if (!allowed(req, res)) return;
    if (!isJson(req)) return sendJson(res, 415, { error: 'send JSON like {"text": "up feature-x"} with content-type application/json' });
    let text: unknown;
    try {
      text = (JSON.parse(await readBody(req, 16_384)) as { text?: unknown }).text;
    } catch {
      return sendJson(res, 400, { error: 'send JSON like {"text": "up feature-x"}' });
    }
    if (typeof text !== 'string') return sendJson(res, 400, { error: 'send JSON like {"text": "up feature-x"}' });
    const source: Source = req.headers['x-envbot-client'] === 'dashboard' ? 'dashboard' : 'cli';
    const result = await o.engine.runText({ actor: actorOf(req, source) }, text);
    if (req.headers['x-envbot-wait'] === 'true') await o.engine.idle();
    sendJson(res, result.kind === 'error' ? 500 : 200, result);
  });

  // Deliveries envbot gave up on after its retries: an operator redelivers them from GitHub once
  // the cause is fixed. Behind the API's token, since errors may name internals.
  server.route('GET', '/api/github/failures', async (req, res) => {
    if (!allowed(req, res)) return;
    const failures = await o.githubFailures?.();
    if (failures === undefined) return sendJson(res, 404, { error: 'GitHub is not configured on this envbot' });
    sendJson(res, 200, { failures });
  });

  server.route('GET', '/api/environments', async (req, res) => {
    if (!allowed(req, res)) return;
    sendJson(res, 200, { environments: await o.engine.store.list() });
  });
}
