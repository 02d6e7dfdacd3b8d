import type { CommandResult } from '../../commands/context.js';
import type { Command } from '../../commands/types.js';
import { section, truncate, type SlackMessage } from './block-kit.js';
import { commandLabel } from './command-label.js';
import { code, escapeText } from './mrkdwn.js';

/** Emoji per result kind: refusals and errors must read differently from success. */
const MARK: Record<CommandResult['kind'], string> = {
  accepted: ':white_check_mark:',
  info: ':information_source:',
  refused: ':no_entry_sign:',
  error: ':warning:',
};

/** Core text is already mrkdwn-friendly (`*name*`, backticks); only Slack's control characters are escaped. */
export function renderResultText(result: Pick<CommandResult, 'kind' | 'text'>): SlackMessage {
  return {
    text: truncate(result.text, 3000),
    blocks: [section(truncate(`${MARK[result.kind]} ${escapeText(result.text)}`, 3000))],
  };
}

/** A refusal for bad input or missing rights, with the way out the core wrote into it. */
export function renderRefusal(text: string): SlackMessage {
  return renderResultText({ kind: 'refused', text });
}

/** The 3-second acknowledgement of a slash command whose work continues in the background. */
export function renderWorking(command: Command): SlackMessage {
  const label = commandLabel(command);
  return {
    text: `Working on ${label}…`,
    blocks: [section(`:hourglass_flowing_sand: Working on ${code(label)}…`)],
  };
}
