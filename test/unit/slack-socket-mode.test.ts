import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createClients, EMULATOR_CREDENTIALS } from '../../app/src/aws/clients.js';
import { loadConfig } from '../../app/src/config.js';
import { Engine } from '../../app/src/engine/engine.js';
import { HttpServer } from '../../app/src/http/server.js';
import { createSlackFrontEnd, slackMode } from '../../app/src/slack/slack-app.js';

// Socket Mode connects out to Slack over a WebSocket (apps.connections.open), which cannot be
// reached offline: only choosing and constructing it is tested here. HTTP mode is tested end to
// end in test/e2e/slack-*.test.ts.

const log = pino({ level: 'silent' });

function config(env: Record<string, string>) {
  return loadConfig({ ENVBOT_MODE: 'local', ENVBOT_LISTENER_ARN: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/x/y/z', ...env });
}

describe('choosing the Slack connection from configuration', () => {
  it('HTTP needs the bot token and the signing secret', () => {
    expect(slackMode(config({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret-123' }))).toEqual({ kind: 'http', botToken: 'xoxb-1', signingSecret: 'secret-123' });
    expect(() => slackMode(config({ SLACK_BOT_TOKEN: 'xoxb-1' }))).toThrow(
      'starting Slack over HTTP: SLACK_SIGNING_SECRET is not set (or set SLACK_SOCKET_MODE=true with SLACK_APP_TOKEN)',
    );
    expect(() => slackMode(config({}))).toThrow('SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are not set');
  });

  it('Socket Mode needs the bot token and an app-level token', () => {
    expect(slackMode(config({ SLACK_SOCKET_MODE: 'true', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }))).toEqual({ kind: 'socket', botToken: 'xoxb-1', appToken: 'xapp-1' });
    expect(() => slackMode(config({ SLACK_SOCKET_MODE: 'true', SLACK_BOT_TOKEN: 'xoxb-1' }))).toThrow('starting Slack in Socket Mode: SLACK_APP_TOKEN is not set');
  });

  it('Socket Mode builds without connecting and mounts no HTTP route', async () => {
    const cfg = config({ SLACK_SOCKET_MODE: 'true', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' });
    // Nothing here is ever called: the engine only needs clients to be constructed.
    const clients = createClients({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: EMULATOR_CREDENTIALS });
    const engine = new Engine({ config: cfg, clients, log });
    const server = new HttpServer(log);
    const front = await createSlackFrontEnd({ engine, config: cfg, log, server });
    expect(typeof front.start).toBe('function');
    const port = await server.listen(0, '127.0.0.1');
    try {
      const res = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', body: '{}' });
      expect(res.status).toBe(404);
      await front.idle();
    } finally {
      await server.close();
    }
  });
});
