import type { RetryableError } from './errors.js';

/** What one step answers; a failure is thrown instead (see errors.ts). */
export type StepResult =
  /** Go on with the next step. */
  | { kind: 'done' }
  /** Stop this run, not failed: the queue runs it again after `afterMs` (its backoff when absent). */
  | { kind: 'requeue'; afterMs?: number; why: string }
  /** Shutdown ended a long wait: stop and leave the environment to the next replica or start. */
  | { kind: 'handed-back' };

/** What a whole run answers to the work queue. */
export type ReconcileResult =
  | { kind: 'done'; outcome: 'converged' | 'deleted' | 'absent' | 'failed' }
  | Exclude<StepResult, { kind: 'done' }>
  /** A transient failure: the queue counts it, backs off, and gives up after its attempt limit. */
  | { kind: 'retry'; error: RetryableError };

export const DONE: StepResult = { kind: 'done' };

export function requeue(why: string, afterMs?: number): StepResult {
  return afterMs === undefined ? { kind: 'requeue', why } : { kind: 'requeue', afterMs, why };
}
