import type { IncomingMessage } from 'node:http';
import { describe, expect, it, vi } from 'vitest';
import { envNameFromHost, sourceAddress, WakeDoor } from '../../app/src/wake/door.js';
import { wakingResponse } from '../../app/src/wake/pages.js';
import type { SleepingState, WakePorts } from '../../app/src/wake/ports.js';
import { RateLimiter } from '../../app/src/wake/rate-limit.js';

const DOMAIN = 'dev.example.com';
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

/** In-memory ports: a claim map that behaves like the conditional write (one winner per version). */
function ports(envs: Record<string, SleepingState>) {
  const claimed = new Map<string, number>();
  const p = {
    lookup: vi.fn(async (name: string) => envs[name]),
    claimWake: vi.fn(async (name: string, version: number) => {
      await Promise.resolve();
      if ((claimed.get(name) ?? -1) >= version) return false;
      claimed.set(name, version);
      return true;
    }),
    start: vi.fn(async (_name: string) => {}),
  } satisfies WakePorts;
  return p;
}
const asleep = (name: string, o: Partial<SleepingState> = {}): SleepingState => ({ name, state: 'asleep', version: 4, wakeable: true, ...o });
const ask = (door: WakeDoor, host: string, accept = BROWSER, source = '198.51.100.1') => door.answer({ host, accept, source });

describe('waking door', () => {
  it('100 concurrent requests start a sleeping environment exactly once; browsers get the page, API clients 503 + Retry-After', async () => {
    const p = ports({ 'feature-x': asleep('feature-x') });
    const door = new WakeDoor({ domain: DOMAIN, ports: p, perSource: { capacity: 1000, perMinute: 1000 }, perEnvironment: { capacity: 1000, perMinute: 1000 } });
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => ask(door, 'feature-x.dev.example.com', i % 2 ? 'application/json' : BROWSER, `203.0.113.${i}`)),
    );
    expect(p.start).toHaveBeenCalledTimes(1);
    expect(p.start).toHaveBeenCalledWith('feature-x');
    for (const [i, a] of answers.entries()) {
      expect(a.status).toBe(503);
      expect(a.headers['retry-after']).toMatch(/^\d+$/);
      if (i % 2) expect(JSON.parse(a.body)).toMatchObject({ error: 'waking', environment: 'feature-x' });
      else expect(a.body).toContain('Waking feature-x');
    }
  });

  it('the waking page reloads itself and escapes the name', () => {
    const page = wakingResponse('<b>x</b>', true, 10);
    expect(page.body).toContain('<meta http-equiv="refresh" content="10">');
    expect(page.body).not.toContain('<b>x</b>');
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
  });

  it('unknown, destroyed or malformed names get a 404 page, without a start', async () => {
    const p = ports({});
    const door = new WakeDoor({ domain: DOMAIN, ports: p });
    const gone = await ask(door, 'old-pr-12.dev.example.com');
    expect(gone.status).toBe(404);
    expect(gone.body).toContain('No such environment');
    expect((await ask(door, 'evil.example.org')).status).toBe(404);
    expect((await ask(door, 'Bad_Name.dev.example.com', 'application/json')).status).toBe(404);
    expect(p.start).not.toHaveBeenCalled();
  });

  it('an explicit stop that the profile does not let requests wake says how to start it', async () => {
    const p = ports({ held: asleep('held', { wakeable: false }) });
    const a = await ask(new WakeDoor({ domain: DOMAIN, ports: p }), 'held.dev.example.com', 'application/json');
    expect(a.status).toBe(503);
    expect(JSON.parse(a.body).message).toContain('/env start held');
    expect(p.claimWake).not.toHaveBeenCalled();
  });

  it('rate limits per source (429 + Retry-After) and per environment (no store access beyond it)', async () => {
    let now = 0;
    const p = ports({ 'feature-x': asleep('feature-x', { state: 'waking' }) });
    const door = new WakeDoor({ domain: DOMAIN, ports: p, now: () => now, perSource: { capacity: 3, perMinute: 6 }, perEnvironment: { capacity: 5, perMinute: 60 } });
    const fromOne = [];
    for (let i = 0; i < 4; i++) fromOne.push(await ask(door, 'feature-x.dev.example.com', 'application/json', '192.0.2.9'));
    expect(fromOne.map((a) => a.status)).toEqual([503, 503, 503, 429]);
    expect(Number(fromOne[3]!.headers['retry-after'])).toBeGreaterThan(0);
    // 3 of the environment's 5 tokens are spent; of 10 more requests only 2 reach the store.
    for (let i = 0; i < 10; i++) expect((await ask(door, 'feature-x.dev.example.com', BROWSER, `10.0.0.${i}`)).status).toBe(503);
    expect(p.lookup).toHaveBeenCalledTimes(5);
    now += 60_000; // a minute later the buckets are full again
    expect((await ask(door, 'feature-x.dev.example.com', 'application/json', '192.0.2.9')).status).toBe(503);
  });

  it('a failing store or start answers "waking" and reports the error', async () => {
    const p = ports({ 'feature-x': asleep('feature-x') });
    p.start.mockRejectedValueOnce(new Error('ECS throttled'));
    const onError = vi.fn();
    const a = await ask(new WakeDoor({ domain: DOMAIN, ports: p, onError }), 'feature-x.dev.example.com', 'application/json');
    expect(a.status).toBe(503);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'ECS throttled' }), 'feature-x');
  });

  it('reads the name from the Host header and the client from the ALB-appended X-Forwarded-For entry', () => {
    expect(envNameFromHost('Feature-X.dev.example.com:443', DOMAIN)).toBe('feature-x');
    expect(envNameFromHost('a.b.dev.example.com', DOMAIN)).toBeUndefined();
    expect(envNameFromHost('envbot.dev.example.com', DOMAIN)).toBeUndefined();
    const req = (xff?: string) => ({ headers: xff ? { 'x-forwarded-for': xff } : {}, socket: { remoteAddress: '10.0.1.5' } }) as unknown as IncomingMessage;
    expect(sourceAddress(req('1.2.3.4, 203.0.113.7'))).toBe('203.0.113.7');
    expect(sourceAddress(req())).toBe('10.0.1.5');
  });

  it('rate limiter refills over time and bounds its memory', () => {
    let now = 0;
    const rl = new RateLimiter({ capacity: 2, perMinute: 2, maxKeys: 2, now: () => now });
    expect([rl.take('a'), rl.take('a'), rl.take('a')]).toEqual([true, true, false]);
    expect(rl.retryAfterSeconds('a')).toBe(30);
    now += 30_000;
    expect(rl.take('a')).toBe(true);
    rl.take('b');
    rl.take('c'); // 'a' is dropped: forgiven, never wrongly blocked
    expect(rl.take('a')).toBe(true);
  });
});
