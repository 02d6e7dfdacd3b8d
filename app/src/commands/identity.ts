import type { Logger } from 'pino';
import { doorOf, localId, qualifyActor, type Actor } from './actor.js';

/**
 * Finds a person's other ids by a verified email. Each door provides what it can: Slack answers
 * `users.lookupByEmail` and knows its users' emails; GitHub shows a login's public email, which
 * GitHub only lets people pick from their verified addresses.
 */
export interface EmailDirectory {
  /** Door-qualified id (`slack:U…`) of the person with this email in that door, if any. */
  idForEmail?(email: string): Promise<string | undefined>;
  /** The verified email of a door-qualified id, if this door can tell. */
  emailOf?(id: string): Promise<string | undefined>;
}

interface Cached {
  ids: Promise<string[]>;
  until: number;
}

/**
 * Who is the same person across doors. Two sources, both opt-in: the admin's map
 * (ENVBOT_IDENTITY_LINKS, always trusted) and matching verified emails found through the doors'
 * directories (cached for ten minutes; a failed look-up links nothing).
 */
export class IdentityLinks {
  private readonly groups = new Map<string, Set<string>>();
  private readonly directories: EmailDirectory[] = [];
  private readonly cache = new Map<string, Cached>();
  private readonly discovered = new Map<string, Set<string>>();

  constructor(
    links: string[][],
    private readonly log?: Logger,
    private readonly ttlMs = 10 * 60_000,
    private readonly nowMs: () => number = Date.now,
  ) {
    for (const group of links) {
      const merged = new Set(group.flatMap((id) => [...(this.groups.get(id) ?? [id])]));
      for (const id of merged) this.groups.set(id, merged);
    }
  }

  addDirectory(directory: EmailDirectory): void {
    this.directories.push(directory);
    this.cache.clear();
  }

  /** Ids linked by the admin's map, the id itself first. */
  configured(id: string): string[] {
    return [id, ...[...(this.groups.get(id) ?? [])].filter((x) => x !== id)];
  }

  /** The actor with `aliases` filled: its own id, the configured links, then email matches. */
  async resolve(actor: Actor): Promise<Actor> {
    const q = qualifyActor(actor);
    if (doorOf(q.id) === 'system') return { ...q, aliases: [q.id] };
    const ids = new Set(this.configured(q.id));
    for (const id of await this.byEmail(q.id)) for (const linked of this.configured(id)) ids.add(linked);
    return { ...q, aliases: [...ids] };
  }

  private byEmail(id: string): Promise<string[]> {
    if (this.directories.length === 0) return Promise.resolve([]);
    const now = this.nowMs();
    const hit = this.cache.get(id);
    if (hit && hit.until > now) return hit.ids;
    const entry: Cached = { until: now + this.ttlMs, ids: this.lookup(id) };
    this.cache.set(id, entry);
    return entry.ids;
  }

  private async lookup(id: string): Promise<string[]> {
    try {
      const signedIn = doorOf(id) === 'oidc' && localId(id).includes('@') && !localId(id).startsWith('sub:');
      const email = signedIn ? localId(id) : await this.first((d) => d.emailOf?.(id));
      if (!email) return [...(this.discovered.get(id) ?? [])];
      const found = await Promise.all(this.directories.map((d) => d.idForEmail?.(email)));
      const ids = [`oidc:${email.toLowerCase()}`, ...found.filter((x): x is string => x !== undefined)].filter((x) => x !== id);
      // Remember the match both ways: Slack cannot search GitHub by email, so a Slack user learns
      // of their GitHub login once that login has been seen here.
      for (const other of ids) {
        this.discovered.set(other, new Set([...(this.discovered.get(other) ?? []), id]));
        this.cache.delete(other);
      }
      return [...new Set([...ids, ...(this.discovered.get(id) ?? [])])];
    } catch (err) {
      this.log?.warn({ err, id }, 'looking up linked identities by email failed; using the configured links only');
      this.cache.delete(id);
      return [];
    }
  }

  private async first(ask: (d: EmailDirectory) => Promise<string | undefined> | undefined): Promise<string | undefined> {
    for (const d of this.directories) {
      const answer = await ask(d);
      if (answer) return answer;
    }
    return undefined;
  }
}
