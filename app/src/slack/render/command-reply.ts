import type { CommandResult } from '../../commands/context.js';
import type { Command } from '../../commands/types.js';
import type { SlackMessage } from './block-kit.js';
import { isConfigRows, renderConfig } from './config.js';
import { renderHelp } from './help.js';
import { renderList } from './list.js';
import { renderResultText } from './reply.js';
import { renderStatus } from './status.js';

/**
 * The answer to a command, as the person who ran it sees it (ephemeral). Rich renderings for the
 * read verbs; every other result is the core's text with a mark for its kind.
 */
export function renderCommandReply(command: Command, result: CommandResult, now: Date): SlackMessage {
  if (result.kind === 'refused' || result.kind === 'error') return renderResultText(result);
  switch (command.verb) {
    case 'help':
      return renderHelp(command.topic);
    case 'list':
      return result.records ? renderList(result.records, command.mine, now) : renderResultText(result);
    case 'status': {
      if (!result.record) return renderResultText(result);
      const data = (result.data ?? {}) as { nextStop?: string; cost?: number };
      return renderStatus(result.record, { ...(data.nextStop && { nextStop: data.nextStop }), ...(data.cost !== undefined && { cost: data.cost }) }, now);
    }
    case 'config':
      if (command.action.kind === 'show' && result.record && isConfigRows(result.data)) return renderConfig(result.record.name, result.data);
      return renderResultText(result);
    default:
      return renderResultText(result);
  }
}
