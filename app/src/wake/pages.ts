/**
 * The door's answers. Browsers get small self-refreshing HTML pages; API clients (anything that
 * does not ask for HTML) get JSON with a status code and, while waking, `Retry-After`.
 * Nothing here comes from the request except the environment name, which is escaped.
 */
export interface DoorResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export const WAKE_RETRY_AFTER_SECONDS = 10;

export function wantsHtml(accept: string | undefined): boolean {
  // Browsers send text/html first; curl sends */*; fetch() and SDKs send application/json.
  return /\btext\/html\b/i.test(accept ?? '');
}

export function wakingResponse(name: string, html: boolean, retryAfter = WAKE_RETRY_AFTER_SECONDS): DoorResponse {
  const headers = { 'retry-after': String(retryAfter), 'cache-control': 'no-store' };
  if (!html) return json(503, { ...headers }, { error: 'waking', environment: name, message: `${name} is waking up; retry in ${retryAfter} s` });
  return page(503, headers, `Waking ${name}`, `<h1>Waking ${esc(name)}</h1><p>This environment was asleep. It is starting and usually takes about a minute.</p><p>This page reloads by itself and continues to the app when it is ready.</p>`, retryAfter);
}

export function stoppedResponse(name: string, html: boolean): DoorResponse {
  const message = `${name} is stopped and is not woken by requests; start it with /env start ${name}`;
  if (!html) return json(503, { 'cache-control': 'no-store' }, { error: 'stopped', environment: name, message });
  return page(503, { 'cache-control': 'no-store' }, `${name} is stopped`, `<h1>${esc(name)} is stopped</h1><p>It is not woken by requests. Start it from Slack or a pull request with <code>/env start ${esc(name)}</code>.</p>`);
}

export function notFoundResponse(name: string | undefined, html: boolean): DoorResponse {
  const what = name ? `There is no environment called ${name}` : 'There is no environment at this address';
  if (!html) return json(404, {}, { error: 'not_found', message: `${what}.` });
  return page(404, {}, 'No such environment', `<h1>No such environment</h1><p>${esc(what)}. It may have been destroyed when its pull request closed.</p>`);
}

export function tooManyResponse(retryAfter: number, html: boolean): DoorResponse {
  const headers = { 'retry-after': String(Math.max(1, retryAfter)) };
  if (!html) return json(429, headers, { error: 'rate_limited', message: 'too many requests; slow down' });
  return page(429, headers, 'Too many requests', '<h1>Too many requests</h1><p>Please wait a moment and reload.</p>');
}

function page(status: number, headers: Record<string, string>, title: string, body: string, refreshSeconds?: number): DoorResponse {
  const refresh = refreshSeconds ? `<meta http-equiv="refresh" content="${refreshSeconds}">` : '';
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8">${refresh}<meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em;color:#222}code{background:#eee;padding:0 .2em}</style></head><body>${body}</body></html>`;
  return {
    status,
    headers: { ...headers, 'content-type': 'text/html; charset=utf-8', 'x-content-type-options': 'nosniff', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" },
    body: html,
  };
}

function json(status: number, headers: Record<string, string>, body: object): DoorResponse {
  return { status, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
