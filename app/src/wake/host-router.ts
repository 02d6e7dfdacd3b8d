import type { IncomingMessage, ServerResponse } from 'node:http';
import { RESERVED_NAMES } from '../environments/names.js';
import { envNameFromHost, sourceAddress, type WakeDoor } from './door.js';
import { emulatedResponse, type EmulatedEnvironment } from './emulated-page.js';
import { wantsHtml, type DoorResponse } from './pages.js';

/**
 * Requests by Host header. The bot's server answers its own host (envbot.<domain>, or the bare
 * `localhost:<port>` locally) as before; requests for `<name>.<domain>` reach it only when an
 * environment's rule forwards to the bot's waking target group (AWS) or, locally, because
 * browsers resolve `*.localhost` to the loopback address. Those go to the waking door; locally a
 * running environment gets the emulated page instead (no real container answers there).
 * Foreign hosts are not ours: the server handles them as before (the ALB never sends them).
 */
export type HostKind = { kind: 'environment'; name: string } | { kind: 'bot' } | { kind: 'other' };

export function classifyHost(host: string | undefined, domain: string): HostKind {
  const h = (host ?? '').toLowerCase().replace(/:\d+$/, '');
  const d = domain.toLowerCase();
  if (h === d || [...RESERVED_NAMES].some((r) => h === `${r}.${d}`)) return { kind: 'bot' };
  const name = envNameFromHost(host, domain);
  return name ? { kind: 'environment', name } : { kind: 'other' };
}

export interface HostRouterOptions {
  domain: string;
  door: WakeDoor;
  /** Local mode only: the emulated view of a running environment; undefined = not running (the door answers). */
  emulated?: (name: string) => Promise<EmulatedEnvironment | undefined>;
  onError?: (err: unknown, name: string) => void;
}

/**
 * `(req, res) => boolean`: true when the request was for an environment's host and is being
 * answered here; false to let the server route it as before. Mount it first in the HTTP server.
 */
export function createHostRouter(o: HostRouterOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const host = classifyHost(req.headers.host, o.domain);
    if (host.kind !== 'environment') return false;
    answer(o, host.name, req)
      .catch((err): DoorResponse => {
        o.onError?.(err, host.name);
        return { status: 503, headers: { 'retry-after': '10', 'content-type': 'text/plain' }, body: 'Temporarily unavailable; retry shortly.\n' };
      })
      .then((r) => {
        res.writeHead(r.status, r.headers);
        res.end(req.method === 'HEAD' ? undefined : r.body);
      })
      // The client went away mid-answer: nothing left to tell it.
      .catch(() => res.destroy());
    return true;
  };
}

async function answer(o: HostRouterOptions, name: string, req: IncomingMessage): Promise<DoorResponse> {
  const view = o.emulated ? await o.emulated(name) : undefined;
  if (view) return emulatedResponse(view, wantsHtml(req.headers.accept));
  return o.door.answer({ host: req.headers.host, accept: req.headers.accept, source: sourceAddress(req) });
}
