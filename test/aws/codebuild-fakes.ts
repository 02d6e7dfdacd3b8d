import { CodeBuildClient, type Build, type BuildPhase, type BuildPhaseType } from '@aws-sdk/client-codebuild';
import { EMULATOR_CREDENTIALS } from '../../app/src/aws/clients.js';

/**
 * CodeBuild is mocked with aws-sdk-client-mock, not run in moto: moto 5.2's StartBuild and
 * BatchGetBuilds responses break SDK v3 deserialization (see design.md §6). The mock stands in
 * for the service only; the adapter code above it (request building, response mapping) is real.
 */
export function codeBuildClient(): CodeBuildClient {
  return new CodeBuildClient({ region: 'us-east-1', credentials: EMULATOR_CREDENTIALS });
}

/** A fake clock whose sleep just advances time, and records every delay. */
export function fakeTime() {
  const state = { ms: 1_000_000, sleeps: [] as number[] };
  return {
    state,
    clock: { now: () => state.ms },
    sleep: async (ms: number) => {
      state.sleeps.push(ms);
      state.ms += ms;
      await Promise.resolve();
    },
  };
}

const PHASES = ['SUBMITTED', 'QUEUED', 'PROVISIONING', 'DOWNLOAD_SOURCE', 'INSTALL', 'PRE_BUILD', 'BUILD', 'POST_BUILD', 'UPLOAD_ARTIFACTS', 'FINALIZING', 'COMPLETED'];

/** A BatchGetBuilds build record as CodeBuild returns it while in `currentPhase`. */
export function buildRecord(
  id: string,
  currentPhase: string,
  opts: { status?: Build['buildStatus']; failedPhase?: string; failMessage?: string; exported?: Record<string, string>; group?: string; seconds?: number } = {},
): Build {
  const upTo = PHASES.indexOf(currentPhase);
  const start = new Date('2025-06-30T10:00:00Z');
  return {
    id,
    buildStatus: opts.status ?? 'IN_PROGRESS',
    currentPhase,
    startTime: start,
    ...(opts.status && opts.status !== 'IN_PROGRESS' && { endTime: new Date(start.getTime() + (opts.seconds ?? 100) * 1000) }),
    phases: PHASES.slice(0, upTo + 1).map((phaseType): BuildPhase => ({
      phaseType: phaseType as BuildPhaseType,
      ...(phaseType === opts.failedPhase
        ? { phaseStatus: 'FAILED', contexts: [{ statusCode: 'COMMAND_EXECUTION_ERROR', message: opts.failMessage ?? 'Error while executing command' }] }
        : phaseType !== currentPhase && { phaseStatus: 'SUCCEEDED', durationInSeconds: 5 }),
    })),
    exportedEnvironmentVariables: Object.entries(opts.exported ?? {}).map(([name, value]) => ({ name, value })),
    logs: {
      groupName: opts.group ?? '/aws/codebuild/envbot-build',
      streamName: id.split(':')[1],
      deepLink: `https://console.aws.amazon.com/cloudwatch/home?region=us-east-1#logEvent:group=${encodeURIComponent(opts.group ?? '/aws/codebuild/envbot-build')};stream=${id.split(':')[1]}`,
    },
  };
}

/**
 * Fake time for several bot replicas talking to the emulator at once: `sleep` advances the clock
 * only once no AWS request of the watched clients is in flight. Time therefore never races ahead
 * of real I/O, whatever the machine's speed (a plain "advance and return" sleep would let a
 * waiting replica see a peer's claim as abandoned while the peer's request is still on the wire).
 */
export function quiescentTime(clients: Array<{ send: (...args: never[]) => Promise<unknown> }>) {
  let inflight = 0;
  for (const client of clients) {
    const original = client.send.bind(client) as (...args: unknown[]) => Promise<unknown>;
    (client as { send: unknown }).send = (...args: unknown[]) => {
      inflight++;
      return original(...args).finally(() => inflight--);
    };
  }
  const state = { ms: 1_000_000, sleeps: [] as number[] };
  const idle = async () => {
    do await new Promise((r) => setImmediate(r));
    while (inflight > 0);
  };
  return {
    state,
    clock: { now: () => state.ms },
    sleep: async (ms: number) => {
      await idle();
      state.sleeps.push(ms);
      state.ms += ms;
    },
  };
}
