import { BatchGetBuildsCommand, StartBuildCommand } from '@aws-sdk/client-codebuild';
import { DescribeImagesCommand } from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import type { CommitResolver } from '../../app/src/builds/commit-resolver.js';
import { composeEngine } from '../../app/src/compose.js';
import { emulatorClients, sharedInfra } from '../support/aws-fixture.js';
import { cli, configFor, RecordingNotifier, silentLog, slackUser } from '../support/engine-fixture.js';
import { buildRecord } from './codebuild-fakes.js';
import { pushCommitImage } from './ecr-helpers.js';

// The whole path through the engine: branch → commit (our own port, GitHub's job) → one CodeBuild
// build → image in ECR (moto) → five environments on it → teardown cleans the image.
// CodeBuild is aws-sdk-client-mock: moto's StartBuild/BatchGetBuilds responses break SDK v3.
const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const BUILD_ID = 'envbot-build:11111111-2222-3333-4444-555555555555';

describe('builds through the engine', () => {
  it('five environments on one commit start one build, record it, and the last teardown deletes the image', async () => {
    const clients = emulatorClients();
    const infra = await sharedInfra(clients, 'ebuild');
    const repositoryName = infra.repositoryUri.split('/').pop()!;
    const config = configFor(infra, { ENVBOT_ACCOUNT_ID: infra.repositoryUri.split('.')[0]!, ENVBOT_DEFAULT_IMAGE: '' });
    const cb = mockClient(clients.codebuild);
    let polls = 0;
    let pushed: Promise<string> | undefined;
    cb.on(StartBuildCommand).resolves({ build: buildRecord(BUILD_ID, 'SUBMITTED') });
    cb.on(BatchGetBuildsCommand).callsFake(async () => {
      if (++polls < 2) return { builds: [buildRecord(BUILD_ID, 'BUILD', { exported: { CACHE_HIT: 'true' } })] };
      const digest = await (pushed ??= pushCommitImage(clients.ecr, repositoryName, SHA));
      return { builds: [buildRecord(BUILD_ID, 'COMPLETED', { status: 'SUCCEEDED', seconds: 118, exported: { CACHE_HIT: 'true', IMAGE_DIGEST: digest } })] };
    });
    const commits: CommitResolver = { headCommit: async (branch) => (branch === 'feature/shared' ? SHA : undefined) };
    const { engine } = composeEngine({ config, clients, log: silentLog, commits, sleep: async () => {} });
    const notices = new RecordingNotifier();
    engine.notifier.add(notices);

    const names = ['b-one', 'b-two', 'b-three', 'b-four', 'b-five'];
    // An operator (no per-user quota) brings all five up at once.
    await Promise.all(names.map((n) => engine.runText(cli(), `up ${n} --branch feature/shared`)));
    await engine.idle();

    expect(cb.commandCalls(StartBuildCommand)).toHaveLength(1);
    expect(cb.commandCalls(StartBuildCommand)[0]!.args[0].input).toMatchObject({ projectName: 'envbot-build', sourceVersion: SHA });
    for (const n of names) {
      expect(await engine.store.get(n)).toMatchObject({ status: 'ready', commit: SHA, image: `${infra.repositoryUri}:c-${SHA}` });
    }
    const built = (await Promise.all(names.map((n) => engine.store.get(n)))).filter((r) => r?.lastBuildSeconds === 118);
    expect(built.length).toBeGreaterThanOrEqual(1);
    const status = await engine.runText(slackUser('U1'), `status ${built[0]!.name}`);
    expect(status.text).toContain('Last build: 118s (dependency cache hit)');
    expect(notices.notices.some((n) => n.notice.kind === 'build')).toBe(true);

    // An unknown branch is refused with a way out, not deployed with some other image.
    await engine.runText(slackUser('U2'), 'up b-ghost --branch feature/nope');
    await engine.idle();
    expect((await engine.store.get('b-ghost'))?.statusReason).toMatch(/branch `feature\/nope` was not found/);

    for (const n of names.slice(0, 4)) await engine.runText(cli(), `down ${n}`);
    await engine.idle();
    const kept = await clients.ecr.send(new DescribeImagesCommand({ repositoryName }));
    expect(kept.imageDetails?.[0]?.imageTags?.sort()).toEqual([`c-${SHA}`, 'deployed-b-five']);
    await engine.runText(cli(), 'down b-five');
    await engine.idle();
    const left = await clients.ecr.send(new DescribeImagesCommand({ repositoryName }));
    expect(left.imageDetails ?? []).toEqual([]);
    await engine.stop();
  });
});
