import { SECRET_MASK, type EffectiveEntry } from '../environments/config-layers.js';
import type { DoorResponse } from './pages.js';

/**
 * Local mode answers at `http://<name>.localhost:<port>/` (browsers and curl resolve `*.localhost`
 * to the loopback address). For a running environment there is no real container, so this page
 * says so plainly and shows what the container would receive: name, branch, image and the
 * effective non-secret config with the layer each key came from. Secret values never appear —
 * only that they exist and where they would be read from.
 */
export interface EmulatedEnvironment {
  name: string;
  branch: string;
  image: string;
  profile: string;
  config: EffectiveEntry[];
}

export function emulatedResponse(env: EmulatedEnvironment, html: boolean): DoorResponse {
  if (!html) {
    return {
      status: 200,
      headers: { 'content-type': 'application/json', 'x-envbot-emulated': 'true' },
      body: JSON.stringify({ emulated: true, name: env.name, branch: env.branch, image: env.image, profile: env.profile, config: env.config.map(row) }),
    };
  }
  const rows = env.config
    .map((e) => `<tr><td><code>${esc(e.key)}</code></td><td>${e.secure ? `<i>${SECRET_MASK}</i> (secret: ${esc(e.name)})` : `<code>${esc(e.value ?? '')}</code>`}</td><td>${e.layer}${e.overrides.length ? ` (over ${e.overrides.join(', ')})` : ''}</td></tr>`)
    .join('');
  const body = `<p class="tag">EMULATED — local mode, no real container is running</p><h1>${esc(env.name)}</h1>
<dl><dt>Branch</dt><dd><code>${esc(env.branch)}</code></dd><dt>Image</dt><dd><code>${esc(env.image)}</code></dd><dt>Profile</dt><dd>${esc(env.profile)}</dd></dl>
<h2>What the container would receive</h2><table><thead><tr><th>Key</th><th>Value</th><th>Layer</th></tr></thead><tbody>${rows || '<tr><td colspan="3">no config</td></tr>'}</tbody></table>`;
  return {
    status: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'x-envbot-emulated': 'true',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    },
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(env.name)} (emulated)</title><style>body{font:15px/1.5 system-ui,sans-serif;max-width:48em;margin:3em auto;padding:0 1em}.tag{display:inline-block;background:#fde68a;padding:.2em .6em;font-weight:600}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2em .5em;text-align:left}</style></head><body>${body}</body></html>`,
  };
}

function row(e: EffectiveEntry) {
  return { key: e.key, layer: e.layer, overrides: e.overrides, ...(e.secure ? { secret: e.name } : { value: e.value ?? '' }) };
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
