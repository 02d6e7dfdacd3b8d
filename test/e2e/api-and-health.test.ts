import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerApi } from '../../app/src/http/api.js';
import { healthHandler } from '../../app/src/http/health.js';
import { HttpServer } from '../../app/src/http/server.js';
import type { FailedDelivery } from '../../app/src/aws/delivery-inbox.js';
import type { EnvironmentStore } from '../../app/src/environments/store-port.js';
import { engineFixture, silentLog, type EngineFixture } from '../support/engine-fixture.js';

describe('operator API and /healthz over HTTP', () => {
  let f: EngineFixture;
  const servers: HttpServer[] = [];
  let local: string;
  let aws: string;

  async function serve(mode: 'local' | 'aws', token?: string, store?: EnvironmentStore, githubFailures?: () => Promise<FailedDelivery[] | undefined>): Promise<string> {
    const server = new HttpServer(silentLog);
    server.route('GET', '/healthz', healthHandler(store ?? f.engine.store, f.clients, mode));
    registerApi(server, { engine: f.engine, mode, ...(token && { token }), ...(githubFailures && { githubFailures }) });
    servers.push(server);
    return `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
  }

  beforeAll(async () => {
    f = await engineFixture('api');
    local = await serve('local');
    aws = await serve('aws', 'a-very-long-operator-token');
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
  });

  const post = (base: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}/api/command`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('runs a command for a local operator and waits for the work when asked', async () => {
    const res = await post(local, { text: 'up api-demo' }, { 'x-envbot-user': 'dev1', 'x-envbot-wait': 'true' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ kind: 'accepted', record: { name: 'api-demo', owner: 'cli:dev1', source: 'cli' } });
    expect((await f.engine.store.get('api-demo'))?.status).toBe('ready');
    const list = (await (await fetch(`${local}/api/environments`)).json()) as { environments: { name: string }[] };
    expect(list.environments.map((e) => e.name)).toContain('api-demo');
  });

  it('answers bad input with a 400 that says what to send', async () => {
    const res = await fetch(`${local}/api/command`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'not json' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'send JSON like {"text": "up feature-x"}' });
    expect((await post(local, { text: 42 })).status).toBe(400);
  });

  it('refuses what a web page could send cross-site: a non-JSON body or a foreign Host', async () => {
    const plain = await fetch(`${local}/api/command`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"text":"down api-demo"}' });
    expect(plain.status).toBe(415);
    // fetch cannot set Host; a raw request can, as a DNS-rebinding page effectively does.
    const rebound = await new Promise<number>((resolve, reject) => {
      const req = request(`${local}/api/command`, { method: 'POST', headers: { host: 'evil.example.com', 'content-type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(JSON.stringify({ text: 'down api-demo' }));
    });
    expect(rebound).toBe(401);
    expect((await f.engine.store.get('api-demo'))?.desired).toBe('running');
  });

  it('in AWS mode requires the API token', async () => {
    expect((await post(aws, { text: 'list' })).status).toBe(401);
    expect((await post(aws, { text: 'list' }, { authorization: 'Bearer wrong-token-of-same-len' })).status).toBe(401);
    const ok = await post(aws, { text: 'list' }, { authorization: 'Bearer a-very-long-operator-token' });
    expect(ok.status).toBe(200);
    const off = await serve('aws');
    expect((await post(off, { text: 'list' })).status).toBe(404);
  });

  it("shows the operator the GitHub deliveries envbot gave up on, behind the API's token", async () => {
    const failed: FailedDelivery[] = [{ id: 'd-1', attempts: 5, error: 'store unavailable' }];
    const withGitHub = await serve('aws', 'a-very-long-operator-token', undefined, async () => failed);
    expect((await fetch(`${withGitHub}/api/github/failures`)).status).toBe(401);
    const res = await fetch(`${withGitHub}/api/github/failures`, { headers: { authorization: 'Bearer a-very-long-operator-token' } });
    expect(await res.json()).toEqual({ failures: failed });
    const without = await fetch(`${local}/api/github/failures`);
    expect(without.status).toBe(404);
  });

  it('unknown routes and methods get 404/405', async () => {
    expect((await fetch(`${local}/nope`)).status).toBe(404);
    expect((await fetch(`${local}/api/command`)).status).toBe(405);
  });

  it('/healthz reports store and AWS reachability', async () => {
    const res = await fetch(`${local}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', mode: 'local', store: { ok: true }, aws: { ok: true } });
    const broken = { ping: () => Promise.reject(new Error('table envbot not found')) } as unknown as EnvironmentStore;
    const degraded = await fetch(`${await serve('local', undefined, broken)}/healthz`);
    expect(degraded.status).toBe(503);
    expect(await degraded.json()).toEqual({ status: 'degraded', mode: 'local', store: { ok: false, error: 'table envbot not found' }, aws: { ok: true } });
  });
});
