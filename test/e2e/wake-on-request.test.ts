import { CreateTargetGroupCommand, DescribeRulesCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../app/src/config.js';
import { Engine } from '../../app/src/engine/engine.js';
import type { Command } from '../../app/src/commands/types.js';
import { hostFor } from '../../app/src/environments/names.js';
import { HttpServer } from '../../app/src/http/server.js';
import { IDLE_SLEEP_ACTOR } from '../../app/src/background.js';
import { wireWakeDoor } from '../../app/src/wire-wake.js';
import { cli, engineFixture, silentLog, type EngineFixture } from '../support/engine-fixture.js';

/**
 * Wake on request over HTTP (issue 15): the bot's server as the ALB's waking target group would
 * reach it. A sleeping environment gets 100 simultaneous requests for its host from 100 clients
 * (the ALB appends each client's address to X-Forwarded-For): exactly one start; every browser
 * gets the waking page, every API client 503 + Retry-After; once the service is steady the host
 * rule forwards to the environment's target group again.
 */
type Answer = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

function get(port: number, host: string, accept: string, client: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { host, accept, 'x-forwarded-for': client } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('wake on request over HTTP', () => {
  let f: EngineFixture;
  let engine: Engine;
  let server: HttpServer;
  let port: number;
  let botTg: string;
  let config: Config;
  const starts: Command[] = [];

  beforeAll(async () => {
    f = await engineFixture('wake-http');
    const tg = await f.clients.elb.send(new CreateTargetGroupCommand({ Name: `${f.infra.cluster}-bot`.slice(-32), Protocol: 'HTTP', Port: 3000, VpcId: f.infra.vpcId, TargetType: 'ip' }));
    botTg = tg.TargetGroups![0]!.TargetGroupArn!;
    config = { ...f.config, wake: { ...f.config.wake, targetGroupArn: botTg } };
    engine = new Engine({ config, clients: f.clients, log: silentLog, sleep: f.world.sleep });
    // Counts the starts the door asks the command layer for.
    const run = engine.run.bind(engine);
    engine.run = (inv, command) => {
      if (command.verb === 'start') starts.push(command);
      return run(inv, command);
    };
    server = new HttpServer(silentLog);
    server.route('GET', '/healthz', (_req, res) => void res.end('ok'));
    wireWakeDoor({ engine, config, clients: f.clients, log: silentLog, server });
    port = await server.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await server?.close();
  });

  it('100 simultaneous requests start a sleeping environment once; browsers get the waking page, APIs 503 + Retry-After; the rule goes back when healthy', async () => {
    await engine.runText(cli(), 'up sleepy');
    await engine.idle();
    await engine.run({ actor: IDLE_SLEEP_ACTOR }, { verb: 'stop', name: 'sleepy', reason: 'idle' });
    await engine.idle();
    expect(await engine.store.get('sleepy')).toMatchObject({ desired: 'stopped', status: 'stopped', stopReason: 'idle' });
    const host = hostFor('sleepy', config.domain);

    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => {
        const browser = i % 2 === 0;
        return get(port, host, browser ? 'text/html,application/xhtml+xml,*/*;q=0.8' : 'application/json', `198.51.100.${i + 1}`).then((a) => ({ browser, ...a }));
      }),
    );
    expect(starts).toHaveLength(1);
    for (const a of answers.filter((x) => x.browser)) {
      expect(a.status).toBe(503);
      expect(a.headers['content-type']).toMatch(/text\/html/);
      expect(a.body).toContain('Waking sleepy');
      expect(a.body).toMatch(/http-equiv="refresh"/);
    }
    for (const a of answers.filter((x) => !x.browser)) {
      expect(a.status).toBe(503);
      expect(Number(a.headers['retry-after'])).toBeGreaterThan(0);
      expect(JSON.parse(a.body)).toMatchObject({ error: 'waking', environment: 'sleepy' });
    }

    await engine.idle();
    const record = await engine.store.get('sleepy');
    expect(record).toMatchObject({ desired: 'running', status: 'ready' });
    const rules = ((await f.clients.elb.send(new DescribeRulesCommand({ ListenerArn: config.listenerArn }))).Rules ?? []).filter((r) =>
      r.Conditions?.some((c) => (c.HostHeaderConfig?.Values ?? c.Values)?.includes(host)),
    );
    expect(rules).toHaveLength(1);
    const groups = rules[0]!.Actions?.find((a) => a.Type === 'forward')?.ForwardConfig?.TargetGroups;
    expect(groups).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ TargetGroupArn: record!.targetGroupArn, Weight: 1 }),
        expect.objectContaining({ TargetGroupArn: botTg, Weight: 0 }),
      ]),
    );
  });

  it('an unknown name gets a plain 404 and the bot keeps answering its own routes', async () => {
    const unknown = await get(port, hostFor('nobody', config.domain), 'text/html', '198.51.100.200');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toContain('No such environment');
    const own = await get(port, '127.0.0.1', 'text/plain', '198.51.100.201');
    expect(own.status).not.toBe(503);
  });

  it('an explicit stop is not woken where the profile says so', async () => {
    await engine.runText(cli(), 'up manual');
    await engine.idle();
    await engine.runText(cli(), 'stop manual');
    await engine.idle();
    const before = starts.length;
    const a = await get(port, hostFor('manual', config.domain), 'application/json', '198.51.100.202');
    expect(a.status).toBe(503);
    expect(JSON.parse(a.body)).toMatchObject({ error: 'stopped' });
    expect(starts.length).toBe(before);
  });
});
