import { BatchGetBuildsCommand, StartBuildCommand } from '@aws-sdk/client-codebuild';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { CodeBuildBuilds } from '../../app/src/aws/codebuild.js';
import { EcrImages } from '../../app/src/aws/ecr.js';
import { ensureTable } from '../../app/src/aws/store.js';
import { MemoryBuildClaims, type BuildClaimStore } from '../../app/src/builds/build-claims.js';
import { BuildFailedError } from '../../app/src/builds/build-errors.js';
import { DynamoBuildClaims } from '../../app/src/aws/dynamo-build-claims.js';
import { ImageService, type BuildProgress } from '../../app/src/builds/image-service.js';
import { emulatorClients, uniquePrefix } from '../support/aws-fixture.js';
import { buildRecord, codeBuildClient, quiescentTime } from './codebuild-fakes.js';
import { createRepository, pushCommitImage } from './ecr-helpers.js';

// Build once, deploy many: N environments on one commit start exactly one CodeBuild build,
// whether they ask one bot process (shared promise) or several replicas (DynamoDB claim in moto).
// CodeBuild itself is aws-sdk-client-mock (moto's StartBuild/BatchGetBuilds break SDK v3).
const aws = emulatorClients();
const SHA = '89abcdef0123456789abcdef0123456789abcdef';
const BUILD_ID = 'envbot-build:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';

/** A CodeBuild that takes `polls` BatchGetBuilds to finish, then "pushes" the image. */
async function world(label: string, opts: { polls?: number; fail?: boolean } = {}) {
  const repositoryName = uniquePrefix(label);
  const repositoryUri = await createRepository(aws.ecr, repositoryName);
  const client = codeBuildClient();
  const cb = mockClient(client);
  let polls = 0;
  let pushed: Promise<string> | undefined;
  cb.on(StartBuildCommand).resolves({ build: buildRecord(BUILD_ID, 'SUBMITTED') });
  cb.on(BatchGetBuildsCommand).callsFake(async () => {
    if (++polls < (opts.polls ?? 3)) return { builds: [buildRecord(BUILD_ID, 'BUILD', { exported: { CACHE_HIT: 'false' } })] };
    if (opts.fail) return { builds: [buildRecord(BUILD_ID, 'COMPLETED', { status: 'FAILED', failedPhase: 'BUILD' })] };
    // The image is in ECR before CodeBuild reports SUCCEEDED (pushed in the BUILD phase), for every poller.
    const digest = await (pushed ??= pushCommitImage(aws.ecr, repositoryName, SHA));
    return { builds: [buildRecord(BUILD_ID, 'COMPLETED', { status: 'SUCCEEDED', seconds: 131, exported: { CACHE_HIT: 'false', IMAGE_DIGEST: digest } })] };
  });
  const replica = (claims: BuildClaimStore, time: { clock: { now(): number }; sleep: (ms: number) => Promise<void> }, id: string) =>
    new ImageService({
      ecr: new EcrImages(aws.ecr),
      codebuild: new CodeBuildBuilds(client),
      claims,
      repositoryName,
      repositoryUri,
      projectName: 'envbot-build',
      region: 'us-east-1',
      replicaId: id,
      ...time,
    });
  return { repositoryUri, cb, client, replica };
}

const envs = ['feature-a', 'feature-b', 'feature-c', 'feature-d', 'feature-e'];

describe('build once, deploy many', () => {
  it('5 environments on the same commit, concurrently, in one bot: exactly one build, everyone gets the image', async () => {
    const w = await world('once');
    // Time only moves while no request is on the wire: all five look-ups in ECR finish before the build does.
    const service = w.replica(new MemoryBuildClaims(), quiescentTime([aws.ecr, w.client]), 'bot-1');
    const heard = new Map<string, BuildProgress[]>(envs.map((e) => [e, []]));

    const results = await Promise.all(
      envs.map((env) => service.ensureImage({ env, branch: 'feature/shared', commit: SHA, onProgress: (p) => void heard.get(env)!.push(p) })),
    );

    expect(w.cb.commandCalls(StartBuildCommand)).toHaveLength(1);
    expect(new Set(results.map((r) => r.image))).toEqual(new Set([`${w.repositoryUri}:c-${SHA}`]));
    expect(results.every((r) => r.built && r.buildSeconds === 131 && r.cacheHit === false)).toBe(true);
    for (const env of envs) expect(heard.get(env)!.map((p) => p.phase)).toEqual(['BUILD', 'COMPLETED']);
  });

  it('5 environments spread over 3 bot replicas sharing the DynamoDB table: one build, the others follow its id', async () => {
    const w = await world('replicas', { polls: 6 });
    const table = uniquePrefix('claims');
    await ensureTable(aws.dynamo, table);
    const time = quiescentTime([aws.ecr, aws.doc, w.client]);
    const replicas = ['bot-1', 'bot-2', 'bot-3'].map((id) => w.replica(new DynamoBuildClaims(aws.doc, table), time, id));

    const heard = new Map<string, string[]>(envs.map((e) => [e, []]));
    const results = await Promise.all(
      envs.map((env, i) =>
        replicas[i % 3]!.ensureImage({ env, branch: 'feature/shared', commit: SHA, onProgress: (p) => void heard.get(env)!.push(p.phase) }),
      ),
    );

    expect(w.cb.commandCalls(StartBuildCommand)).toHaveLength(1);
    expect(results.map((r) => r.image)).toEqual(envs.map(() => `${w.repositoryUri}:c-${SHA}`));
    // Every replica waited on that one build (none saw the image appear by chance) and reported it.
    expect(results.every((r) => r.built && r.buildSeconds === 131)).toBe(true);
    for (const env of envs) expect(heard.get(env)!.at(-1)).toBe('COMPLETED');
    for (const call of w.cb.commandCalls(BatchGetBuildsCommand)) expect(call.args[0].input.ids).toEqual([BUILD_ID]);
    // The claim is gone once the image exists; ECR is the truth from then on.
    expect(await new DynamoBuildClaims(aws.doc, table).get(SHA)).toBeUndefined();
  });

  it('takes over a claim whose replica died before starting the build (after 2 minutes)', async () => {
    const w = await world('takeover');
    const table = uniquePrefix('claims');
    await ensureTable(aws.dynamo, table);
    const claims = new DynamoBuildClaims(aws.doc, table);
    const time = quiescentTime([aws.ecr, aws.doc, w.client]);
    expect(await claims.tryClaim(SHA, 'dead-replica', time.clock.now() - 60_000, { staleBeforeMs: 0, unstartedBeforeMs: 0 })).toBe(true);

    const result = await w.replica(claims, time, 'bot-2').ensureImage({ env: 'feature-a', branch: 'x', commit: SHA, onProgress: () => {} });

    expect(result.built).toBe(true);
    expect(w.cb.commandCalls(StartBuildCommand)).toHaveLength(1);
    expect(time.state.ms - 1_000_000).toBeGreaterThanOrEqual(60_000); // it waited for the claim to go stale
  });

  it('tells every waiting environment about a failure, and lets the next attempt build again', async () => {
    const w = await world('fail', { fail: true });
    const service = w.replica(new MemoryBuildClaims(), quiescentTime([aws.ecr, w.client]), 'bot-1');
    const outcomes = await Promise.allSettled(envs.map((env) => service.ensureImage({ env, branch: 'b', commit: SHA, onProgress: () => {} })));
    expect(outcomes.every((o) => o.status === 'rejected' && o.reason instanceof BuildFailedError && o.reason.phase === 'BUILD')).toBe(true);
    expect(w.cb.commandCalls(StartBuildCommand)).toHaveLength(1);
    await service.ensureImage({ env: 'feature-a', branch: 'b', commit: SHA, onProgress: () => {} }).catch(() => undefined);
    expect(w.cb.commandCalls(StartBuildCommand)).toHaveLength(2);
    // CodeBuild answers a repeated idempotency token (for five minutes) with the *old*, failed build.
    const tokens = w.cb.commandCalls(StartBuildCommand).map((c) => c.args[0].input.idempotencyToken);
    expect(new Set(tokens).size).toBe(2);
  });

  it('replicas share what was built: provenance in DynamoDB, written once by the build, forgotten only for the digest it names', async () => {
    const w = await world('provenance', { polls: 2 });
    const table = uniquePrefix('claims');
    await ensureTable(aws.dynamo, table);
    const time = quiescentTime([aws.ecr, aws.doc, w.client]);
    const [one, two] = ['bot-1', 'bot-2'].map((id) => w.replica(new DynamoBuildClaims(aws.doc, table), time, id));

    const built = await one!.ensureImage({ env: 'main', branch: 'main', commit: SHA, onProgress: () => {} });
    // Another replica trusts the image without building: it reads the same provenance.
    const reused = await two!.ensureImage({ env: 'stage', branch: 'main', commit: SHA, onProgress: () => {} });

    expect(w.cb.commandCalls(StartBuildCommand)).toHaveLength(1);
    expect(reused).toMatchObject({ built: false, digest: built.digest });
    const claims = new DynamoBuildClaims(aws.doc, table);
    expect(await claims.built(SHA)).toMatchObject({ commit: SHA, digest: built.digest, buildId: BUILD_ID, protectedBranch: true });
    await claims.forgetBuilt(SHA, `sha256:${'0'.repeat(64)}`);
    expect(await claims.built(SHA)).toBeDefined();
    await claims.forgetBuilt(SHA, built.digest);
    expect(await claims.built(SHA)).toBeUndefined();
  });
});
