import { App, HTTPReceiver, SocketModeReceiver, type Logger as BoltLogger, type Receiver, type webApi } from '@slack/bolt';
import { SLACK_EVENTS_PATH } from './http-mount.js';
import type { SlackMode } from './slack-mode.js';

/**
 * Bolt with the receiver the mode asks for. HTTP: an HTTPReceiver that is never started itself —
 * its request listener is mounted on the bot's one HttpServer (see http-mount.ts). Socket Mode:
 * a SocketModeReceiver, started by App#start.
 */
export function buildBolt(mode: SlackMode, logger: BoltLogger, clientOptions: webApi.WebClientOptions): { app: App; receiver: { any: Receiver; http?: HTTPReceiver } } {
  const http =
    mode.kind === 'http'
      ? new HTTPReceiver({ signingSecret: mode.signingSecret, endpoints: SLACK_EVENTS_PATH, processBeforeResponse: false, logger })
      : undefined;
  const any: Receiver = mode.kind === 'socket' ? new SocketModeReceiver({ appToken: mode.appToken, logger }) : http!;
  const app = new App({
    receiver: any,
    logger,
    clientOptions,
    // One workspace, one bot token. No auth.test on the request path: a slow Slack API must not
    // delay the 3-second acknowledgement.
    authorize: async () => ({ botToken: mode.botToken }),
  });
  return { app, receiver: { any, ...(http && { http }) } };
}
