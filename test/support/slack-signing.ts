import { createHmac, randomBytes } from 'node:crypto';
import type { Config } from '../../app/src/config.js';
import { DynamoEnvironmentStore } from '../../app/src/aws/store.js';
import { Engine, type EngineOptions } from '../../app/src/engine/engine.js';
import type { AuditEntry, EnvironmentStore } from '../../app/src/environments/store-port.js';
import { HttpServer } from '../../app/src/http/server.js';
import { createSlackFrontEnd, type SlackFrontEnd, type SlackTuning } from '../../app/src/slack/slack-app.js';
import { emulatorClients, sharedInfra } from './aws-fixture.js';
import { configFor, RecordingNotifier, silentLog } from './engine-fixture.js';
import { SlackApiStub } from './slack-api-stub.js';

/**
 * The Slack side of the conversation in end-to-end tests: requests built the way Slack builds them
 * (form-encoded slash commands, `payload=` interactions, JSON events), signed with the signing
 * secret (v0 HMAC-SHA256 over `v0:{ts}:{body}`), sent over real HTTP to the running bot.
 */

export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const BOT_TOKEN = 'xoxb-test-bot-token';

export function signatureFor(secret: string, timestamp: number | string, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignedHeaders {
  'content-type': string;
  'x-slack-request-timestamp': string;
  'x-slack-signature': string;
}

/** Headers Slack would send; `timestamp` defaults to now. */
export function signedHeaders(body: string, contentType: string, opts: { secret?: string; timestamp?: number } = {}): SignedHeaders {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  return {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': signatureFor(opts.secret ?? SIGNING_SECRET, timestamp, body),
  };
}

export const FORM = 'application/x-www-form-urlencoded';
export const JSON_TYPE = 'application/json';

/** A slash command as Slack posts it. */
export function slashCommandBody(p: { user: string; userName?: string; channel?: string; text: string; responseUrl: string }): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: 'T1',
    team_domain: 'acme',
    channel_id: p.channel ?? 'C1',
    channel_name: 'dev',
    user_id: p.user,
    user_name: p.userName ?? p.user.toLowerCase(),
    command: '/env',
    text: p.text,
    api_app_id: 'A1',
    is_enterprise_install: 'false',
    response_url: p.responseUrl,
    trigger_id: `trigger-${randomBytes(4).toString('hex')}`,
  }).toString();
}

/** Interactions (block_actions, view_submission) arrive as `payload=<json>`. */
export function interactionBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export type ButtonContainer = { kind: 'message'; channel: string; ts: string } | { kind: 'home' };

export function buttonPayload(p: { user: string; actionId: string; value?: string; container: ButtonContainer; responseUrl: string }): object {
  const user = { id: p.user, username: p.user.toLowerCase(), name: p.user.toLowerCase(), team_id: 'T1' };
  const action = { type: 'button', action_id: p.actionId, block_id: `env_actions:${p.value}`, value: p.value, text: { type: 'plain_text', text: p.actionId }, action_ts: '1700000001.000100' };
  const base = { type: 'block_actions', user, api_app_id: 'A1', token: 'deprecated', team: { id: 'T1', domain: 'acme' }, trigger_id: `trigger-${randomBytes(4).toString('hex')}`, actions: [action] };
  if (p.container.kind === 'home') {
    return { ...base, container: { type: 'view', view_id: 'V0001' }, view: { id: 'V0001', type: 'home', blocks: [], private_metadata: '', callback_id: '', state: { values: {} }, hash: 'h', team_id: 'T1', app_id: 'A1', bot_id: 'BBOT' } };
  }
  const c = p.container;
  return {
    ...base,
    container: { type: 'message', message_ts: c.ts, channel_id: c.channel, is_ephemeral: false },
    channel: { id: c.channel, name: 'dev' },
    message: { type: 'message', ts: c.ts, text: '', bot_id: 'BBOT' },
    response_url: p.responseUrl,
  };
}

export function viewSubmissionPayload(p: { user: string; callbackId: string; privateMetadata: string; values: Record<string, Record<string, unknown>> }): object {
  return {
    type: 'view_submission',
    team: { id: 'T1', domain: 'acme' },
    user: { id: p.user, username: p.user.toLowerCase(), name: p.user.toLowerCase(), team_id: 'T1' },
    api_app_id: 'A1',
    token: 'deprecated',
    trigger_id: `trigger-${randomBytes(4).toString('hex')}`,
    view: { id: 'V0002', type: 'modal', callback_id: p.callbackId, private_metadata: p.privateMetadata, state: { values: p.values }, hash: 'h', team_id: 'T1', app_id: 'A1', bot_id: 'BBOT', blocks: [] },
    response_urls: [],
  };
}

export function eventBody(event: Record<string, unknown>): string {
  return JSON.stringify({
    token: 'deprecated',
    team_id: 'T1',
    api_app_id: 'A1',
    event,
    type: 'event_callback',
    event_id: `Ev${randomBytes(4).toString('hex')}`,
    event_time: 1700000000,
    authorizations: [{ team_id: 'T1', user_id: 'UBOT', is_bot: true }],
  });
}

export interface SlackReply {
  status: number;
  text: string;
  json: any;
}

export async function postSigned(url: string, body: string, headers: Record<string, string>): Promise<SlackReply> {
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

export interface SlackBotOptions {
  label: string;
  env?: Record<string, string>;
  engine?: Partial<EngineOptions>;
  tuning?: SlackTuning;
  /** Wraps the real DynamoDB store, e.g. to make it slow or failing. */
  wrapStore?: (store: EnvironmentStore) => EnvironmentStore;
  /** A second replica of this bot: same table, same Slack, its own process state and server. */
  replicaOf?: SlackTestBot;
}

/** Fixed clock for the core, so rendered ages and dates are exact in assertions. */
export const FIXED_NOW = new Date('2025-03-04T09:00:00.000Z');

/**
 * The bot as main.ts runs it (engine on the AWS emulator, one HttpServer, Slack front end over
 * HTTP) with the Web API pointed at a local stub; plus a Slack that sends it signed requests.
 */
export class SlackTestBot {
  private responseIds = 0;

  private constructor(
    readonly stub: SlackApiStub,
    readonly config: Config,
    readonly engine: Engine,
    readonly server: HttpServer,
    readonly front: SlackFrontEnd,
    readonly notices: RecordingNotifier,
    readonly url: string,
    /** Every audit entry the core wrote (the store keeps them too). */
    readonly audits: AuditEntry[],
  ) {}

  static async start(o: SlackBotOptions): Promise<SlackTestBot> {
    const stub = o.replicaOf?.stub ?? (await new SlackApiStub().start());
    const clients = emulatorClients();
    const config =
      o.replicaOf?.config ??
      configFor(await sharedInfra(clients, o.label), { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: stub.apiUrl, ...o.env });
    const audits: AuditEntry[] = [];
    const real = recordAudits(new DynamoEnvironmentStore(clients.doc, config.table), audits);
    const store = o.wrapStore ? o.wrapStore(real) : real;
    const engine = new Engine({ config, clients, log: silentLog, sleep: async () => {}, now: () => FIXED_NOW, store, ...o.engine });
    const notices = new RecordingNotifier();
    engine.notifier.add(notices);
    const server = new HttpServer(silentLog);
    const front = await createSlackFrontEnd({ engine, config, log: silentLog, server, tuning: { updateIntervalMs: 0, postIntervalMs: 0, replayBudgetMs: 300, ...o.tuning } });
    const port = await server.listen(0, '127.0.0.1');
    await front.start();
    return new SlackTestBot(stub, config, engine, server, front, notices, `http://127.0.0.1:${port}/slack/events`, audits);
  }

  /** Waits until Slack-triggered work, the reconciler and queued Slack messages are all done. */
  async settle(): Promise<void> {
    for (let round = 0; round < 4; round++) {
      await this.front.idle();
      await this.engine.idle();
    }
    await this.front.idle();
  }

  async close(opts: { keepStub?: boolean } = {}): Promise<void> {
    await this.settle();
    await this.front.stop();
    await this.engine.stop();
    await this.server.close();
    if (!opts.keepStub) await this.stub.stop();
  }

  async send(body: string, contentType: string, sign: { timestamp?: number; secret?: string } = {}): Promise<SlackReply> {
    return postSigned(this.url, body, { ...signedHeaders(body, contentType, sign) });
  }

  /** `/env <text>` typed by `user`; returns the HTTP ack and the response_url path used. */
  async command(user: string, text: string, opts: { channel?: string } = {}): Promise<SlackReply & { responsePath: string }> {
    const id = `cmd-${++this.responseIds}`;
    const body = slashCommandBody({ user, text, responseUrl: this.stub.responseUrl(id), ...(opts.channel && { channel: opts.channel }) });
    return { ...(await this.send(body, FORM)), responsePath: `/response/${id}` };
  }

  async click(user: string, actionId: string, value: string, container: ButtonContainer): Promise<SlackReply & { responsePath: string }> {
    const id = `click-${++this.responseIds}`;
    const payload = buttonPayload({ user, actionId, value, container, responseUrl: this.stub.responseUrl(id) });
    return { ...(await this.send(interactionBody(payload), FORM)), responsePath: `/response/${id}` };
  }

  async submitView(user: string, callbackId: string, privateMetadata: string, values: Record<string, Record<string, unknown>>): Promise<SlackReply> {
    return this.send(interactionBody(viewSubmissionPayload({ user, callbackId, privateMetadata, values })), FORM);
  }

  async homeOpened(user: string): Promise<SlackReply> {
    return this.send(eventBody({ type: 'app_home_opened', user, channel: `D${user.slice(1)}`, tab: 'home', event_ts: '1700000000.000001' }), JSON_TYPE);
  }

  /** What the bot posted to a response_url. */
  responses(path: string) {
    return this.stub.callsOf('response_url').filter((c) => c.body.url === path).map((c) => c.body);
  }
}

/** The real store, with every audit entry also kept in memory for assertions. */
function recordAudits(store: EnvironmentStore, into: AuditEntry[]): EnvironmentStore {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'audit') {
        return async (entry: AuditEntry) => {
          await target.audit(entry);
          into.push(entry);
        };
      }
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
