import type { IncomingMessage, ServerResponse } from 'node:http';
import { validateEnvName } from '../environments/names.js';
import { notFoundResponse, stoppedResponse, tooManyResponse, wakingResponse, wantsHtml, type DoorResponse } from './pages.js';
import type { WakePorts } from './ports.js';
import { RateLimiter } from './rate-limit.js';
import { WakeOnce, type WakeOutcome } from './wake-once.js';

/**
 * The waking door: while an environment sleeps, its host rule forwards to the bot, and every
 * request for `<name>.<domain>` lands here. The first one wakes it (exactly once, see WakeOnce);
 * browsers get a page that reloads itself into the app, API clients 503 + Retry-After, unknown or
 * destroyed names 404. Two rate limits: per source address (429 beyond it) and per environment
 * (beyond it the last answer is repeated without touching the store).
 */
export interface WakeDoorOptions {
  domain: string;
  ports: WakePorts;
  perSource?: { capacity: number; perMinute: number };
  perEnvironment?: { capacity: number; perMinute: number };
  now?: () => number;
  onError?: (err: unknown, name: string) => void;
}

export interface DoorRequest {
  host: string | undefined;
  accept: string | undefined;
  /** The client address the ALB saw (see sourceAddress). */
  source: string;
}

export class WakeDoor {
  private readonly once: WakeOnce;
  private readonly bySource: RateLimiter;
  private readonly byEnv: RateLimiter;
  private readonly last = new Map<string, WakeOutcome>();

  constructor(private readonly o: WakeDoorOptions) {
    this.once = new WakeOnce(o.ports);
    const now = o.now ?? Date.now;
    this.bySource = new RateLimiter({ ...(o.perSource ?? { capacity: 30, perMinute: 60 }), now });
    this.byEnv = new RateLimiter({ ...(o.perEnvironment ?? { capacity: 20, perMinute: 120 }), now });
  }

  async answer(req: DoorRequest): Promise<DoorResponse> {
    const html = wantsHtml(req.accept);
    const name = envNameFromHost(req.host, this.o.domain);
    if (!name) return notFoundResponse(undefined, html);
    if (!this.bySource.take(req.source)) return tooManyResponse(this.bySource.retryAfterSeconds(req.source), html);
    const outcome = this.byEnv.take(name) ? await this.wake(name) : (this.last.get(name) ?? 'already-waking');
    return responseFor(outcome, name, html);
  }

  private async wake(name: string): Promise<WakeOutcome> {
    try {
      const outcome = await this.once.wake(name);
      this.last.set(name, outcome);
      if (this.last.size > 10_000) this.last.delete(this.last.keys().next().value!);
      return outcome;
    } catch (err) {
      // The store or the start failed: say "waking" (the client retries) and let the log tell why.
      this.o.onError?.(err, name);
      return 'already-waking';
    }
  }
}

function responseFor(outcome: WakeOutcome, name: string, html: boolean): DoorResponse {
  if (outcome === 'unknown') return notFoundResponse(name, html);
  if (outcome === 'not-wakeable') return stoppedResponse(name, html);
  // 'awake' reaches us only until the rule switch has taken effect: a short retry lands on the app.
  return wakingResponse(name, html, outcome === 'awake' ? 2 : undefined);
}

/** `feature-x.dev.example.com[:443]` → `feature-x` when the domain matches and the label is a valid name. */
export function envNameFromHost(host: string | undefined, domain: string): string | undefined {
  const h = (host ?? '').toLowerCase().replace(/:\d+$/, '');
  const suffix = `.${domain.toLowerCase()}`;
  if (!h.endsWith(suffix)) return undefined;
  const label = h.slice(0, -suffix.length);
  return validateEnvName(label).ok ? label : undefined;
}

/**
 * The address the ALB received the request from: the ALB appends it as the last
 * `X-Forwarded-For` entry (earlier entries are whatever the client sent, so they are not trusted).
 */
export function sourceAddress(req: IncomingMessage): string {
  const xff = req.headers['x-forwarded-for'];
  const last = (Array.isArray(xff) ? xff.join(',') : (xff ?? '')).split(',').map((s) => s.trim()).filter(Boolean).at(-1);
  return last ?? req.socket.remoteAddress ?? 'unknown';
}

/** Node http adapter for the bot's server (registered for requests whose Host is an environment's). */
export function wakeDoorHandler(door: WakeDoor): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const r = await door.answer({ host: req.headers.host, accept: req.headers.accept, source: sourceAddress(req) });
    res.writeHead(r.status, r.headers);
    res.end(req.method === 'HEAD' ? undefined : r.body);
  };
}
