import { CreateTargetGroupCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { request } from 'node:http';
import { pino } from 'pino';
import { createClients, EMULATOR_CREDENTIALS } from '../app/src/aws/clients.js';
import { IDLE_SLEEP_ACTOR } from '../app/src/background.js';
import { composeEngine } from '../app/src/compose.js';
import { hostFor } from '../app/src/environments/names.js';
import { HttpServer } from '../app/src/http/server.js';
import { ensureSharedInfra } from '../app/src/local/shared-infra.js';
import { wireWakeDoor } from '../app/src/wire-wake.js';
import { instrument } from './aws-instrument.js';
import type { BenchResult } from './cost-summary.bench.js';
import { benchConfig } from './bench-config.js';

const log = pino({ level: process.env.BENCH_LOG ?? 'silent' });
const cli = { actor: { id: 'bench', source: 'cli' as const } };

/**
 * Wake on request: a sleeping environment, the first request for its host at the bot's waking
 * door, and the times until envbot sends UpdateService (the start) and until the ModifyRule that
 * hands the host back to the app ends. AWS at `latencyMs` per call; the emulator's service is
 * steady at once, so Fargate's own start (~60 s) is not in these figures.
 */
export async function benchWake(endpoint: string, latencyMs = 100): Promise<BenchResult[]> {
  const prefix = `bwake${Date.now() % 100000}`;
  const clients = createClients({ region: 'us-east-1', endpoint, credentials: EMULATOR_CREDENTIALS, maxAttempts: 10 });
  const infra = await ensureSharedInfra(clients, { prefix });
  const tg = await clients.elb.send(new CreateTargetGroupCommand({ Name: `${prefix}-bot`, Protocol: 'HTTP', Port: 3000, VpcId: infra.vpcId, TargetType: 'ip' }));
  const config = benchConfig(endpoint, infra, prefix, { ENVBOT_WAKE_TARGET_GROUP_ARN: tg.TargetGroups![0]!.TargetGroupArn! });
  const probe = instrument(clients, { latencyMs });
  const { engine } = composeEngine({ config, clients, log });
  await engine.runText(cli, 'up bench-wake');
  await engine.idle();
  await engine.run({ actor: IDLE_SLEEP_ACTOR }, { verb: 'stop', name: 'bench-wake', reason: 'idle' });
  await engine.idle();
  const server = new HttpServer(log);
  wireWakeDoor({ engine, config, clients, log, server });
  const port = await server.listen(0, '127.0.0.1');

  probe.reset();
  const t0 = Date.now();
  const status = await firstRequest(port, hostFor('bench-wake', config.domain));
  const answeredMs = Date.now() - t0;
  await engine.idle();
  const update = probe.calls.find((c) => c.command === 'UpdateServiceCommand');
  const flips = probe.calls.filter((c) => c.command === 'ModifyRuleCommand');
  const record = await engine.store.get('bench-wake');
  await server.close();
  await engine.stop();
  if (status !== 503 || !update || flips.length === 0 || record?.status !== 'ready') {
    throw new Error(`wake did not converge: first answer ${status}, UpdateService ${Boolean(update)}, ModifyRule ${flips.length}, status ${record?.status}`);
  }
  return [
    { name: `wake: first request answered (waking page) (AWS ${latencyMs} ms/call)`, value: answeredMs, unit: 'ms' },
    { name: `wake: first request → UpdateService sent (AWS ${latencyMs} ms/call)`, value: update.start - t0, unit: 'ms' },
    { name: `wake: first request → rule switched back (AWS ${latencyMs} ms/call)`, value: flips.at(-1)!.end - t0, unit: 'ms' },
    { name: 'wake: AWS calls from request to switched back', value: probe.calls.length, unit: 'calls' },
  ];
}

function firstRequest(port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { host, accept: 'text/html', 'x-forwarded-for': '198.51.100.7' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}
