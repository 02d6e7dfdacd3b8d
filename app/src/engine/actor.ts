import type { Source } from '../environments/record.js';

/** Who is asking, and through which door. `id` is stable (Slack user id, GitHub login, OS user). */
export interface Actor {
  id: string;
  source: Source;
  /** Display name for messages; falls back to id. */
  name?: string;
  /** Slack user groups / GitHub teams the actor belongs to, when known. */
  groups?: string[];
}

export function actorLabel(actor: Actor): string {
  return actor.source === 'slack' ? `<@${actor.id}>` : actor.name ?? actor.id;
}
