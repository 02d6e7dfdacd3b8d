import { BatchGetBuildsCommand, StartBuildCommand } from '@aws-sdk/client-codebuild';
import { DescribeImagesCommand, DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodeBuildBuilds } from '../../app/src/aws/codebuild.js';
import { EcrImages } from '../../app/src/aws/ecr.js';
import { MemoryBuildClaims } from '../../app/src/builds/build-claims.js';
import { BuildImageSource } from '../../app/src/builds/build-image-source.js';
import { ImageService } from '../../app/src/builds/image-service.js';
import type { ImageSource } from '../../app/src/reconcile/ports.js';
import { buildRecord, codeBuildClient } from '../aws/codebuild-fakes.js';
import { pushCommitImage } from '../aws/ecr-helpers.js';
import { emulatorClients } from '../support/aws-fixture.js';
import { SlackTestBot } from '../support/slack-signing.js';

// Finding 7 over signed HTTP: `/env down` of the environment that built an image must not delete
// that image while another environment runs it pinned with `--image`. Builds are the real
// ImageService on moto's ECR; CodeBuild is aws-sdk-client-mock (moto's responses break SDK v3).

const SHA = 'c0ffee0123456789abcdef0123456789abcdef01';
const BUILD_ID = 'envbot-build:77777777-2222-3333-4444-555555555555';

describe('images in use are never deleted (Slack, signed HTTP)', () => {
  const aws = emulatorClients();
  let source: BuildImageSource | undefined;
  // The bot's config (and so its repository) exists only once it started: delegate until then.
  const images: ImageSource = {
    imageFor: (record, onProgress) => source!.imageFor(record, onProgress),
    release: (record, others) => source!.release(record, others),
    markDeployed: (record) => source!.markDeployed(record),
  };
  let bot: SlackTestBot;
  let repositoryName: string;
  let repositoryUri: string;

  beforeAll(async () => {
    bot = await SlackTestBot.start({ label: 'slimg', env: { ENVBOT_ADMINS: 'slack:UADMIN' }, engine: { images } });
    repositoryName = bot.config.ecrRepository;
    const repo = await aws.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [repositoryName] }));
    repositoryUri = repo.repositories![0]!.repositoryUri!;
    const client = codeBuildClient();
    const cb = mockClient(client);
    cb.on(StartBuildCommand).resolves({ build: buildRecord(BUILD_ID, 'SUBMITTED') });
    cb.on(BatchGetBuildsCommand).callsFake(async () => {
      const digest = await pushCommitImage(aws.ecr, repositoryName, SHA);
      return { builds: [buildRecord(BUILD_ID, 'COMPLETED', { status: 'SUCCEEDED', exported: { IMAGE_DIGEST: digest } })] };
    });
    const service = new ImageService({
      ecr: new EcrImages(aws.ecr),
      codebuild: new CodeBuildBuilds(client),
      claims: new MemoryBuildClaims(),
      repositoryName,
      repositoryUri,
      projectName: 'envbot-build',
      region: 'us-east-1',
      sleep: async () => {},
    });
    source = new BuildImageSource(service, { headCommit: async (b) => (b === 'feature/shared' ? SHA : undefined) }, 'acme/app');
  });
  afterAll(async () => bot?.close());

  const imageTags = async () => (await aws.ecr.send(new DescribeImagesCommand({ repositoryName }))).imageDetails?.map((d) => d.imageTags?.sort());

  it('down of the env that built an image keeps it while another env runs it pinned with --image', async () => {
    await bot.command('U1', 'up built-env --branch feature/shared');
    await bot.settle();
    expect(await bot.engine.store.get('built-env')).toMatchObject({ status: 'ready', commit: SHA, image: `${repositoryUri}:c-${SHA}` });

    await bot.command('U2', `up pinned-env --image ${repositoryUri}:c-${SHA}`);
    await bot.settle();
    expect(await bot.engine.store.get('pinned-env')).toMatchObject({ status: 'ready', imagePinned: true });

    await bot.command('U1', 'down built-env');
    await bot.settle();
    expect(await bot.engine.store.get('built-env')).toBeUndefined();

    // The pinned env's next start (morning schedule, Spot replacement) pulls this image: it must still be there.
    expect(await imageTags()).toEqual([[`c-${SHA}`, 'deployed-pinned-env']]);
  });
});
