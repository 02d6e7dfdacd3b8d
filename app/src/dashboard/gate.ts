import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Actor } from '../commands/actor.js';
import { sendJson } from '../http/server.js';
import type { AlbOidcVerifier } from './alb-oidc.js';

/**
 * Who may use the dashboard, decided per request:
 * - local mode: only this machine (loopback address *and* a loopback Host header, so a web page
 *   that rebinds its DNS name to 127.0.0.1 cannot read or drive the local bot);
 * - AWS mode: only requests the ALB authenticated, proven by a verified `x-amzn-oidc-data` token.
 * The actor's id is the OS user locally (`cli:<user>`, so "mine" matches what the CLI creates) and
 * the OIDC email (else subject) in AWS (`oidc:<email>`).
 */
export type GateResult = { ok: true; actor: Actor } | { ok: false; status: number; error: string };
export type Gate = (req: IncomingMessage) => Promise<GateResult>;

const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const LOOPBACK_HOST = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/i;

export function localGate(user: string): Gate {
  const actor: Actor = { id: `cli:${user}`, source: 'dashboard' };
  return async (req) => {
    if (LOOPBACK_ADDRESSES.has(req.socket.remoteAddress ?? '') && LOOPBACK_HOST.test(req.headers.host ?? '')) return { ok: true, actor };
    return { ok: false, status: 403, error: 'the local dashboard answers only on this machine (open it at http://localhost)' };
  };
}

export function oidcGate(verifier: AlbOidcVerifier, onReject: (reason: string) => void = () => {}): Gate {
  return async (req) => {
    const token = req.headers['x-amzn-oidc-data'];
    if (typeof token !== 'string' || token === '') {
      return { ok: false, status: 401, error: 'sign in through the load balancer: open the dashboard at https://<bot host>/dashboard' };
    }
    try {
      const identity = await verifier.verify(token);
      // Without a verified email, the subject: marked so a subject that looks like an email is never taken for one.
      const who = identity.email ?? (identity.sub.includes('@') ? `sub:${identity.sub}` : identity.sub);
      const id = `oidc:${who.slice(0, 128).toLowerCase()}`;
      return { ok: true, actor: { id, source: 'dashboard', ...(identity.name && { name: identity.name }) } };
    } catch (err) {
      onReject((err as Error).message);
      return { ok: false, status: 401, error: 'your sign-in could not be verified: reload the page to sign in again' };
    }
  };
}

export type GuardedHandler = (req: IncomingMessage, res: ServerResponse, actor: Actor) => Promise<void> | void;
export type Guarded = (handler: GuardedHandler) => (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** Wraps every dashboard handler: the gate first, then security headers on whatever it sends. */
export function guard(gate: Gate): Guarded {
  return (handler) => async (req, res) => {
    const verdict = await gate(req);
    if (!verdict.ok) return sendJson(res, verdict.status, { error: verdict.error });
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('x-frame-options', 'DENY');
    await handler(req, res, verdict.actor);
  };
}

/**
 * Refuses cross-site writes: a POST must be JSON (so a browser would need a CORS preflight, which
 * the bot never grants) and, if the browser names its origin, come from the dashboard's own host.
 */
export function sameOriginWrite(req: IncomingMessage): boolean {
  if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
