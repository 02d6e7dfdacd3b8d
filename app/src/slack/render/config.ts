import { SECRET_MASK } from '../../environments/config-layers.js';
import { section, type KnownBlock, type SlackMessage } from './block-kit.js';
import { escapeText } from './mrkdwn.js';

/** One row of `/env config <name>` as the core hands it over (secret values already masked). */
export interface ConfigRow {
  key: string;
  layer: string;
  secure: boolean;
  value?: string;
  overrides: string[];
}

export function isConfigRows(data: unknown): data is ConfigRow[] {
  return Array.isArray(data) && data.every((d) => typeof d === 'object' && d !== null && 'key' in d && 'layer' in d && 'secure' in d);
}

/** Code blocks hold ~3000 characters; long configs continue in further sections. */
const CHUNK = 2800;

export function renderConfig(name: string, rows: ConfigRow[]): SlackMessage {
  const title = `Config of *${escapeText(name)}* (later layers win: base → profile → env):`;
  const lines = rows.map((r) => {
    // Masked here too, whatever the caller passed: a secret value must never reach Slack.
    const value = r.secure ? SECRET_MASK : (r.value ?? '');
    const shadow = r.overrides.length ? ` (overrides ${r.overrides.join(', ')})` : '';
    return escapeText(`${r.key}=${value}  [${r.layer}${r.secure ? ', secret' : ''}]${shadow}`).replace(/```/g, 'ˋˋˋ');
  });
  const blocks: KnownBlock[] = [section(title)];
  let chunk: string[] = [];
  const flush = () => {
    if (chunk.length) blocks.push(section(`\`\`\`${chunk.join('\n')}\`\`\``));
    chunk = [];
  };
  for (const line of lines) {
    if (chunk.join('\n').length + line.length + 1 > CHUNK) flush();
    chunk.push(line.slice(0, CHUNK));
  }
  flush();
  return { text: `Config of ${name}: ${rows.length} key${rows.length === 1 ? '' : 's'}`, blocks };
}
