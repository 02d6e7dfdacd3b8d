import type { ResultKind } from '../../commands/context.js';
import { SETTINGS_FILE } from '../connection/repo-settings-schema.js';

export const REPLY_MARKER = '<!-- envbot:reply -->';

export interface ReplyInput {
  /** Who to address (without @). */
  login: string;
  /** What the reply answers: the command line, or the event that triggered the bot. */
  about: string;
  kind: ResultKind;
  text: string;
  /** Keep line breaks and spacing as they are (help, tables of text). */
  preformatted?: boolean;
}

const PREFIX: Record<ResultKind, string> = { accepted: '', info: '', refused: '🚫 ', error: '⚠️ ' };

/** A reply to a command: quotes the command, addresses its author, says what happened and why. */
export function renderReply(r: ReplyInput): string {
  const body = r.preformatted ? `${PREFIX[r.kind]}\n\n\`\`\`text\n${r.text.replace(/```/g, "'''")}\n\`\`\`` : `${PREFIX[r.kind]}${slackToMarkdown(r.text)}`;
  return [REPLY_MARKER, `> ${inlineCode(r.about)}`, '', `@${r.login} ${body}`.trimEnd()].join('\n');
}

/** The core writes Slack-flavoured text: `*bold*` is bold there but italic on GitHub. */
export function slackToMarkdown(text: string): string {
  return text.replace(/(^|[\s(])\*([^*\n]+)\*(?=[\s).,:;!?]|$)/gm, '$1**$2**');
}

function inlineCode(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

/** Why nothing was deployed: the repository's settings file is invalid. */
export function settingsProblemText(sha: string, problems: string[]): string {
  return [
    `\`${SETTINGS_FILE}\` at ${sha.slice(0, 7)} is invalid, so nothing was deployed:`,
    ...problems.map((p) => `- ${p}`),
    `Fix the file and push; then comment \`/env up\` again.`,
  ].join('\n');
}

// Refusals of who may ask live with the decision: commands/access.ts.
export { CONFIG_REFUSAL, FORK_REFUSAL, writeAccessRefusal } from '../../commands/access.js';
