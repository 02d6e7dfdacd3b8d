import type { types } from '@slack/bolt';

/**
 * Block Kit types, named once. Renderers return plain data (no Bolt objects), so they can be
 * compared exactly in unit tests and sent by any Slack call (chat.postMessage, views.publish, …).
 */
export type KnownBlock = types.KnownBlock;
export type Button = types.Button;
export type HomeView = types.HomeView;
export type ModalView = types.ModalView;

/** A message body: `text` is the notification / screen-reader fallback, `blocks` what people see. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

export const plain = (text: string): types.PlainTextElement => ({ type: 'plain_text', text, emoji: true });
export const mrkdwn = (text: string): types.MrkdwnElement => ({ type: 'mrkdwn', text });
export const section = (text: string): types.SectionBlock => ({ type: 'section', text: mrkdwn(text) });
export const context = (...texts: string[]): types.ContextBlock => ({ type: 'context', elements: texts.map(mrkdwn) });
export const header = (text: string): types.HeaderBlock => ({ type: 'header', text: plain(truncate(text, 150)) });
export const divider = (): types.DividerBlock => ({ type: 'divider' });

/** Slack caps a section's text at 3000 characters; cut with an ellipsis rather than be refused. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
