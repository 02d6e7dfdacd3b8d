import { BatchGetBuildsCommand, StartBuildCommand, StopBuildCommand, type Build, type CodeBuildClient } from '@aws-sdk/client-codebuild';
import { AwsActionError } from './errors.js';

/** A CodeBuild call failed; `cause` keeps the SDK exception. */
export class CodeBuildError extends AwsActionError {
  override readonly name = 'CodeBuildError';
}

export type BuildStatus = 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | 'FAULT' | 'STOPPED' | 'TIMED_OUT';

export interface BuildPhaseInfo {
  /** SUBMITTED, QUEUED, PROVISIONING, DOWNLOAD_SOURCE, INSTALL, PRE_BUILD, BUILD, POST_BUILD, … */
  type: string;
  /** SUCCEEDED, FAILED, FAULT, TIMED_OUT, IN_PROGRESS, STOPPED; unset while running. */
  status?: string;
  durationSeconds?: number;
  /** What CodeBuild said about a failed phase (e.g. "Error while executing command: …"). */
  message?: string;
}

export interface BuildInfo {
  id: string;
  status: BuildStatus;
  currentPhase: string;
  startTime?: Date;
  endTime?: Date;
  phases: BuildPhaseInfo[];
  /** The buildspec's `exported-variables` (IMAGE_URI, CACHE_HIT, BUILD_TOOL). */
  exported: Record<string, string>;
  logs: { group?: string; stream?: string; deepLink?: string };
}

export interface StartBuildRequest {
  projectName: string;
  /** The commit SHA: CodeBuild checks out exactly this. */
  sourceVersion: string;
  /** Passed as PLAINTEXT environment-variable overrides; never spliced into a buildspec. */
  env: Record<string, string>;
  /** Makes an SDK retry of the same request return the same build instead of a second one. */
  idempotencyToken?: string;
  /** `cacheOverride`: this build's dependency cache instead of the project's. */
  cache?: { type: 'S3'; location: string } | { type: 'NO_CACHE' };
  /** `serviceRoleOverride`: the role this build runs with (the caller needs iam:PassRole on it). */
  serviceRole?: string;
}

/** Thin adapter over CodeBuild builds: start, read, stop. */
export class CodeBuildBuilds {
  constructor(private readonly codebuild: CodeBuildClient) {}

  async start(req: StartBuildRequest): Promise<string> {
    try {
      const out = await this.codebuild.send(
        new StartBuildCommand({
          projectName: req.projectName,
          sourceVersion: req.sourceVersion,
          environmentVariablesOverride: Object.entries(req.env).map(([name, value]) => ({ name, value, type: 'PLAINTEXT' })),
          ...(req.idempotencyToken && { idempotencyToken: req.idempotencyToken }),
          ...(req.cache && { cacheOverride: req.cache }),
          ...(req.serviceRole && { serviceRoleOverride: req.serviceRole }),
        }),
      );
      const id = out.build?.id;
      if (!id) throw new Error('StartBuild returned no build id');
      return id;
    } catch (err) {
      throw new CodeBuildError(`starting a build of ${req.sourceVersion.slice(0, 12)} in ${req.projectName}`, err);
    }
  }

  async get(buildId: string): Promise<BuildInfo> {
    let build: Build | undefined;
    try {
      const out = await this.codebuild.send(new BatchGetBuildsCommand({ ids: [buildId] }));
      build = out.builds?.[0];
    } catch (err) {
      throw new CodeBuildError(`reading build ${buildId}`, err);
    }
    if (!build) throw new CodeBuildError(`reading build ${buildId}`, 'build not found');
    return toBuildInfo(buildId, build);
  }

  /** Asks CodeBuild to stop a build; callers treat this as best effort (it may have just ended). */
  async stop(buildId: string): Promise<void> {
    try {
      await this.codebuild.send(new StopBuildCommand({ id: buildId }));
    } catch (err) {
      throw new CodeBuildError(`stopping build ${buildId}`, err);
    }
  }
}

function toBuildInfo(buildId: string, build: Build): BuildInfo {
  return {
    id: build.id ?? buildId,
    status: (build.buildStatus ?? 'IN_PROGRESS') as BuildStatus,
    currentPhase: build.currentPhase ?? 'SUBMITTED',
    startTime: build.startTime,
    endTime: build.endTime,
    phases: (build.phases ?? []).map((p) => ({
      type: p.phaseType ?? 'UNKNOWN',
      status: p.phaseStatus,
      durationSeconds: p.durationInSeconds,
      message: p.contexts?.map((c) => c.message).filter((m): m is string => !!m).join('; ') || undefined,
    })),
    exported: Object.fromEntries((build.exportedEnvironmentVariables ?? []).map((v) => [v.name ?? '', v.value ?? ''])),
    logs: { group: build.logs?.groupName, stream: build.logs?.streamName, deepLink: build.logs?.deepLink },
  };
}
