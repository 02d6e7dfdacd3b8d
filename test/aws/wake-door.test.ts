import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ensureTable } from '../../app/src/aws/store.js';
import { DynamoWakeClaims } from '../../app/src/aws/wake-claims.js';
import { WakeDoor, wakeDoorHandler } from '../../app/src/wake/door.js';
import type { WakePorts } from '../../app/src/wake/ports.js';
import { emulatorClients, uniquePrefix } from '../support/aws-fixture.js';

// Two bot tasks behind the ALB, each with its own door, share one DynamoDB claim: 100 concurrent
// requests with the sleeping environment's Host header, spread over both, start it once.
describe('waking door over HTTP with DynamoDB claims (emulator)', () => {
  const servers: Server[] = [];
  const start = vi.fn(async (_name: string) => {});
  let ports: number[] = [];

  beforeAll(async () => {
    const clients = emulatorClients();
    const table = uniquePrefix('door');
    await ensureTable(clients.dynamo, table);
    const claims = new DynamoWakeClaims(clients.doc, table);
    const wakePorts: WakePorts = {
      lookup: async (name) => (name === 'feature-x' ? { name, state: 'asleep', version: 12, wakeable: true } : undefined),
      claimWake: (name, version) => claims.claimWake(name, version),
      start,
    };
    const limits = { perSource: { capacity: 500, perMinute: 500 }, perEnvironment: { capacity: 500, perMinute: 500 } };
    for (let i = 0; i < 2; i++) {
      const server = createServer(wakeDoorHandler(new WakeDoor({ domain: 'dev.example.com', ports: wakePorts, ...limits })));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers.push(server);
    }
    ports = servers.map((s) => (s.address() as AddressInfo).port);
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  });

  function get(port: number, host: string, accept: string): Promise<{ status: number; retryAfter?: string; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/', headers: { host, accept } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, ...(res.headers['retry-after'] && { retryAfter: res.headers['retry-after'] }) }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('100 concurrent requests on two bot tasks → one start; pages for browsers, 503 + Retry-After for APIs', async () => {
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => get(ports[i % 2]!, 'feature-x.dev.example.com', i % 4 < 2 ? 'text/html' : 'application/json')),
    );
    expect(start).toHaveBeenCalledTimes(1);
    for (const [i, a] of answers.entries()) {
      expect(a.status).toBe(503);
      expect(a.retryAfter).toMatch(/^\d+$/);
      expect(a.body).toContain(i % 4 < 2 ? 'Waking feature-x' : '"error":"waking"');
    }
  });

  it('an unknown name gets the 404 page', async () => {
    const a = await get(ports[0]!, 'nobody.dev.example.com', 'text/html');
    expect(a.status).toBe(404);
    expect(a.body).toContain('No such environment');
  });
});
