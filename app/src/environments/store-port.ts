import type { EnvironmentRecord } from './record.js';

/** A state-changing action, for the audit log: who, what, when, from where. */
export interface AuditEntry {
  at: string;
  actor: string;
  source: string;
  action: string;
  env?: string;
  detail?: string;
  outcome: 'accepted' | 'refused' | 'failed';
}

/** The durable store the core talks to (DynamoDB in production and, embedded, in local mode). */
export interface EnvironmentStore {
  get(name: string): Promise<EnvironmentRecord | undefined>;
  /** Creates the record only if no record of that name exists; false if one does. */
  create(record: EnvironmentRecord): Promise<boolean>;
  /**
   * Read-modify-write with optimistic concurrency: `change` gets the current record and returns the
   * new one (or undefined to leave it). Retried on version conflicts. Returns the stored record.
   */
  mutate(
    name: string,
    change: (current: EnvironmentRecord) => EnvironmentRecord | undefined,
    /** The caller's latest copy: the first attempt skips the read (a conflict falls back to one). */
    known?: EnvironmentRecord,
  ): Promise<EnvironmentRecord | undefined>;
  /** Deletes the record if its version still matches. */
  remove(name: string, version: number): Promise<boolean>;
  list(): Promise<EnvironmentRecord[]>;

  /** A lease keeps one reconciler (of possibly many replicas) per environment at a time. */
  acquireLease(name: string, holder: string, ttlMs: number): Promise<boolean>;
  releaseLease(name: string, holder: string): Promise<void>;

  /**
   * Claims the lowest free listener-rule priority for `name` (idempotent per name), skipping
   * `avoid` (priorities used by rules envbot does not manage).
   */
  claimPriority(name: string, avoid?: ReadonlySet<number>): Promise<number>;
  releasePriority(priority: number, name: string): Promise<void>;

  audit(entry: AuditEntry): Promise<void>;
  recentAudit(limit: number): Promise<AuditEntry[]>;

  /** True the first time an id is seen (webhook redelivery guard); remembered for `ttlSeconds`. */
  markOnce(kind: string, id: string, ttlSeconds: number): Promise<boolean>;

  ping(): Promise<void>;
}

export class VersionConflictError extends Error {
  readonly code = 'VERSION_CONFLICT';
}
