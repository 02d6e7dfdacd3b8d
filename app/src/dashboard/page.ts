import { html, Html } from './html.js';
import { PAGE_SCRIPT } from './page-script.js';
import { PAGE_STYLE } from './page-style.js';

export interface PageModel {
  me: string;
  local: boolean;
  limitations: string[];
  /** Rendered by env-table.ts (already escaped). */
  table: Html;
  chartCaption: string;
  /** Per-response CSP nonce for the inline style and script. */
  nonce: string;
}

/**
 * The whole dashboard as one self-contained page: inline CSS and JS, no external assets (it must
 * work offline and under a strict Content-Security-Policy). Live updates replace `#envs` with
 * server-rendered HTML from the event stream; see page-script.ts.
 */
export function renderPage(m: PageModel): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>envbot — environments</title>
<link rel="icon" href="data:,">
<style nonce="${m.nonce}">${new Html(PAGE_STYLE)}</style>
</head>
<body data-me="${m.me}" data-mode="${m.local ? 'local' : 'aws'}">
<header class="top">
  <div class="brand">envbot <span class="sub">environments</span></div>
  <div class="who">${m.local ? html`<span class="pill local">local mode</span>` : ''}<span class="me" title="You act as this user">${m.me}</span></div>
</header>
<main>
${m.local ? localBanner(m.limitations) : ''}
<section class="panel">
  <div class="toolbar">
    <div class="filters" role="group" aria-label="Show">
      ${filterButton('all', 'All')}${filterButton('mine', 'Mine')}${filterButton('stopped', 'Stopped')}
    </div>
    <span id="live" class="live" aria-live="polite">connecting…</span>
  </div>
  <div id="envs">${m.table}</div>
  <p id="nomatch" class="empty" hidden>Nothing matches this filter.</p>
</section>
<div class="grid">
  <section class="panel">
    <h2>Command</h2>
    <form id="cmd" autocomplete="off">
      <label for="cmd-text" class="sr">Command</label>
      <input id="cmd-text" name="text" placeholder="up feature-x" spellcheck="false" autocapitalize="off" required>
      <button type="submit" class="btn primary">Run</button>
    </form>
    <p class="hint">The same grammar as <code>/env</code> in Slack: <code>up &lt;name&gt; [--branch B]</code>, <code>list [--mine]</code>, <code>status</code>, <code>stop</code>, <code>start</code>, <code>extend &lt;name&gt; 2h</code>, <code>down</code>, <code>cost</code>, <code>help</code>.</p>
    <pre id="out" class="out" aria-live="polite" hidden></pre>
    <h3>Activity</h3>
    <ol id="activity" class="activity"><li class="dim">Progress of environments appears here as it happens.</li></ol>
  </section>
  <section class="panel">
    <h2>Cost, last 7 days</h2>
    <img id="chart" class="chart" src="/dashboard/cost-chart.svg" width="640" height="280" alt="Cost per environment per day, last 7 days">
    <p class="hint">${m.chartCaption}</p>
  </section>
</div>
</main>
<dialog id="ask">
  <form method="dialog">
    <h2 id="ask-title"></h2>
    <p id="ask-text"></p>
    <p id="ask-field" hidden><label for="ask-duration">Postpone by</label> <input id="ask-duration" value="2h" size="6" spellcheck="false"></p>
    <div class="buttons"><button value="ok" id="ask-ok" class="btn"></button><button value="cancel" id="ask-cancel" class="btn"></button></div>
  </form>
</dialog>
<script nonce="${m.nonce}">${new Html(PAGE_SCRIPT)}</script>
</body>
</html>
`.value;
}

function localBanner(limitations: string[]): Html {
  return html`<section class="banner" id="limitations">
  <strong>Local mode.</strong> Commands really run against an AWS emulator (moto) on this machine: services, target groups,
  listener rules and schedules are created there, not in an AWS account. What the emulator cannot do:
  <ul>${limitations.map((l) => html`<li>${l}</li>`)}</ul>
</section>`;
}

function filterButton(value: string, label: string): Html {
  return html`<button type="button" class="seg" data-filter="${value}" aria-pressed="false">${label} <span class="count">0</span></button>`;
}
