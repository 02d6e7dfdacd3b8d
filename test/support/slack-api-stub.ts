import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the bot made: a Web API method, or a POST to a response_url. */
export interface RecordedCall {
  method: string;
  body: Record<string, any>;
  /** Exactly the bytes received, for "does this secret appear anywhere" checks. */
  raw: string;
  authorization?: string;
}

type Answer = Record<string, unknown>;
type Handler = (body: Record<string, any>) => Answer;

/**
 * A local stand-in for the Slack Web API (`https://slack.com/api/<method>`) and for response_url
 * endpoints. It records every call the bot makes and answers each method the way Slack does
 * (message ts, DM channel for a user id, view ids …), so the bot's follow-up calls work.
 */
export class SlackApiStub {
  readonly calls: RecordedCall[] = [];
  /** `usergroups.users.list` answers from here. */
  readonly userGroups = new Map<string, string[]>();
  /** `users.lookupByEmail` and `users.info` answer from here (user id → confirmed email). */
  readonly emails = new Map<string, string>();
  private readonly overrides = new Map<string, Handler[]>();
  private server: Server | undefined;
  private port = 0;
  private tsCounter = 0;

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Base URL for `slack.apiUrl` (the Web API client appends the method name). */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  responseUrl(id: string): string {
    return `http://127.0.0.1:${this.port}/response/${id}`;
  }

  /** The next call of `method` gets this answer instead (e.g. `{ ok: false, error: 'not_in_channel' }`). */
  answerNext(method: string, answer: Answer): void {
    this.overrides.set(method, [...(this.overrides.get(method) ?? []), () => answer]);
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Everything the bot sent to Slack, as one string. */
  traffic(): string {
    return this.calls.map((c) => `${c.method} ${c.raw}`).join('\n');
  }

  reset(): void {
    this.calls.length = 0;
  }

  private nextTs(): string {
    this.tsCounter += 1;
    return `1700000000.${String(this.tsCounter).padStart(6, '0')}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = (req.url ?? '').split('?')[0]!;
    const body = parseBody(raw, req.headers['content-type']);
    if (path.startsWith('/response/')) {
      this.calls.push({ method: 'response_url', body: { ...body, url: path }, raw });
      return send(res, { ok: true });
    }
    const method = path.replace(/^\/api\//, '');
    this.calls.push({ method, body, raw, ...(req.headers.authorization && { authorization: req.headers.authorization }) });
    const override = this.overrides.get(method)?.shift();
    send(res, override ? override(body) : this.answer(method, body));
  }

  private answer(method: string, body: Record<string, any>): Answer {
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://acme.slack.com/', team: 'Acme', user: 'envbot', team_id: 'T1', user_id: 'UBOT', bot_id: 'BBOT' };
      case 'chat.postMessage': {
        const ts = this.nextTs();
        // Posting to a user id opens the bot's DM with them; Slack answers with the DM channel.
        const channel = /^[UW]/.test(body.channel) ? `D${body.channel.slice(1)}` : body.channel;
        return { ok: true, channel, ts, message: { type: 'message', text: body.text, blocks: body.blocks, ts, bot_id: 'BBOT' } };
      }
      case 'chat.update':
        return { ok: true, channel: body.channel, ts: body.ts, text: body.text };
      case 'chat.delete':
        return { ok: true, channel: body.channel, ts: body.ts };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: this.nextTs() };
      case 'views.publish':
      case 'views.open':
      case 'views.update':
        return { ok: true, view: { id: 'V0001', ...(body.view ?? {}) } };
      case 'users.lookupByEmail': {
        const id = [...this.emails].find(([, email]) => email === body.email)?.[0];
        return id ? { ok: true, user: { id, deleted: false, is_bot: false, profile: { email: body.email } } } : { ok: false, error: 'users_not_found' };
      }
      case 'users.info': {
        const email = this.emails.get(body.user);
        return { ok: true, user: { id: body.user, deleted: false, is_bot: false, is_email_confirmed: email !== undefined, profile: { ...(email && { email }) } } };
      }
      case 'usergroups.users.list': {
        const users = this.userGroups.get(body.usergroup);
        return users ? { ok: true, users } : { ok: false, error: 'no_such_subteam' };
      }
      default:
        return { ok: true };
    }
  }
}

/** The Web API client sends form fields, with objects (blocks, view) as JSON strings. */
function parseBody(raw: string, contentType: string | undefined): Record<string, any> {
  if (!raw) return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, any>;
  const out: Record<string, any> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    out[k] = /^[[{]/.test(v) ? safeJson(v) : v;
  }
  return out;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function send(res: ServerResponse, body: Answer): void {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
