import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { EnvNotice, Notifier } from '../environments/notifier-port.js';
import type { EnvironmentRecord } from '../environments/record.js';
import type { EnvRow } from './rows.js';

/** What every open dashboard shows: the rows (for scripts) and the same rows as HTML (for the page). */
export interface Snapshot {
  rows: EnvRow[];
  html: string;
}

export interface LiveFeedOptions {
  snapshot: () => Promise<Snapshot>;
  /** One line for the activity log, or undefined to skip the notice. */
  describe: (record: EnvironmentRecord, notice: EnvNotice) => string | undefined;
  log: Pick<Logger, 'warn'>;
  pollMs?: number;
  heartbeatMs?: number;
}

/** A client that has this much unsent data is not reading: drop it rather than buffer forever. */
const MAX_BUFFERED_BYTES = 1_000_000;

/**
 * Server-sent events for the dashboard. Notices from the engine (it is added to the engine's
 * notifier) are pushed at once; the store is also polled every 2 s while anyone watches, because
 * not every change comes with a notice (another replica, the resync, ECS events). A snapshot is
 * only sent when it differs from the last one. Heartbeat comments keep proxies (the ALB's idle
 * timeout is 60 s) from closing a quiet stream.
 */
export class LiveFeed implements Notifier {
  private readonly clients = new Set<ServerResponse>();
  private timers: NodeJS.Timeout[] = [];
  private last: Snapshot | undefined;
  private lastKey = '';
  private refreshing: Promise<void> | undefined;
  private again = false;
  private closed = false;

  constructor(private readonly o: LiveFeedOptions) {}

  /** Handles `GET /dashboard/events`: the stream stays open until the page or the bot goes away. */
  async attach(_req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.closed) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end('envbot is shutting down');
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 3000\n\n');
    this.clients.add(res);
    // The response's close (not the request's) tells when the page or its connection went away.
    res.on('close', () => this.detach(res));
    if (this.clients.size === 1) this.startTimers();
    const snapshot = this.last ?? (await this.takeSnapshot());
    if (snapshot && this.clients.has(res)) this.send(res, 'environments', snapshot);
  }

  async notify(record: EnvironmentRecord, notice: EnvNotice): Promise<void> {
    if (this.closed || this.clients.size === 0) return;
    const text = this.o.describe(record, notice);
    if (text) this.broadcast('notice', { name: record.name, kind: notice.kind, text, at: new Date().toISOString() });
    this.refresh();
  }

  /** Recomputes the snapshot and pushes it if it changed; concurrent calls are coalesced. */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.again = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.again = false;
        const snapshot = await this.takeSnapshot();
        const key = snapshot && JSON.stringify(snapshot.rows);
        if (snapshot && key !== this.lastKey) {
          this.lastKey = key!;
          this.broadcast('environments', snapshot);
        }
      } while (this.again && !this.closed);
    })().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  get watchers(): number {
    return this.clients.size;
  }

  /** Ends every stream (shutdown); the pages' EventSource will retry against the next bot. */
  close(): void {
    this.closed = true;
    this.stopTimers();
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private async takeSnapshot(): Promise<Snapshot | undefined> {
    try {
      const snapshot = await this.o.snapshot();
      this.last = snapshot;
      return snapshot;
    } catch (err) {
      this.o.log.warn({ err }, 'dashboard: reading environments failed');
      return undefined;
    }
  }

  private broadcast(event: string, data: unknown): void {
    for (const res of this.clients) this.send(res, event, data);
  }

  private send(res: ServerResponse, event: string, data: unknown): void {
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      res.destroy();
      this.detach(res);
      return;
    }
    // JSON.stringify never emits a raw newline, so one `data:` line carries the whole payload.
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private detach(res: ServerResponse): void {
    this.clients.delete(res);
    if (this.clients.size === 0) this.stopTimers();
  }

  private startTimers(): void {
    const poll = setInterval(() => void this.refresh(), this.o.pollMs ?? 2000);
    const beat = setInterval(() => {
      for (const res of this.clients) res.write(': heartbeat\n\n');
    }, this.o.heartbeatMs ?? 15_000);
    poll.unref();
    beat.unref();
    this.timers = [poll, beat];
  }

  private stopTimers(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }
}
