import type { Config } from '../../config.js';

/** How this bot talks to Slack; chosen by configuration. */
export type SlackMode =
  | { kind: 'http'; botToken: string; signingSecret: string }
  | { kind: 'socket'; botToken: string; appToken: string };

/** Which connection the configuration asks for, or an error naming the keys still missing. */
export function slackMode(config: Config): SlackMode {
  const s = config.slack;
  const missing = (keys: [string, unknown][]) => keys.filter(([, v]) => !v).map(([k]) => k);
  const list = (gaps: string[]) => `${gaps.join(' and ')} ${gaps.length > 1 ? 'are' : 'is'} not set`;
  if (s.socketMode) {
    const gaps = missing([['SLACK_BOT_TOKEN', s.botToken], ['SLACK_APP_TOKEN', s.appToken]]);
    if (gaps.length) throw new Error(`starting Slack in Socket Mode: ${list(gaps)}`);
    return { kind: 'socket', botToken: s.botToken!, appToken: s.appToken! };
  }
  const gaps = missing([['SLACK_BOT_TOKEN', s.botToken], ['SLACK_SIGNING_SECRET', s.signingSecret]]);
  if (gaps.length) throw new Error(`starting Slack over HTTP: ${list(gaps)} (or set SLACK_SOCKET_MODE=true with SLACK_APP_TOKEN)`);
  return { kind: 'http', botToken: s.botToken!, signingSecret: s.signingSecret! };
}
