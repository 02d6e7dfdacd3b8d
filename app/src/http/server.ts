import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, requestId: string) => void | Promise<void>;

interface Route {
  method: string | '*';
  /** Exact path, or a prefix when it ends with `/*`. */
  path: string;
  handler: RouteHandler;
}

/**
 * The bot's one HTTP server. Front ends register their routes (Slack `/slack/events`, GitHub
 * `/github/webhooks`, the dashboard `/`); every request gets an id that goes into the logs.
 */
export class HttpServer {
  private readonly routes: Route[] = [];
  private readonly interceptors: ((req: IncomingMessage, res: ServerResponse) => boolean)[] = [];
  private server: Server | undefined;

  constructor(private readonly log: Logger) {}

  route(method: string | '*', path: string, handler: RouteHandler): this {
    this.routes.push({ method, path, handler });
    return this;
  }

  /**
   * Runs before the routes: a handler that returns true has taken the request (the waking door
   * takes requests whose Host is an environment's, app/src/wake/host-router.ts).
   */
  intercept(handler: (req: IncomingMessage, res: ServerResponse) => boolean): this {
    this.interceptors.push(handler);
    return this;
  }

  async listen(port: number, host = '0.0.0.0'): Promise<number> {
    this.server = createServer((req, res) => void this.dispatch(req, res));
    // Slow clients must not hold sockets forever; Slack and GitHub send small bodies.
    this.server.requestTimeout = 30_000;
    this.server.headersTimeout = 10_000;
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), 2000).unref();
    });
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) ?? randomUUID();
    res.setHeader('x-request-id', requestId);
    try {
      if (this.interceptors.some((take) => take(req, res))) return;
    } catch (err) {
      this.log.error({ err, requestId }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error', requestId });
      return;
    }
    const path = (req.url ?? '/').split('?')[0]!;
    const route = this.routes.find(
      (r) => (r.method === '*' || r.method === req.method) && (r.path === path || (r.path.endsWith('/*') && path.startsWith(r.path.slice(0, -1)))),
    );
    if (!route) {
      const known = this.routes.some((r) => r.path === path);
      sendJson(res, known ? 405 : 404, { error: known ? 'method not allowed' : 'not found' });
      return;
    }
    try {
      await route.handler(req, res, requestId);
    } catch (err) {
      this.log.error({ err, requestId, path }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error', requestId });
      else res.end();
    }
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** Reads a request body with a size cap (webhooks are small; anything larger is refused). */
export async function readBody(req: IncomingMessage, maxBytes = 1_000_000): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw Object.assign(new Error('request body too large'), { code: 'BODY_TOO_LARGE' });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
