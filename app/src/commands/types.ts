import type { ProfileName } from '../environments/profiles.js';
import type { SizeName } from '../environments/sizes.js';

/** Every front end parses text into one of these; nothing downstream sees raw text. */
export type Command =
  | { verb: 'up'; name?: string; branch?: string; image?: string; profile?: ProfileName; size?: SizeName }
  | { verb: 'down'; name?: string }
  | { verb: 'stop'; name?: string }
  | { verb: 'start'; name?: string }
  | { verb: 'list'; mine: boolean }
  | { verb: 'status'; name?: string }
  | { verb: 'config'; name?: string; action: ConfigAction }
  | { verb: 'extend'; name?: string; duration: string }
  | { verb: 'cost'; name?: string }
  | { verb: 'help'; topic?: Verb };

export type ConfigAction =
  | { kind: 'show' }
  | { kind: 'set'; key: string; value: string; secret: boolean }
  | { kind: 'unset'; key: string };

export const VERBS = ['up', 'down', 'stop', 'start', 'list', 'status', 'config', 'extend', 'cost', 'help'] as const;
export type Verb = (typeof VERBS)[number];

/**
 * Parse outcome. `usage` is the user-facing reply for bad input; the name is optional in the
 * command because PR comments default it to the PR's branch (front ends fill it in).
 */
export type ParseResult = { ok: true; command: Command } | { ok: false; reply: string };
