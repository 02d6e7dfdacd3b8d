import type { IncomingMessage } from 'node:http';
import type { Webhooks } from '@octokit/webhooks';
import type { Logger } from 'pino';
import type { EnvironmentStore } from '../environments/store-port.js';
import { readBody, sendJson, type HttpServer } from '../http/server.js';
import type { BackgroundWork } from './background.js';
import type { RepoRef } from './repo-ref.js';
import { triage, type GitHubEvent } from './triage.js';

export const WEBHOOK_PATH = '/github/webhooks';
/**
 * GitHub caps payloads at 25 MB, but envbot reads only small parts of small events; a push with
 * huge commit lists is the only thing this refuses (413, visible in GitHub's delivery log).
 */
const MAX_BODY_BYTES = 5 * 1024 * 1024;
/** GitHub lets a person redeliver for 3 days; remembering a week covers that with margin. */
export const DELIVERY_TTL_SECONDS = 7 * 24 * 3600;

export interface WebhookRouteOptions {
  server: HttpServer;
  webhooks: Pick<Webhooks, 'verify'>;
  store: EnvironmentStore;
  log: Logger;
  /** When set, deliveries from other repositories are ignored. */
  served?: RepoRef;
  background: BackgroundWork;
  handle: (event: GitHubEvent, delivery: string) => Promise<void>;
}

/**
 * `POST /github/webhooks`: verify, triage, dedupe, answer — then act in the background. Nothing
 * before the answer talks to GitHub, so the answer comes well inside GitHub's 10 seconds; nothing
 * that fails a check reaches a handler, so a bad delivery changes nothing.
 */
export function registerWebhookRoute(o: WebhookRouteOptions): void {
  o.server.route('POST', WEBHOOK_PATH, async (req, res, requestId) => {
    const name = header(req, 'x-github-event');
    const delivery = header(req, 'x-github-delivery');
    const log = o.log.child({ requestId, delivery, event: name });
    let raw: string;
    try {
      raw = await readBody(req, MAX_BODY_BYTES);
    } catch (err) {
      if ((err as { code?: string }).code !== 'BODY_TOO_LARGE') throw err;
      return sendJson(res, 413, { error: 'payload too large' });
    }
    const signature = header(req, 'x-hub-signature-256');
    if (!signature || !(await o.webhooks.verify(raw, signature).catch(() => false))) {
      log.warn('webhook signature missing or wrong; ignored');
      return sendJson(res, 401, { error: 'signature does not match (check the webhook secret)' });
    }
    if (!name || !delivery) return sendJson(res, 400, { error: 'X-GitHub-Event and X-GitHub-Delivery headers are required' });
    const payload = parsePayload(raw, header(req, 'content-type'));
    if (payload === undefined) return sendJson(res, 400, { error: 'the payload is not valid JSON' });

    const t = triage(name, payload, o.served);
    if (t.kind === 'ping') return sendJson(res, 200, { ok: true });
    if (t.kind === 'malformed') {
      log.warn({ reason: t.reason }, 'malformed webhook payload');
      return sendJson(res, 400, { error: t.reason });
    }
    if (t.kind === 'ignore') {
      log.debug({ reason: t.reason }, 'webhook ignored');
      return sendJson(res, 202, { ignored: t.reason });
    }
    let first: boolean;
    try {
      first = await o.store.markOnce('github-delivery', delivery, DELIVERY_TTL_SECONDS);
    } catch (err) {
      // Fail closed: without the dedupe record we cannot promise "never twice"; GitHub shows the
      // failure and a person can redeliver once the store is back.
      log.error({ err }, 'delivery dedupe unavailable');
      return sendJson(res, 503, { error: 'envbot cannot record deliveries right now; redeliver later' });
    }
    if (!first) return sendJson(res, 200, { duplicate: delivery });
    sendJson(res, 202, { accepted: delivery });
    o.background.run(() =>
      o.handle(t.event, delivery).catch((err) => log.error({ err }, 'handling the webhook failed')),
    );
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** JSON, or the form encoding GitHub also offers (`payload=<json>`). */
function parsePayload(raw: string, contentType: string | undefined): unknown {
  const text = contentType?.startsWith('application/x-www-form-urlencoded') ? new URLSearchParams(raw).get('payload') ?? '' : raw;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
