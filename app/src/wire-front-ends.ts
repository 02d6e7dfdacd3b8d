import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Engine } from './engine/engine.js';
import type { HttpServer } from './http/server.js';
import type { Runtime } from './local/local-runtime.js';
import { registerDashboard } from './dashboard/register.js';

export interface FrontEnds {
  names: string[];
  stop(): Promise<void>;
}

/**
 * Attaches the optional front ends (Slack, GitHub, dashboard) and the optional engine modules
 * (builds, schedules, cost) that the configuration enables.
 */
export async function wireFrontEnds(o: {
  engine: Engine;
  config: Config;
  log: Logger;
  server: HttpServer;
  runtime: Runtime;
  env: NodeJS.ProcessEnv;
}): Promise<FrontEnds> {
  const names: string[] = [];
  const stops: (() => Promise<void>)[] = [];
  void o;

  // --- dashboard (app/src/dashboard/) -------------------------------------------------------
  // Local mode: on, loopback only. AWS: off (404) unless ENVBOT_DASHBOARD, then ALB OIDC only.
  const dashboard = registerDashboard(o.server, {
    engine: o.engine,
    config: o.config,
    limitations: o.runtime.limitations,
    log: o.log,
    env: o.env,
    runtime: {
      ...(o.config.mode === 'local' && o.config.aws.endpoint && { emulatorEndpoint: o.config.aws.endpoint }),
      ...(o.runtime.infra && { infra: o.runtime.infra }),
    },
  });
  if (dashboard.enabled) {
    names.push('dashboard');
    stops.push(dashboard.stop);
  }
  // --- end dashboard ---------------------------------------------------------------------------
  return {
    names,
    stop: async () => {
      for (const s of stops) await s();
    },
  };
}
