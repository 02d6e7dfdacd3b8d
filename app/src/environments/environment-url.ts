import { hostFor } from './names.js';

/**
 * The link users get for an environment. In AWS, `<scheme>://<name>.<domain>` (the shared
 * listener's port). Locally the bot itself answers at `http://<name>.localhost:<port>/`: browsers
 * and curl resolve `*.localhost` to the loopback address, and the bot's port is part of the link.
 * The reconciler's `url` (reconcile/reconciler.ts, on ready) should come from here.
 */
export function environmentUrl(config: { mode: 'local' | 'aws'; urlScheme: 'http' | 'https'; domain: string; port: number }, name: string): string {
  const host = hostFor(name, config.domain);
  if (config.mode === 'local') return `http://${host}:${config.port}/`;
  return `${config.urlScheme}://${host}`;
}
