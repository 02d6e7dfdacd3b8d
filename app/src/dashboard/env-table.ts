import { formatMoney } from '../cost/render-summary.js';
import { html, safeHref, type Html } from './html.js';
import type { Action, EnvRow } from './rows.js';

/**
 * The environments as one HTML fragment, rendered on the server (one escaping renderer for the
 * first page load and every live update). It is a table on wide screens; at phone width the CSS
 * turns each row into a card, using `data-label` for the field names. Rows carry their owner and
 * status as attributes so the page can filter (mine / all / stopped) without asking again.
 */
export function renderEnvTable(rows: EnvRow[], o: { local: boolean }): Html {
  if (rows.length === 0) {
    return html`<p class="empty">No environments yet. Type <code>up demo</code> in the command box to create one.</p>`;
  }
  return html`<table class="envs">
<thead><tr><th>Environment</th><th>Status</th><th>Owner</th><th>Branch</th><th>URL</th><th>Age</th><th>Auto-stop</th><th>Cost so far</th><th><span class="sr">Actions</span></th></tr></thead>
<tbody>${rows.map((r) => renderRow(r, o))}</tbody>
</table>`;
}

function renderRow(r: EnvRow, o: { local: boolean }): Html {
  const busy = !['ready', 'stopped', 'failed'].includes(r.status);
  return html`<tr data-name="${r.name}" data-owner="${r.owner}" data-status="${r.status}">
<td class="name">${r.name}</td>
${cell('Status', html`<span class="badge s-${r.status}${busy ? ' busy' : ''}">${r.statusLabel}</span>${note(r.emulatedNote, true)}${note(r.statusReason)}`)}
${cell('Owner', r.owner)}
${cell('Branch', html`<code>${r.branch}</code>`, 'wrap')}
${cell('URL', renderUrl(r, o))}
${cell('Age', html`<time datetime="${r.createdAt}">${r.age}</time>`)}
${cell('Auto-stop', html`<span class="nowrap">${r.autoStop ?? '—'}</span>${note(r.autoStopNote, true)}`)}
${cell('Cost so far', renderCost(r, o))}
<td class="actions">${r.actions.map((a) => renderAction(a, r, o))}</td>
</tr>`;
}

/** A labelled cell; the value sits in one element so the phone layout can put it beside its label. */
function cell(label: string, value: Html | string, cls?: string): Html {
  return html`<td data-label="${label}"${cls ? html` class="${cls}"` : ''}><div>${value}</div></td>`;
}

function note(text: string | undefined, emulated = false): Html | undefined {
  return text ? html`<small class="note${emulated ? ' emu' : ''}">${text}</small>` : undefined;
}

function renderCost(r: EnvRow, o: { local: boolean }): Html | string {
  if (r.cost === undefined) return html`<span class="dim" title="Cost tracking is not configured here">—</span>`;
  if (o.local) return html`<span title="Nothing really runs locally, so nothing is charged">${formatMoney(r.cost)}</span>`;
  return formatMoney(r.cost);
}

function renderUrl(r: EnvRow, o: { local: boolean }): Html | string {
  const href = safeHref(r.url);
  if (!r.url || !href) return '—';
  // Host names break only after their dots, so a column never splits a word in two.
  const labels = r.url.replace(/^https?:\/\//, '').split('.');
  const shown = labels.map((l, i) => (i === 0 ? html`${l}` : html`.<wbr>${l}`));
  // Locally nothing answers there: show where it would be, but not as a working link.
  if (o.local) return html`<span class="dim" title="Nothing answers here locally">${shown}</span>`;
  return html`<a href="${href}" target="_blank" rel="noopener noreferrer">${shown}</a>`;
}

const LABEL: Record<Action, string> = { open: 'Open', stop: 'Stop', start: 'Start', retry: 'Retry', extend: 'Extend', destroy: 'Destroy' };

function renderAction(a: Action, r: EnvRow, o: { local: boolean }): Html {
  if (a === 'open') {
    const href = safeHref(r.url);
    if (o.local || !href) {
      return html`<span class="btn disabled" aria-disabled="true" title="Nothing answers at this URL: the local emulator runs no containers">Open</span>`;
    }
    return html`<a class="btn" href="${href}" target="_blank" rel="noopener noreferrer">Open</a>`;
  }
  const kind = a === 'destroy' ? ' danger' : a === 'start' || a === 'retry' ? ' primary' : '';
  return html`<button type="button" class="btn${kind}" data-action="${a}" data-name="${r.name}">${LABEL[a]}</button>`;
}
