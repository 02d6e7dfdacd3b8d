import { helpText, USAGE } from '../../commands/help.js';
import { VERBS, type Verb } from '../../commands/types.js';
import { context, section, type SlackMessage } from './block-kit.js';
import { escapeText } from './mrkdwn.js';

/** `/env help`: the core's usage lines in a code block, so flags line up. */
export function renderHelp(topic?: Verb): SlackMessage {
  if (topic) {
    const text = helpText(topic);
    const [usage, ...details] = text.split('\n');
    return { text, blocks: [section(`\`${escapeText(usage!)}\``), section(escapeText(details.join('\n')))] };
  }
  const usage = VERBS.map((v) => `/env ${USAGE[v]}`).join('\n');
  return {
    text: helpText(),
    blocks: [
      section('*envbot* gives each branch its own environment. Commands:'),
      section(`\`\`\`${escapeText(usage)}\`\`\``),
      context('Try `/env help up` for details. The *Home* tab shows your environments and the team\'s.'),
    ],
  };
}
