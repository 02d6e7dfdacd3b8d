import type { EnvNotice } from '../environments/notifier-port.js';
import { UserFacingError } from '../reconcile/errors.js';

/**
 * Build outcomes the user must hear about, marked user-facing where they are made. Each keeps the
 * internal detail (`message`, build id) apart from `userMessage`, the sentence for Slack and the PR
 * comment (Atlantis' error/failure split); `notice` (failing phase, log tail) is sent before it.
 */
export interface BuildFailureDetails {
  commit: string;
  buildId: string;
  /** The CodeBuild phase that failed (BUILD, PRE_BUILD, …). */
  phase: string;
  /** FAILED, FAULT or STOPPED. */
  status: string;
  /** Last lines of the build log (may be empty when the log could not be read). */
  logTail: string[];
  logUrl?: string;
  /** CodeBuild's own words about the failed phase. */
  reason?: string;
}

export class BuildFailedError extends UserFacingError {
  override readonly name = 'BuildFailedError';
  readonly code = 'BUILD_FAILED';
  readonly commit: string;
  readonly buildId: string;
  readonly phase: string;
  readonly status: string;
  readonly logTail: string[];
  readonly logUrl?: string;

  constructor(d: BuildFailureDetails) {
    const why = d.status === 'STOPPED' ? 'was stopped' : 'failed';
    super(
      `build ${d.buildId} of ${d.commit} ${d.status} in ${d.phase}${d.reason ? `: ${d.reason}` : ''}`,
      `building ${d.commit.slice(0, 7)} ${why} in ${d.phase}${d.reason ? ` (${d.reason})` : ''}` +
        ` — ${d.logUrl ? `see the full log: ${d.logUrl}` : 'see the CodeBuild log'}, fix the branch and run /env up again`,
      { notice: buildNotice(d.phase, d.logTail, d.logUrl) },
    );
    this.commit = d.commit;
    this.buildId = d.buildId;
    this.phase = d.phase;
    this.status = d.status;
    this.logTail = d.logTail;
    this.logUrl = d.logUrl;
  }
}

export interface BuildTimeoutDetails {
  commit: string;
  buildId: string;
  phase: string;
  waitedSeconds: number;
  /** 'codebuild': the project's own time limit; 'bot': envbot stopped waiting (and stopped the build). */
  by: 'codebuild' | 'bot';
  logUrl?: string;
}

export class BuildTimeoutError extends UserFacingError {
  override readonly name = 'BuildTimeoutError';
  readonly code = 'BUILD_TIMEOUT';
  readonly commit: string;
  readonly buildId: string;
  readonly phase: string;
  readonly waitedSeconds: number;
  readonly by: 'codebuild' | 'bot';
  readonly logUrl?: string;

  constructor(d: BuildTimeoutDetails) {
    super(
      `build ${d.buildId} of ${d.commit} timed out (${d.by}) in ${d.phase} after ${d.waitedSeconds}s`,
      `building ${d.commit.slice(0, 7)} took longer than ${Math.round(d.waitedSeconds / 60)} min (stuck in ${d.phase})` +
        ` — ${d.logUrl ? `see the log: ${d.logUrl}, ` : ''}then run /env up again`,
      { notice: buildNotice(d.phase, undefined, d.logUrl) },
    );
    this.commit = d.commit;
    this.buildId = d.buildId;
    this.phase = d.phase;
    this.waitedSeconds = d.waitedSeconds;
    this.by = d.by;
    this.logUrl = d.logUrl;
  }
}

/** The failed build's progress notice: the phase it stopped in, with the log where there is one. */
function buildNotice(phase: string, logTail: string[] | undefined, logUrl: string | undefined): EnvNotice {
  return { kind: 'build', phase, elapsedSeconds: 0, failed: true, ...(logTail && { logTail }), ...(logUrl && { logUrl }) };
}
