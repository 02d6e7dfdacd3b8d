import type { EnvironmentRecord, Source } from '../environments/record.js';

/**
 * The doors a person can come through. Every person id carries its door (`slack:U0…`,
 * `github:alice`, `oidc:a@example.com`, `cli:alice`), so a GitHub login chosen to look like a
 * Slack user id is still only a GitHub login. `system` is envbot acting on its own.
 */
export const DOORS = ['slack', 'github', 'oidc', 'cli', 'system'] as const;
export type Door = (typeof DOORS)[number];

const QUALIFIED = /^(slack|github|oidc|cli|system):./;

/** Who is asking, and through which door. `id` is door-qualified (`slack:U123`, `github:alice`). */
export interface Actor {
  id: string;
  source: Source;
  /** Display name for messages; falls back to id. */
  name?: string;
  /** Slack user groups the actor belongs to (door-qualified, `slack:S…`), when known. */
  groups?: string[];
  /** Every id envbot knows to be this same person (the actor's own id first); filled by the command layer. */
  aliases?: string[];
}

export function isQualified(id: string): boolean {
  return QUALIFIED.test(id);
}

/** The door of a bare id recorded by `source` (records and actors from before ids carried their door). */
function doorOfBare(id: string, source: Source): Door {
  switch (source) {
    case 'slack':
    case 'github':
    case 'cli':
      return source;
    // The dashboard signed people in by OIDC email in AWS, and acted as the OS user locally.
    case 'dashboard':
      return id.includes('@') ? 'oidc' : 'cli';
    case 'schedule':
    case 'system':
      return 'system';
  }
}

/** GitHub logins and emails are case-insensitive; Slack ids and OS users are not. */
export function canonicalId(id: string): string {
  return /^(github|oidc):/.test(id) ? id.toLowerCase() : id;
}

/** `U123` from Slack → `slack:U123`; an id that already names its door is kept. */
export function qualifyId(id: string, source: Source): string {
  return canonicalId(isQualified(id) ? id : `${doorOfBare(id, source)}:${id}`);
}

export function doorOf(id: string): Door | undefined {
  const door = id.slice(0, id.indexOf(':'));
  return isQualified(id) ? (door as Door) : undefined;
}

/** The id without its door (`slack:U123` → `U123`), for the door's own API calls. */
export function localId(id: string): string {
  return isQualified(id) ? id.slice(id.indexOf(':') + 1) : id;
}

/** A record's owner, door-qualified: records written before ids carried their door migrate on read. */
export function ownerOf(record: Pick<EnvironmentRecord, 'owner' | 'source'>): string {
  return qualifyId(record.owner, record.source);
}

/** The same actor with a door-qualified id (front ends and tests may still pass bare ids). */
export function qualifyActor(actor: Actor): Actor {
  const id = qualifyId(actor.id, actor.source);
  return id === actor.id ? actor : { ...actor, id };
}

/** Every id this actor answers to: its own, then the linked ones. */
export function idsOf(actor: Actor): string[] {
  return actor.aliases && actor.aliases.length > 0 ? actor.aliases : [actor.id];
}

export function actorLabel(actor: Actor): string {
  return doorOf(actor.id) === 'slack' ? `<@${localId(actor.id)}>` : actor.name ?? localId(actor.id);
}
