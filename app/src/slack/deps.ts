import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { DoorPort } from '../frontdoor/door-port.js';
import type { ActorResolver } from './access/actor-resolver.js';
import type { BackgroundWork } from '../frontdoor/background-work.js';
import type { HomePublisher } from './home-publisher.js';
import type { SlackNotifier } from './progress/slack-notifier.js';

/** What every Slack listener works with; built once in slack-app.ts. */
export interface SlackDeps {
  engine: DoorPort;
  client: webApi.WebClient;
  actors: ActorResolver;
  notifier: SlackNotifier;
  home: HomePublisher;
  background: BackgroundWork;
  log: Logger;
}
