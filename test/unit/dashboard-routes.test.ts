import { generateKeyPairSync, sign } from 'node:crypto';
import { get as httpGet } from 'node:http';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandResult, Invocation } from '../../app/src/commands/context.js';
import { loadConfig, type Config } from '../../app/src/config.js';
import { registerDashboard, type Dashboard, type DashboardEngine } from '../../app/src/dashboard/register.js';
import type { Notifier } from '../../app/src/environments/notifier-port.js';
import type { EnvironmentRecord } from '../../app/src/environments/record.js';
import { HttpServer } from '../../app/src/http/server.js';

// Prepare: the dashboard on the bot's real HTTP server, over a small in-memory engine (our port,
// not a mock of a library) that records the commands it is asked to run.
const log = pino({ level: 'silent' });
const LOCAL = loadConfig({ ENVBOT_MODE: 'local' });
const ALB_ARN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/envbot/0123456789abcdef';
const alb = generateKeyPairSync('ec', { namedCurve: 'P-256' });

function record(o: Partial<EnvironmentRecord> = {}): EnvironmentRecord {
  const at = new Date().toISOString();
  return { name: 'demo', owner: 'alice', branch: 'demo', profile: 'dev', size: 'xs', desired: 'running', status: 'queued', source: 'cli', report: {}, createdAt: at, updatedAt: at, touchedAt: at, version: 1, ...o };
}

class FakeEngine implements DashboardEngine {
  records: EnvironmentRecord[] = [];
  sinks: Notifier[] = [];
  runs: { inv: Invocation; text: string }[] = [];
  store = { list: async () => this.records };
  notifier = { add: (s: Notifier) => void this.sinks.push(s) };
  ctx = { now: () => new Date() };
  async runText(inv: Invocation, text: string): Promise<CommandResult> {
    this.runs.push({ inv, text });
    if (text.startsWith('up ')) this.records.push(record({ name: text.split(' ')[1]!, owner: inv.actor.id }));
    return { kind: 'accepted', text: `Bringing up *${text.split(' ')[1]}*.` };
  }
}

let server: HttpServer | undefined;
let dashboard: Dashboard | undefined;
afterEach(async () => {
  await dashboard?.stop();
  await server?.close();
  server = dashboard = undefined;
});

async function start(config: Config, env: NodeJS.ProcessEnv = {}) {
  const engine = new FakeEngine();
  server = new HttpServer(log);
  dashboard = registerDashboard(server, {
    engine,
    config,
    limitations: ['No real containers run.'],
    log,
    env,
    localUser: 'alice',
    fetchKey: async () => alb.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  });
  const port = await server.listen(0, '127.0.0.1');
  return { engine, base: `http://127.0.0.1:${port}` };
}

function albToken(email: string): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const exp = Math.floor(Date.now() / 1000) + 60;
  const input = `${b64({ alg: 'ES256', kid: '3e1f8c7a-5b2d-4c6e-9a0f-7d8e9f0a1b2c', signer: ALB_ARN, exp })}.${b64({ sub: 's-1', email, exp })}`;
  return `${input}.${sign('sha256', Buffer.from(input), { key: alb.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}

const postJson = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

/** Reads server-sent events until `until` is satisfied (or fails after 10 s). */
async function readEvents(res: Response, until: (events: { event: string; data: any }[]) => boolean) {
  const reader = res.body!.getReader();
  const events: { event: string; data: any }[] = [];
  let buffer = '';
  const deadline = Date.now() + 10_000;
  while (!until(events)) {
    if (Date.now() > deadline) throw new Error(`timed out; got ${JSON.stringify(events.map((e) => e.event))}`);
    const { value, done } = await reader.read();
    if (done) break;
    buffer += Buffer.from(value).toString('utf8');
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const chunk = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(chunk)?.[1];
      const data = /^data: (.*)$/m.exec(chunk)?.[1];
      if (event && data) events.push({ event, data: JSON.parse(data) });
    }
  }
  return { events, reader };
}

describe('dashboard routes, local mode', () => {
  it('"mine" works for records written before owners carried their door', async () => {
    const { engine, base } = await start(LOCAL);
    engine.records.push(record({ name: 'old', owner: 'alice', source: 'cli' }));
    const list = (await (await fetch(`${base}/dashboard/api/environments`)).json()) as { myIds: string[]; environments: { owner: string }[] };
    expect(list.environments.map((e) => e.owner)).toEqual(['cli:alice']);
    expect(list.myIds).toContain('cli:alice');
    const page = await (await fetch(`${base}/dashboard`)).text();
    expect(page).toContain('data-me="cli:alice"');
    expect(page).toContain('data-owner="cli:alice"');
  });

  it('serves the page with the limitations banner and a strict content security policy', async () => {
    const { base } = await start(LOCAL);
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'nonce-[^']+'/);
    const page = await res.text();
    expect(page).toContain('id="limitations"');
    expect(page).toContain('No real containers run.');
    expect((await fetch(`${base}/dashboard`)).status).toBe(200);
  });

  it('runs commands as the local user from the dashboard, and lists environments', async () => {
    const { base, engine } = await start(LOCAL);
    const res = await postJson(`${base}/dashboard/api/command`, { text: 'up demo' });
    expect(await res.json()).toEqual({ kind: 'accepted', text: 'Bringing up *demo*.' });
    expect(engine.runs).toEqual([{ inv: { actor: { id: 'cli:alice', source: 'dashboard' } }, text: 'up demo' }]);
    const list = (await (await fetch(`${base}/dashboard/api/environments`)).json()) as { me: string; environments: { name: string; actions: string[] }[] };
    expect(list.me).toBe('cli:alice');
    expect(list.environments).toMatchObject([{ name: 'demo', actions: ['stop', 'extend', 'destroy'] }]);
  });

  it('refuses cross-site writes and non-JSON bodies', async () => {
    const { base, engine } = await start(LOCAL);
    expect((await postJson(`${base}/dashboard/api/command`, { text: 'down demo' }, { origin: 'https://evil.example.com' })).status).toBe(403);
    expect((await fetch(`${base}/dashboard/api/command`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"text":"down demo"}' })).status).toBe(403);
    expect((await postJson(`${base}/dashboard/api/command`, { nope: 1 })).status).toBe(400);
    expect(engine.runs).toEqual([]);
  });

  it('refuses a request whose Host is not this machine (DNS rebinding)', async () => {
    const { base } = await start(LOCAL);
    // fetch() will not send a custom Host header; node:http will, as a rebinding browser would.
    const status = await new Promise<number | undefined>((resolve, reject) =>
      httpGet(`${base}/dashboard/api/environments`, { headers: { host: 'evil.example.com' } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      }).on('error', reject),
    );
    expect(status).toBe(403);
  });

  it('streams changes: a snapshot at once, notices as they happen, new rows after a command, and closes on stop', async () => {
    const { base, engine } = await start(LOCAL);
    const res = await fetch(`${base}/dashboard/events`);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const first = await readEvents(res, (e) => e.some((x) => x.event === 'environments'));
    expect(first.events[0]!.data.rows).toEqual([]);
    first.reader.releaseLock();

    await postJson(`${base}/dashboard/api/command`, { text: 'up demo' });
    const second = await readEvents(res, (e) => e.some((x) => x.event === 'environments' && x.data.rows.length === 1));
    expect(second.events.at(-1)!.data.html).toContain('data-name="demo"');
    second.reader.releaseLock();

    engine.records[0] = { ...engine.records[0]!, status: 'ready', url: 'http://demo.localhost.envbot.test' };
    await Promise.all(engine.sinks.map((s) => s.notify(engine.records[0]!, { kind: 'ready', url: 'http://demo.localhost.envbot.test' })));
    const third = await readEvents(res, (e) => e.some((x) => x.event === 'notice') && e.some((x) => x.event === 'environments'));
    expect(third.events.find((x) => x.event === 'notice')!.data.text).toBe('demo is ready at http://demo.localhost.envbot.test (emulated — nothing is really running)');
    expect(third.events.find((x) => x.event === 'environments')!.data.rows[0]).toMatchObject({ status: 'ready', emulatedNote: 'emulated — nothing is really running' });

    expect(dashboard!.feed!.watchers).toBe(1);
    await dashboard!.stop();
    // Whatever was still in flight, the stream then ends.
    let done = false;
    for (let i = 0; i < 20 && !done; i++) done = (await third.reader.read()).done;
    expect(done).toBe(true);
  });

  it('forgets a page that went away', async () => {
    const { base } = await start(LOCAL);
    const abort = new AbortController();
    const res = await fetch(`${base}/dashboard/events`, { signal: abort.signal });
    const { reader } = await readEvents(res, (e) => e.length > 0);
    expect(dashboard!.feed!.watchers).toBe(1);
    abort.abort();
    await reader.cancel().catch(() => {});
    await expect.poll(() => dashboard!.feed!.watchers).toBe(0);
  });

  it('draws the cost chart as SVG', async () => {
    const { base } = await start(LOCAL);
    const res = await fetch(`${base}/dashboard/cost-chart.svg`);
    expect(res.headers.get('content-type')).toContain('image/svg+xml');
    expect(await res.text()).toContain('<svg');
  });
});

describe('dashboard routes, AWS mode', () => {
  const aws = (enabled?: boolean): Config => ({ ...LOCAL, mode: 'aws', dashboard: enabled === undefined ? {} : { enabled } });

  it('is off (404) unless enabled', async () => {
    const { base } = await start(aws());
    for (const path of ['/', '/dashboard', '/dashboard/api/environments', '/dashboard/events']) {
      expect((await fetch(`${base}${path}`)).status, path).toBe(404);
    }
  });

  it('enabled: every route needs the ALB-verified identity, which becomes the actor', async () => {
    const { base, engine } = await start(aws(true), { ENVBOT_DASHBOARD_ALB_ARN: ALB_ARN });
    expect((await fetch(`${base}/dashboard`)).status).toBe(401);
    expect((await fetch(`${base}/dashboard/api/environments`, { headers: { 'x-amzn-oidc-data': 'forged.header.value' } })).status).toBe(401);
    const headers = { 'x-amzn-oidc-data': albToken('dev@example.com') };
    expect((await fetch(`${base}/dashboard`, { headers })).status).toBe(200);
    // `/` is not behind the ALB's login rule (only /dashboard paths are), so it only redirects.
    const root = await fetch(`${base}/`, { redirect: 'manual' });
    expect([root.status, root.headers.get('location')]).toEqual([302, '/dashboard']);
    await postJson(`${base}/dashboard/api/command`, { text: 'up demo' }, headers);
    expect(engine.runs.map((r) => r.inv.actor)).toEqual([{ id: 'oidc:dev@example.com', source: 'dashboard' }]);
    // The emulator details are a local-mode thing only.
    const runtime = (await (await fetch(`${base}/dashboard/api/runtime`, { headers })).json()) as Record<string, unknown>;
    expect(runtime).toEqual({ mode: 'aws', limitations: ['No real containers run.'] });
  });
});
