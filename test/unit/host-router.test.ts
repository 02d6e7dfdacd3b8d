import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WakeDoor } from '../../app/src/wake/door.js';
import type { EmulatedEnvironment } from '../../app/src/wake/emulated-page.js';
import { classifyHost, createHostRouter } from '../../app/src/wake/host-router.js';
import type { SleepingState, WakePorts } from '../../app/src/wake/ports.js';

/** In-memory environments behind the door's ports; `start` makes one running. */
class Fleet implements WakePorts {
  readonly envs = new Map<string, SleepingState>();
  readonly started: string[] = [];
  async lookup(name: string) {
    return this.envs.get(name);
  }
  async claimWake() {
    return true;
  }
  async start(name: string) {
    this.started.push(name);
    this.envs.set(name, { ...this.envs.get(name)!, state: 'running' });
  }
}

function get(port: number, host: string, accept = 'text/html'): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { host, accept } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('Host-based routing (local mode, over HTTP)', () => {
  const fleet = new Fleet();
  let server: Server;
  let port: number;

  beforeAll(async () => {
    const door = new WakeDoor({ domain: 'localhost', ports: fleet });
    const emulated = async (name: string): Promise<EmulatedEnvironment | undefined> =>
      fleet.envs.get(name)?.state === 'running' ? { name, branch: `feature/${name}`, image: 'nginx:alpine', profile: 'dev', config: [] } : undefined;
    const route = createHostRouter({ domain: 'localhost', door, emulated });
    server = createServer((req, res) => {
      if (route(req, res)) return;
      res.writeHead(200, { 'content-type': 'text/plain' }).end('the bot itself');
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

  it('leaves the bot’s own host and foreign hosts to the server', async () => {
    expect((await get(port, `localhost:${port}`)).body).toBe('the bot itself');
    expect((await get(port, `envbot.localhost:${port}`)).body).toBe('the bot itself');
    expect((await get(port, 'feature-x.evil.example.com')).body).toBe('the bot itself');
    expect((await get(port, `a.b.localhost:${port}`)).body).toBe('the bot itself');
  });

  it('wakes a sleeping environment at its URL, then shows the emulated page once it runs', async () => {
    fleet.envs.set('feature-x', { name: 'feature-x', state: 'asleep', version: 3, wakeable: true });
    const waking = await get(port, `feature-x.localhost:${port}`);
    expect(waking.status).toBe(503);
    expect(waking.body).toContain('Waking feature-x');
    expect(fleet.started).toEqual(['feature-x']);
    const running = await get(port, `feature-x.localhost:${port}`);
    expect(running.status).toBe(200);
    expect(running.headers['x-envbot-emulated']).toBe('true');
    expect(running.body).toContain('EMULATED');
    expect(running.body).toContain('feature/feature-x');
  });

  it('answers API clients with 503 + Retry-After while waking, and 404 for unknown names', async () => {
    fleet.envs.set('api-env', { name: 'api-env', state: 'waking', version: 1, wakeable: true });
    const api = await get(port, `api-env.localhost:${port}`, 'application/json');
    expect(api.status).toBe(503);
    expect(api.headers['retry-after']).toBe('10');
    expect(JSON.parse(api.body)).toMatchObject({ error: 'waking', environment: 'api-env' });
    const unknown = await get(port, `nobody.localhost:${port}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toContain('There is no environment called nobody');
  });

  it('classifies hosts for the AWS domain too', () => {
    expect(classifyHost('feature-x.envs.example.com', 'envs.example.com')).toEqual({ kind: 'environment', name: 'feature-x' });
    expect(classifyHost('envbot.envs.example.com:443', 'envs.example.com')).toEqual({ kind: 'bot' });
    expect(classifyHost('envs.example.com', 'envs.example.com')).toEqual({ kind: 'bot' });
    expect(classifyHost('example.org', 'envs.example.com')).toEqual({ kind: 'other' });
    expect(classifyHost(undefined, 'envs.example.com')).toEqual({ kind: 'other' });
  });
});

describe('environment links', () => {
  it('are http://<name>.localhost:<port>/ locally and <scheme>://<name>.<domain> in AWS', async () => {
    const { environmentUrl } = await import('../../app/src/environments/environment-url.js');
    const { loadConfig } = await import('../../app/src/config.js');
    expect(environmentUrl({ ...loadConfig({}), port: 3000 }, 'feature-x')).toBe('http://feature-x.localhost:3000/');
    expect(environmentUrl({ mode: 'aws', urlScheme: 'https', domain: 'envs.example.com', port: 3000 }, 'feature-x')).toBe('https://feature-x.envs.example.com');
  });
});
