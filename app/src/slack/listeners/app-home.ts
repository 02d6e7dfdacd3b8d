import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps.js';

/** Opening envbot's Home tab publishes a fresh dashboard for that person. */
export function registerAppHome(app: App, d: SlackDeps): void {
  app.event('app_home_opened', async ({ event }) => {
    if (event.tab !== 'home') return;
    d.background.run('publish home', async () => d.home.publish(await d.actors.resolve(event.user)));
  });
}
