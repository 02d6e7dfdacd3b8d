import type { EnvironmentRecord } from '../environments/record.js';
import type { ProfileName } from '../environments/profiles.js';
import type { ExtendDuration } from '../environments/duration.js';
import type { SizeName } from '../environments/sizes.js';

export type AppSettings = NonNullable<EnvironmentRecord['appSettings']>;

/**
 * The repository a GitHub `up` comes from: its app settings (`.envbot.yml` at the commit being
 * deployed) and the pull request to report to. Only front ends set it, never the grammar.
 */
export interface FromRepository {
  owner: string;
  repo: string;
  /** Absent for a branch push: nothing to report to. */
  pr?: number;
  appSettings: AppSettings;
  /** The PR comes from a fork: its branch is not this repository's, so branch events never match it. */
  fork?: boolean;
  /** The repository's size for a new environment; an existing one keeps its own. */
  size?: SizeName;
}

/**
 * A GitHub event acting on the environments it created: a PR (closed, new commits, re-opened,
 * labelled) or a branch (pushed, deleted). Grants the change only on environments whose recorded
 * origin is that PR or branch of that repository. Only the GitHub door sets it, after verifying
 * the delivery's signature.
 */
export interface GitHubTrigger {
  owner: string;
  repo: string;
  pr?: number;
  branch?: string;
}

export type DownReason = 'user' | 'pr-closed' | 'branch-deleted';

/** Every front end parses text into one of these; nothing downstream sees raw text. */
export type Command =
  | {
      verb: 'up';
      name?: string;
      branch?: string;
      image?: string;
      profile?: ProfileName;
      size?: SizeName;
      from?: FromRepository;
      because?: GitHubTrigger;
    }
  | { verb: 'down'; name?: string; reason?: DownReason; because?: GitHubTrigger }
  /** `reason` is set only by envbot itself (the idle sleeper); people's stops are `user`. */
  | { verb: 'stop'; name?: string; reason?: 'idle' | 'user' }
  | { verb: 'start'; name?: string }
  | { verb: 'list'; mine: boolean }
  | { verb: 'status'; name?: string }
  | { verb: 'config'; name?: string; action: ConfigAction }
  | { verb: 'extend'; name?: string; duration: ExtendDuration }
  | { verb: 'cost'; name?: string }
  | { verb: 'whoami' }
  /** Admins only, never in a PR comment: how automation gets past protection, with the secret header. */
  | { verb: 'bypass' }
  | { verb: 'help'; topic?: Verb };

export type ConfigAction =
  | { kind: 'show' }
  | { kind: 'set'; key: string; value: string; secret: boolean }
  | { kind: 'unset'; key: string };

export const VERBS = ['up', 'down', 'stop', 'start', 'list', 'status', 'config', 'extend', 'cost', 'whoami', 'bypass', 'help'] as const;
export type Verb = (typeof VERBS)[number];

/**
 * Parse outcome. `usage` is the user-facing reply for bad input; the name is optional in the
 * command because PR comments default it to the PR's branch (front ends fill it in).
 */
export type ParseResult = { ok: true; command: Command } | { ok: false; reply: string };
