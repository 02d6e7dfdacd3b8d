import type { ServerResponse } from 'node:http';
import { pingAws, type AwsClients } from '../aws/clients.js';
import type { EnvironmentStore } from '../environments/store-port.js';
import { sendJson } from './server.js';

async function check(fn: () => Promise<unknown>, timeoutMs: number): Promise<{ ok: boolean; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/** `GET /healthz`: 200 when the store and AWS answer, 503 otherwise, with which one failed. */
export function healthHandler(store: EnvironmentStore, clients: AwsClients, mode: string) {
  return async (_req: unknown, res: ServerResponse) => {
    const [storeCheck, awsCheck] = await Promise.all([
      check(() => store.ping(), 2000),
      check(() => pingAws(clients), 2000),
    ]);
    const ok = storeCheck.ok && awsCheck.ok;
    sendJson(res, ok ? 200 : 503, { status: ok ? 'ok' : 'degraded', mode, store: storeCheck, aws: awsCheck });
  };
}
