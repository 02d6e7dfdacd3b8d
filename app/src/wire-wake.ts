import type { Logger } from 'pino';
import type { AwsClients } from './aws/clients.js';
import { DynamoWakeClaims } from './aws/wake-claims.js';
import { profileOfRecord } from './config.js';
import type { Config } from './config.js';
import type { Actor } from './commands/actor.js';
import type { Engine } from './engine/engine.js';
import { ParameterConfig } from './engine/parameter-config.js';
import type { HttpServer } from './http/server.js';
import { WakeDoor } from './wake/door.js';
import { createHostRouter } from './wake/host-router.js';
import type { WakePorts } from './wake/ports.js';
import { emulatedViewOf, sleepingStateOf } from './wake/record-views.js';

/** The waking door acts as envbot itself; the audit log names it. */
export const WAKE_ACTOR: Actor = { id: 'system:wake-on-request', source: 'system', name: 'the waking door' };

/**
 * Mounts the waking door in front of the bot's routes: requests for `<name>.<domain>` (forwarded
 * by a sleeping environment's rule in AWS, or straight from the browser locally) wake it through
 * the command layer's `start` — authorization and audit are the command layer's — exactly once
 * per sleep (DynamoDB conditional write). Locally a running environment shows the emulated page.
 */
export function wireWakeDoor(o: { engine: Engine; config: Config; clients: AwsClients; log: Logger; server: HttpServer }): WakeDoor {
  const door = new WakeDoor({ domain: o.config.domain, ports: wakePorts(o), onError: (err, env) => o.log.warn({ err, env }, 'waking failed') });
  const params = new ParameterConfig(o.engine.params, o.config);
  const emulated =
    o.config.mode === 'local'
      ? async (name: string) => {
          const record = await o.engine.store.get(name);
          return record && emulatedViewOf(record, record.status === 'ready' ? await params.effective(record) : []);
        }
      : undefined;
  o.server.intercept(createHostRouter({ domain: o.config.domain, door, ...(emulated && { emulated }), onError: (err, env) => o.log.warn({ err, env }, 'environment page failed') }));
  return door;
}

export function wakePorts(o: { engine: Engine; config: Config; clients: AwsClients }): WakePorts {
  const profileOf = profileOfRecord(o.config);
  const claims = new DynamoWakeClaims(o.clients.doc, o.config.table);
  return {
    lookup: async (name) => {
      const record = await o.engine.store.get(name);
      return sleepingStateOf(record, record ? profileOf(record) : {});
    },
    claimWake: (name, version) => claims.claimWake(name, version),
    start: async (name) => {
      const result = await o.engine.run({ actor: WAKE_ACTOR }, { verb: 'start', name });
      if (result.kind === 'error' || result.kind === 'refused') throw new Error(`starting ${name} on request: ${result.text}`);
    },
  };
}
