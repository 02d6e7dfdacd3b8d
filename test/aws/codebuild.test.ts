import { BatchGetBuildsCommand, StartBuildCommand, StopBuildCommand } from '@aws-sdk/client-codebuild';
import { CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { BuildLogs } from '../../app/src/aws/build-logs.js';
import { CodeBuildBuilds, CodeBuildError } from '../../app/src/aws/codebuild.js';
import { EcrImages } from '../../app/src/aws/ecr.js';
import { MemoryBuildClaims } from '../../app/src/builds/build-claims.js';
import { BuildFailedError, BuildTimeoutError } from '../../app/src/builds/build-errors.js';
import type { BuildIsolation } from '../../app/src/builds/build-isolation.js';
import { ImageProvenanceError } from '../../app/src/builds/image-provenance.js';
import { ImageService, type BuildProgress } from '../../app/src/builds/image-service.js';
import { emulatorClients, uniquePrefix } from '../support/aws-fixture.js';
import { buildRecord, codeBuildClient, fakeTime } from './codebuild-fakes.js';
import { createRepository, pushCommitImage } from './ecr-helpers.js';

// CodeBuild through aws-sdk-client-mock (moto's StartBuild/BatchGetBuilds responses break SDK v3);
// ECR and CloudWatch Logs are real SDK calls against moto.
const aws = emulatorClients();
const SHA = '0123456789abcdef0123456789abcdef01234567';
const BUILD_ID = 'envbot-build:11111111-2222-3333-4444-555555555555';

async function setup(label: string, isolation?: BuildIsolation) {
  const repositoryName = uniquePrefix(label);
  const repositoryUri = await createRepository(aws.ecr, repositoryName);
  const client = codeBuildClient();
  const cb = mockClient(client);
  const time = fakeTime();
  const progress: BuildProgress[] = [];
  const claims = new MemoryBuildClaims();
  const service = new ImageService({
    ecr: new EcrImages(aws.ecr),
    codebuild: new CodeBuildBuilds(client),
    logs: new BuildLogs(aws.logs),
    claims,
    repositoryName,
    repositoryUri,
    projectName: 'envbot-build',
    region: 'us-east-1',
    clock: time.clock,
    sleep: time.sleep,
    timeoutMs: 20 * 60_000,
    ...(isolation && { isolation }),
  });
  const up = () => service.ensureImage({ env: 'feature-x', branch: 'feature/x', commit: SHA, onProgress: (p) => void progress.push(p) });
  /** A SUCCEEDED build that pushed the commit's image (as buildspec.yml does) and exported its digest. */
  const pushedAndSucceeded = (exported: Record<string, string> = {}, variant = '') => async () => {
    const digest = await pushCommitImage(aws.ecr, repositoryName, SHA, variant);
    return { builds: [buildRecord(BUILD_ID, 'COMPLETED', { status: 'SUCCEEDED', seconds: 118, exported: { IMAGE_DIGEST: digest, ...exported } })] };
  };
  return { repositoryName, repositoryUri, cb, time, progress, service, up, claims, pushedAndSucceeded };
}

describe('ImageService with CodeBuild', () => {
  let ctx: Awaited<ReturnType<typeof setup>>;
  beforeEach(async () => {
    ctx = await setup('cb');
  });

  it('skips the build when ECR has the image envbot\'s own build of the commit pushed', async () => {
    const digest = await pushCommitImage(aws.ecr, ctx.repositoryName, SHA);
    await ctx.claims.recordBuilt({ commit: SHA, digest, buildId: BUILD_ID, builtAtMs: 1, protectedBranch: false });
    const result = await ctx.up();
    expect(result).toEqual({ image: `${ctx.repositoryUri}:c-${SHA}`, built: false, digest });
    expect(ctx.cb.commandCalls(StartBuildCommand)).toHaveLength(0);
  });

  it('finding 6: an image under the commit tag that envbot did not build is deleted and the commit built by envbot', async () => {
    // A branch's build scripts pushed c-<sha of main's head> with the shared build role.
    const planted = await pushCommitImage(aws.ecr, ctx.repositoryName, SHA, '-planted');
    ctx.cb.on(StartBuildCommand).resolves({ build: buildRecord(BUILD_ID, 'SUBMITTED') });
    ctx.cb.on(BatchGetBuildsCommand).callsFake(ctx.pushedAndSucceeded());

    const result = await ctx.up();

    expect(ctx.cb.commandCalls(StartBuildCommand)).toHaveLength(1);
    expect(result.built).toBe(true);
    expect(result.digest).not.toBe(planted);
    const now = await new EcrImages(aws.ecr).findByTag(ctx.repositoryName, `c-${SHA}`);
    expect(now?.digest).toBe(result.digest);
    expect(await ctx.claims.built(SHA)).toMatchObject({ digest: result.digest, buildId: BUILD_ID, protectedBranch: false });
  });

  it('refuses the image when the digest under the tag is not the one the build reported (a push raced it)', async () => {
    ctx.cb.on(StartBuildCommand).resolves({ build: buildRecord(BUILD_ID, 'SUBMITTED') });
    ctx.cb.on(BatchGetBuildsCommand).callsFake(ctx.pushedAndSucceeded({ IMAGE_DIGEST: `sha256:${'e'.repeat(64)}` }));

    const err = await ctx.up().catch((e) => e);

    expect(err).toBeInstanceOf(ImageProvenanceError);
    expect(err.userMessage).toMatch(/not the one envbot's build pushed .* run \/env up again/);
    expect(await ctx.claims.built(SHA)).toBeUndefined();
  });

  it('starts one build at the commit with PLAINTEXT overrides, follows its phases, and returns duration and cache hit', async () => {
    ctx.cb.on(StartBuildCommand).resolves({ build: buildRecord(BUILD_ID, 'SUBMITTED') });
    ctx.cb
      .on(BatchGetBuildsCommand)
      .resolvesOnce({ builds: [buildRecord(BUILD_ID, 'QUEUED')] })
      .resolvesOnce({ builds: [buildRecord(BUILD_ID, 'PROVISIONING')] })
      .resolvesOnce({ builds: [buildRecord(BUILD_ID, 'BUILD', { exported: { CACHE_HIT: 'true' } })] })
      .resolvesOnce({ builds: [buildRecord(BUILD_ID, 'BUILD', { exported: { CACHE_HIT: 'true' } })] })
      .callsFake(ctx.pushedAndSucceeded({ CACHE_HIT: 'true', IMAGE_URI: 'x' }));

    const result = await ctx.up();

    expect(result).toEqual({ image: `${ctx.repositoryUri}:c-${SHA}`, built: true, buildSeconds: 118, cacheHit: true, digest: expect.stringMatching(/^sha256:/) });
    const start = ctx.cb.commandCalls(StartBuildCommand)[0]!.args[0].input;
    expect(start).toMatchObject({ projectName: 'envbot-build', sourceVersion: SHA });
    expect(start).not.toHaveProperty('buildspecOverride');
    expect(start.environmentVariablesOverride).toEqual(
      expect.arrayContaining([
        { name: 'COMMIT_SHA', value: SHA, type: 'PLAINTEXT' },
        { name: 'IMAGE_REPO_URI', value: ctx.repositoryUri, type: 'PLAINTEXT' },
        { name: 'ENV_NAME', value: 'feature-x', type: 'PLAINTEXT' },
        { name: 'BRANCH_NAME', value: 'feature/x', type: 'PLAINTEXT' },
      ]),
    );
    // One report per phase change, elapsed time from the fake clock, cache hit once exported.
    expect(ctx.progress).toEqual([
      { phase: 'QUEUED', elapsedSeconds: 0 },
      { phase: 'PROVISIONING', elapsedSeconds: 2 },
      { phase: 'BUILD', elapsedSeconds: 5, cacheHit: true },
      { phase: 'COMPLETED', elapsedSeconds: 16, cacheHit: true },
    ]);
    // Backoff: 2 s growing by 1.5x.
    expect(ctx.time.state.sleeps).toEqual([2000, 3000, 4500, 6750]);
    // Built now: the next `up` (or `start` after the nightly stop) skips the build.
    expect((await ctx.up()).built).toBe(false);
    expect(ctx.cb.commandCalls(StartBuildCommand)).toHaveLength(1);
  });

  it('passes the environment\'s current image as layer cache, pinned by digest, only if envbot built it', async () => {
    const previous = 'f'.repeat(40);
    const digest = await pushCommitImage(aws.ecr, ctx.repositoryName, previous);
    await ctx.service.markDeployed('feature-x', previous);
    ctx.cb.on(StartBuildCommand).resolves({ build: buildRecord(BUILD_ID, 'SUBMITTED') });
    ctx.cb.on(BatchGetBuildsCommand).callsFake(ctx.pushedAndSucceeded());
    const cacheFrom = (i: number) =>
      ctx.cb.commandCalls(StartBuildCommand)[i]!.args[0].input.environmentVariablesOverride!.find((v) => v.name === 'CACHE_FROM_IMAGE');

    await ctx.up();
    expect(cacheFrom(0)).toBeUndefined();

    await ctx.claims.recordBuilt({ commit: previous, digest, buildId: 'envbot-build:old', builtAtMs: 1, protectedBranch: false });
    await new EcrImages(aws.ecr).deleteImage(ctx.repositoryName, (await ctx.claims.built(SHA))!.digest);
    await ctx.up();
    expect(cacheFrom(1)).toEqual({ name: 'CACHE_FROM_IMAGE', value: `${ctx.repositoryUri}@${digest}`, type: 'PLAINTEXT' });
  });

  it('reports a failed build with its failing phase, the last log lines and the log link', async () => {
    const group = `/aws/codebuild/${uniquePrefix('logs')}`;
    const stream = BUILD_ID.split(':')[1]!;
    await aws.logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    await aws.logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
    lines.push('[ERROR] Failed to execute goal: compilation failure: OrderService.java:[42,17] cannot find symbol');
    await aws.logs.send(
      new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: lines.map((message, i) => ({ message, timestamp: Date.now() + i })) }),
    );
    ctx.cb.on(StartBuildCommand).resolves({ build: buildRecord(BUILD_ID, 'SUBMITTED', { group }) });
    ctx.cb
      .on(BatchGetBuildsCommand)
      .resolvesOnce({ builds: [buildRecord(BUILD_ID, 'BUILD', { group })] })
      .resolves({
        builds: [
          buildRecord(BUILD_ID, 'COMPLETED', {
            group,
            status: 'FAILED',
            failedPhase: 'BUILD',
            failMessage: 'Error while executing command: ./mvnw package. Reason: exit status 1',
            exported: { CACHE_HIT: 'false' },
          }),
        ],
      });

    const err = await ctx.up().catch((e) => e);

    expect(err).toBeInstanceOf(BuildFailedError);
    expect(err.phase).toBe('BUILD');
    expect(err.logTail).toHaveLength(20);
    expect(err.logTail.at(-1)).toContain('cannot find symbol');
    expect(err.logUrl).toContain(encodeURIComponent(group));
    expect(err.userMessage).toMatch(/^building 0123456 failed in BUILD \(Error while executing command: .*\) — see the full log: https:\/\//);
    // The failure released the claim: the next attempt builds again.
    await ctx.up().catch(() => undefined);
    expect(ctx.cb.commandCalls(StartBuildCommand)).toHaveLength(2);
  });

  it('gives up after the time limit, stops the build, and says so', async () => {
    ctx.cb.on(StartBuildCommand).resolves({ build: buildRecord(BUILD_ID, 'SUBMITTED') });
    ctx.cb.on(BatchGetBuildsCommand).resolves({ builds: [buildRecord(BUILD_ID, 'PROVISIONING')] });
    ctx.cb.on(StopBuildCommand).resolves({});

    const err = await ctx.up().catch((e) => e);

    expect(err).toBeInstanceOf(BuildTimeoutError);
    expect(err).toMatchObject({ by: 'bot', phase: 'PROVISIONING', waitedSeconds: 1200 });
    expect(err.userMessage).toMatch(/took longer than 20 min \(stuck in PROVISIONING\)/);
    expect(ctx.cb.commandCalls(StopBuildCommand)[0]!.args[0].input).toEqual({ id: BUILD_ID });
    // Polls never exceed the 15 s cap, and the last sleep ends exactly at the deadline.
    expect(Math.max(...ctx.time.state.sleeps)).toBe(15_000);
    expect(ctx.time.state.sleeps.reduce((a, b) => a + b, 0)).toBe(20 * 60_000);
  });

  it('reports CodeBuild\'s own TIMED_OUT as a time-out too', async () => {
    ctx.cb.on(StartBuildCommand).resolves({ build: buildRecord(BUILD_ID, 'SUBMITTED') });
    ctx.cb.on(BatchGetBuildsCommand).resolves({ builds: [buildRecord(BUILD_ID, 'COMPLETED', { status: 'TIMED_OUT' })] });
    const err = await ctx.up().catch((e) => e);
    expect(err).toBeInstanceOf(BuildTimeoutError);
    expect(err.by).toBe('codebuild');
  });

  it('turns an SDK exception into a named CodeBuildError that keeps the cause, and frees the claim', async () => {
    const denied = Object.assign(new Error('not authorized to perform codebuild:StartBuild'), { name: 'AccessDeniedException' });
    ctx.cb.on(StartBuildCommand).rejectsOnce(denied).resolves({ build: buildRecord(BUILD_ID, 'SUBMITTED') });
    ctx.cb.on(BatchGetBuildsCommand).callsFake(ctx.pushedAndSucceeded());
    const err = await ctx.up().catch((e) => e);
    expect(err).toBeInstanceOf(CodeBuildError);
    expect(err).toMatchObject({ name: 'CodeBuildError', code: 'AccessDeniedException' });
    expect(err.cause).toBe(denied);
    expect((await ctx.up()).built).toBe(true);
  });

  it('refuses a branch name or short SHA where a full commit SHA belongs', async () => {
    await expect(ctx.service.ensureImage({ env: 'x', branch: 'main', commit: 'main', onProgress: () => {} })).rejects.toThrow(/full 40-character/);
    expect(ctx.cb.commandCalls(StartBuildCommand)).toHaveLength(0);
  });
});

describe('protected branches build apart (dependency cache poisoning)', () => {
  const isolation = { protectedBranches: ['main'], cacheBucket: 'envbot-cache', protectedRoleArn: 'arn:aws:iam::123456789012:role/envbot-build-protected' };

  it('a protected branch builds with the protected role and cache, and only from layer caches protected builds made', async () => {
    const ctx = await setup('cbprot', isolation);
    const older = 'e'.repeat(40);
    const digest = await pushCommitImage(aws.ecr, ctx.repositoryName, older);
    // The newest image envbot built came from a feature branch: trusted for branches, not for main.
    await ctx.claims.recordBuilt({ commit: older, digest, buildId: 'envbot-build:feature', builtAtMs: 1, protectedBranch: false });
    ctx.cb.on(StartBuildCommand).resolves({ build: buildRecord(BUILD_ID, 'SUBMITTED') });
    ctx.cb.on(BatchGetBuildsCommand).callsFake(ctx.pushedAndSucceeded());

    await ctx.service.ensureImage({ env: 'main', branch: 'main', commit: SHA, onProgress: () => {} });

    const input = ctx.cb.commandCalls(StartBuildCommand)[0]!.args[0].input;
    expect(input.serviceRoleOverride).toBe(isolation.protectedRoleArn);
    expect(input.cacheOverride).toEqual({ type: 'S3', location: 'envbot-cache/protected' });
    expect(input.environmentVariablesOverride!.find((v) => v.name === 'CACHE_FROM_IMAGE')).toBeUndefined();
    expect(await ctx.claims.built(SHA)).toMatchObject({ protectedBranch: true });
  });

  it('any other branch builds with the project\'s own role and cache', async () => {
    const ctx = await setup('cbunprot', isolation);
    ctx.cb.on(StartBuildCommand).resolves({ build: buildRecord(BUILD_ID, 'SUBMITTED') });
    ctx.cb.on(BatchGetBuildsCommand).callsFake(ctx.pushedAndSucceeded());
    await ctx.up();
    const input = ctx.cb.commandCalls(StartBuildCommand)[0]!.args[0].input;
    expect(input).not.toHaveProperty('serviceRoleOverride');
    expect(input).not.toHaveProperty('cacheOverride');
    expect(await ctx.claims.built(SHA)).toMatchObject({ protectedBranch: false });
  });
});
