import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { SLACK_EVENTS_PATH } from '../../app/src/slack/connection/http-mount.js';
import { SLASH_COMMAND } from '../../app/src/slack/listeners/slash-command.js';

// The manifest in the repository must describe the app the code implements: same command, same
// endpoint, the events it listens to, and every scope a Web API call it makes needs.

const manifest = parse(readFileSync(new URL('../../slack/manifest.yml', import.meta.url), 'utf8'));

describe('slack/manifest.yml', () => {
  it('declares the slash command, interactivity and events on the one endpoint', () => {
    const url = `https://envbot.example.com${SLACK_EVENTS_PATH}`;
    expect(manifest.features.slash_commands).toEqual([expect.objectContaining({ command: SLASH_COMMAND, url, should_escape: false })]);
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: url });
    expect(manifest.settings.event_subscriptions).toEqual({ request_url: url, bot_events: ['app_home_opened'] });
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });

  it('asks for exactly the scopes the bot uses', () => {
    // chat.postMessage/update/delete/postEphemeral, usergroups.users.list; views.* need none.
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(['chat:write', 'chat:write.public', 'commands', 'im:write', 'usergroups:read', 'users:read', 'users:read.email']);
  });
});
