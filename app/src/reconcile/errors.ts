import { isTransient } from '../aws/errors.js';
import type { EnvNotice } from '../environments/notifier-port.js';

/**
 * Why a reconcile run stopped short. Each class says how the run ends, so nothing downstream
 * reads an error's fields to guess (controller-runtime's terminal / retryable split).
 */
export abstract class ReconcileError extends Error {
  /** The sentence recorded as the environment's status reason and sent to chat. */
  abstract readonly reason: string;
}

/** The environment fails now, with `message` as the reason: trying again will not help. */
export class TerminalError extends ReconcileError {
  override readonly name: string = 'TerminalError';
  get reason(): string {
    return this.message;
  }
}

/**
 * Terminal, with a sentence for the user kept apart from the internal `message` (build id, log
 * stream); `notice` is sent before the "failed" one (a build's failing phase and log tail).
 */
export class UserFacingError extends TerminalError {
  override readonly name: string = 'UserFacingError';
  readonly userMessage: string;
  readonly notice: EnvNotice | undefined;

  constructor(message: string, userMessage: string, options?: { cause?: unknown; notice?: EnvNotice }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.userMessage = userMessage;
    this.notice = options?.notice;
  }

  override get reason(): string {
    return this.userMessage;
  }
}

/** Throttling, 5xx, network: the work queue runs it again with backoff, up to its attempt limit. */
export class RetryableError extends ReconcileError {
  override readonly name = 'RetryableError';
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
  get reason(): string {
    return this.message;
  }
}

/**
 * Errors that reach the reconciler unmarked (SDK and adapter errors) are marked here once, by the
 * adapters' own classification of transient AWS errors; anything else is terminal.
 */
export function classify(err: unknown): ReconcileError {
  if (err instanceof RetryableError) return err;
  if (isTransient(err)) return new RetryableError(err);
  if (err instanceof ReconcileError) return err;
  return new TerminalError(err instanceof Error ? err.message : String(err), { cause: err });
}
