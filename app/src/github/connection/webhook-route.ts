import type { IncomingMessage } from 'node:http';
import type { Webhooks } from '@octokit/webhooks';
import type { Logger } from 'pino';
import type { Receipt } from '../../aws/delivery-inbox.js';
import { readBody, sendJson, type HttpServer } from '../../http/server.js';
import type { GitHubInbox } from './inbox.js';
import type { RepoRef } from './repo-ref.js';
import { triage } from './triage.js';

export const WEBHOOK_PATH = '/github/webhooks';
/**
 * GitHub caps payloads at 25 MB, but envbot reads only small parts of small events; a push with
 * huge commit lists is the only thing this refuses (413, visible in GitHub's delivery log).
 */
const MAX_BODY_BYTES = 5 * 1024 * 1024;

export interface WebhookRouteOptions {
  server: HttpServer;
  webhooks: Pick<Webhooks, 'verify'>;
  inbox: Pick<GitHubInbox, 'receive' | 'accepted'>;
  log: Logger;
  /** When set, deliveries from other repositories are ignored. */
  served?: RepoRef;
}

/**
 * `POST /github/webhooks`: verify, triage, record, answer — then act from the inbox. The one
 * durable write before the answer both records the delivery and de-duplicates it, so a 202 means
 * "will be handled, at least once" and a redelivery of anything unfinished is taken again. Nothing
 * before the answer talks to GitHub, so it comes well inside GitHub's 10 seconds; nothing that
 * fails a check is recorded, so a bad delivery changes nothing.
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
    let receipt: Receipt;
    try {
      receipt = await o.inbox.receive(delivery, t.event);
    } catch (err) {
      if ((err as { code?: string }).code === 'EVENT_TOO_LARGE') return sendJson(res, 413, { error: (err as Error).message });
      // Fail closed: unrecorded, it could be lost; GitHub shows the failure and can redeliver.
      log.error({ err }, 'recording the delivery failed');
      return sendJson(res, 503, { error: 'envbot cannot record deliveries right now; redeliver later' });
    }
    if (receipt === 'done') return sendJson(res, 200, { duplicate: delivery });
    sendJson(res, 202, { accepted: delivery, ...(receipt === 'again' && { redelivered: true }) });
    o.inbox.accepted(delivery);
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
