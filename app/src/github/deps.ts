import type { Octokit } from '@octokit/rest';
import type { Logger } from 'pino';
import type { DoorPort } from '../frontdoor/door-port.js';
import type { Conversation } from './progress/conversation.js';
import type { WritePermissions } from './access/permissions.js';
import type { RepoSettingsLoader } from './connection/repo-settings.js';
import type { StatusPublisher } from './progress/status-publisher.js';

/** What the GitHub handlers share, wired once in github-app.ts. */
export interface GitHubDeps {
  engine: DoorPort;
  octokit: Octokit;
  log: Logger;
  allowForks: boolean;
  permissions: WritePermissions;
  settings: RepoSettingsLoader;
  conversation: Conversation;
  publisher: StatusPublisher;
}
