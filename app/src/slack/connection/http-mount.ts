import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { BufferedIncomingMessage, HTTPReceiver } from '@slack/bolt';
import type { Logger } from 'pino';
import { readBody, sendJson, type HttpServer } from '../../http/server.js';
import { ReplayGuard } from './replay-guard.js';
import { checkSignature } from './signature.js';

export const SLACK_EVENTS_PATH = '/slack/events';

export interface SlackHttpMountOptions {
  server: HttpServer;
  receiver: HTTPReceiver;
  signingSecret: string;
  guard: ReplayGuard;
  log: Logger;
  nowMs?: () => number;
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return typeof v === 'string' ? v : undefined;
};

/** Slack's SSL check carries no signature; Bolt answers it and strips anything else from it. */
function isSslCheck(req: IncomingMessage, raw: string): boolean {
  return header(req, 'content-type') === 'application/x-www-form-urlencoded' && parseQuery(raw).ssl_check === '1';
}

function refuse(res: ServerResponse, status: number): void {
  res.writeHead(status);
  res.end();
}

/**
 * `POST /slack/events` on the bot's one HTTP server. Order matters:
 *  1. read the body once (size-capped),
 *  2. check signature and timestamp (±5 min) — refused requests touch nothing,
 *  3. refuse a replay of an already-seen signed request (ReplayGuard),
 *  4. hand the request to Bolt's HTTPReceiver with the body pre-buffered (`rawBody`, which Bolt
 *     reads instead of the stream). Bolt verifies again and runs the real listener path.
 */
export function mountSlackEvents(o: SlackHttpMountOptions): void {
  const now = o.nowMs ?? Date.now;
  o.server.route('POST', SLACK_EVENTS_PATH, async (req, res, requestId) => {
    let raw: string;
    try {
      raw = await readBody(req);
    } catch (err) {
      if ((err as { code?: string }).code === 'BODY_TOO_LARGE') {
        // The rest of the body is never read, so this connection cannot carry another request.
        res.setHeader('connection', 'close');
        return sendJson(res, 413, { error: 'request body too large' });
      }
      throw err;
    }
    if (!isSslCheck(req, raw)) {
      const signature = header(req, 'x-slack-signature');
      const timestamp = header(req, 'x-slack-request-timestamp');
      const check = checkSignature({ rawBody: raw, signature, timestamp }, o.signingSecret, now());
      if (!check.ok) {
        o.log.warn({ requestId, reason: check.reason }, 'refused a Slack request');
        return refuse(res, 401);
      }
      if (!(await o.guard.firstTime(ReplayGuard.keyOf(check.hash, check.timestamp)))) {
        o.log.warn({ requestId }, 'refused a replayed Slack request');
        return refuse(res, 401);
      }
    }
    (req as BufferedIncomingMessage).rawBody = Buffer.from(raw, 'utf8');
    o.receiver.requestListener(req, res);
  });
}
