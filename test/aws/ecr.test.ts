import { GetLifecyclePolicyCommand } from '@aws-sdk/client-ecr';
import { beforeAll, describe, expect, it } from 'vitest';
import { EcrError, EcrImages } from '../../app/src/aws/ecr.js';
import { MemoryBuildClaims } from '../../app/src/builds/build-claims.js';
import { BuildImageSource } from '../../app/src/builds/build-image-source.js';
import { ImageService } from '../../app/src/builds/image-service.js';
import { buildLifecyclePolicy } from '../../app/src/builds/lifecycle-policy.js';
import { emulatorClients, uniquePrefix } from '../support/aws-fixture.js';
import { sampleRecord } from '../support/sample-record.js';
import { createRepository, pushCommitImage } from './ecr-helpers.js';

// ECR side of builds against moto: real SDK v3 ECR client, IMMUTABLE repository as in local setup.
const clients = emulatorClients();
const images = new EcrImages(clients.ecr);
const sha = (c: string) => c.repeat(40);

async function setup(label: string, clock = { now: () => Date.now() }) {
  const repositoryName = uniquePrefix(label);
  const repositoryUri = await createRepository(clients.ecr, repositoryName);
  const claims = new MemoryBuildClaims();
  const service = new ImageService({
    ecr: images,
    codebuild: { start: unused, get: unused, stop: unused },
    claims,
    repositoryName,
    repositoryUri,
    projectName: 'envbot-build',
    region: 'us-east-1',
    clock,
  });
  return { repositoryName, repositoryUri, service, claims };
}

async function unused(): Promise<never> {
  throw new Error('no build expected in this test');
}

describe('ECR lifecycle policy in the emulator', () => {
  it('is accepted by PutLifecyclePolicy and stored as written', async () => {
    const { repositoryName } = await setup('lcp');
    const policy = buildLifecyclePolicy({ keepCommitImages: 20, commitImageMaxAgeDays: 30 });
    await images.putLifecyclePolicy(repositoryName, policy);
    const out = await clients.ecr.send(new GetLifecyclePolicyCommand({ repositoryName }));
    expect(JSON.parse(out.lifecyclePolicyText!)).toEqual(policy);
  });

  it('rejection surfaces as a named error that keeps the SDK exception', async () => {
    const { repositoryName } = await setup('lcpbad');
    const err = await images.putLifecyclePolicy(repositoryName, { rules: [{ rulePriority: 1 }] }).catch((e) => e);
    expect(err).toBeInstanceOf(EcrError);
    expect(err.name).toBe('EcrError');
    expect((err.cause as Error).name).toBe('InvalidParameterException');
  });
});

describe('commit images and deployed-<env> tags (IMMUTABLE repository)', () => {
  let ctx: Awaited<ReturnType<typeof setup>>;
  beforeAll(async () => {
    ctx = await setup('tags');
    await pushCommitImage(clients.ecr, ctx.repositoryName, sha('1'));
    await pushCommitImage(clients.ecr, ctx.repositoryName, sha('2'));
  });

  it('finds an image by its commit tag, and nothing for an unknown tag', async () => {
    expect((await images.findByTag(ctx.repositoryName, `c-${sha('1')}`))?.tags).toEqual([`c-${sha('1')}`]);
    expect(await images.findByTag(ctx.repositoryName, `c-${sha('f')}`)).toBeUndefined();
  });

  it('adds deployed-<env> to the same digest, idempotently', async () => {
    const before = await images.findByTag(ctx.repositoryName, `c-${sha('1')}`);
    await ctx.service.markDeployed('feature-x', sha('1'));
    await ctx.service.markDeployed('feature-x', sha('1'));
    const after = await images.findByTag(ctx.repositoryName, 'deployed-feature-x');
    expect(after?.digest).toBe(before?.digest);
    expect(after?.tags.sort()).toEqual([`c-${sha('1')}`, 'deployed-feature-x']);
  });

  it('moves deployed-<env> when the environment moves to another commit (remove first: tags are immutable)', async () => {
    await ctx.service.markDeployed('feature-y', sha('1'));
    await ctx.service.markDeployed('feature-y', sha('2'));
    expect((await images.findByTag(ctx.repositoryName, 'deployed-feature-y'))?.tags).toContain(`c-${sha('2')}`);
    expect((await images.findByTag(ctx.repositoryName, `c-${sha('1')}`))?.tags).not.toContain('deployed-feature-y');
  });

  it('refuses to put a tag that another image holds', async () => {
    const err = await images.addTag(ctx.repositoryName, `c-${sha('2')}`, 'deployed-feature-x').catch((e) => e);
    expect(err).toBeInstanceOf(EcrError);
    expect(err.message).toMatch(/on another image/);
  });

  it('unmarks only when the tag is on that commit', async () => {
    expect(await ctx.service.unmarkDeployed('feature-y', sha('1'))).toBe(false);
    expect(await ctx.service.unmarkDeployed('feature-y', sha('2'))).toBe(true);
    expect(await images.findByTag(ctx.repositoryName, 'deployed-feature-y')).toBeUndefined();
    // Removing a tag keeps the image (it still has its commit tag).
    expect(await images.findByTag(ctx.repositoryName, `c-${sha('2')}`)).toBeDefined();
  });
});

describe('teardown deletes images no other environment uses', () => {
  it('keeps an image another env uses (by record or by deployed tag) and deletes it once unused', async () => {
    const { repositoryName, service } = await setup('teardown');
    await pushCommitImage(clients.ecr, repositoryName, sha('3'));
    await service.markDeployed('env-a', sha('3'));
    await service.markDeployed('env-b', sha('3'));

    // env-a is torn down: its tag goes, env-b still runs the image.
    await service.unmarkDeployed('env-a', sha('3'));
    const inUse = await service.digestsInUse([{ commit: sha('3') }]);
    expect(inUse.size).toBe(1);
    expect(await service.deleteUnusedImages(sha('3'), inUse)).toBe(false);
    // Even if the caller's records say unused, the deployed-env-b tag in ECR protects it.
    expect(await service.deleteUnusedImages(sha('3'), new Set())).toBe(false);

    await service.unmarkDeployed('env-b', sha('3'));
    expect(await service.deleteUnusedImages(sha('3'), new Set())).toBe(true);
    expect(await images.findByTag(repositoryName, `c-${sha('3')}`)).toBeUndefined();
    // Already gone: nothing to do, no error.
    expect(await service.deleteUnusedImages(sha('3'), new Set())).toBe(false);
  });

  it('prunes commit images older than the age limit unless deployed (what ECR cannot do next to a count rule)', async () => {
    const later = { now: () => Date.now() + 40 * 86_400_000 };
    const { repositoryName, service } = await setup('prune', later);
    await pushCommitImage(clients.ecr, repositoryName, sha('4'));
    await pushCommitImage(clients.ecr, repositoryName, sha('5'));
    await service.markDeployed('stage', sha('5'));
    expect(await service.pruneStaleCommitImages(60, new Set())).toEqual([]);
    expect(await service.pruneStaleCommitImages(30, new Set())).toHaveLength(1);
    expect(await images.findByTag(repositoryName, `c-${sha('4')}`)).toBeUndefined();
    expect(await images.findByTag(repositoryName, `c-${sha('5')}`)).toBeDefined();
  });
});

describe('images in use are never deleted: release and prune keep every digest a live record references', () => {
  const noCommits = { headCommit: async () => undefined };

  async function withPinned(label: string, clock?: { now(): number }) {
    const ctx = await setup(label, clock);
    await pushCommitImage(clients.ecr, ctx.repositoryName, sha('6'));
    const digest = (await images.findByTag(ctx.repositoryName, `c-${sha('6')}`))!.digest;
    const source = new BuildImageSource(ctx.service, noCommits, 'acme/app');
    const built = sampleRecord('env-built', { branch: 'feature/six', commit: sha('6'), image: `${ctx.repositoryUri}:c-${sha('6')}` });
    return { ...ctx, digest, source, built };
  }

  it('teardown of the env that built an image keeps it while another env runs it pinned with --image (by tag, not yet tagged deployed)', async () => {
    const { repositoryName, repositoryUri, source, built, digest } = await withPinned('pintag');
    await source.markDeployed(built);
    const pinned = sampleRecord('env-pinned', { branch: 'env-pinned', image: `${repositoryUri}:c-${sha('6')}`, imagePinned: true });

    await source.release(built, [pinned]);

    expect((await images.findByTag(repositoryName, `c-${sha('6')}`))?.digest).toBe(digest);
    expect(await images.findByTag(repositoryName, 'deployed-env-built')).toBeUndefined();
  });

  it('keeps it when the pinned env names it by digest', async () => {
    const { repositoryName, repositoryUri, source, built, digest } = await withPinned('pindigest');
    const pinned = sampleRecord('env-pinned', { branch: 'env-pinned', image: `${repositoryUri}@${digest}`, imagePinned: true });

    await source.release(built, [pinned]);

    expect((await images.findByTag(repositoryName, `c-${sha('6')}`))?.digest).toBe(digest);
  });

  it('the stale-image prune keeps an old commit image a pinned env references', async () => {
    const later = { now: () => Date.now() + 40 * 86_400_000 };
    const { repositoryName, repositoryUri, source, digest } = await withPinned('pinprune', later);
    const pinned = sampleRecord('env-pinned', { branch: 'env-pinned', image: `${repositoryUri}:c-${sha('6')}`, imagePinned: true });

    expect(await source.pruneStale(30, [pinned])).toEqual([]);
    expect((await images.findByTag(repositoryName, `c-${sha('6')}`))?.digest).toBe(digest);
    expect(await source.pruneStale(30, [])).toEqual([digest]);
  });

  it('a pinned image of this repository gets deployed-<env> (shielded from the lifecycle policy); a foreign one drops the old tag', async () => {
    const { repositoryName, repositoryUri, source, digest } = await withPinned('pinmark');
    const pinned = sampleRecord('env-pinned', { branch: 'env-pinned', image: `${repositoryUri}@${digest}`, imagePinned: true });

    await source.markDeployed(pinned);
    expect((await images.findByTag(repositoryName, 'deployed-env-pinned'))?.digest).toBe(digest);

    await source.markDeployed({ ...pinned, image: 'public.ecr.aws/nginx/nginx:latest' });
    expect(await images.findByTag(repositoryName, 'deployed-env-pinned')).toBeUndefined();
    expect((await images.findByTag(repositoryName, `c-${sha('6')}`))?.digest).toBe(digest);
  });
});

describe('pinning a commit image with --image (finding 6 through the other door)', () => {
  it('refuses a c-<sha> image envbot did not build, by tag or by digest, and accepts it once envbot built it', async () => {
    const ctx = await setup('pinprov');
    const digest = await pushCommitImage(clients.ecr, ctx.repositoryName, sha('7'));
    const source = new BuildImageSource(ctx.service, { headCommit: async () => undefined }, 'acme/app');

    for (const uri of [`${ctx.repositoryUri}:c-${sha('7')}`, `${ctx.repositoryUri}@${digest}`]) {
      expect(await source.pinnedImageProblem(uri)).toMatch(/envbot's build did not push it, so envbot will not run it — run \/env up <name> --branch <branch>/);
    }
    await ctx.claims.recordBuilt({ commit: sha('7'), digest, buildId: 'envbot-build:7', builtAtMs: 1, protectedBranch: false });
    expect(await source.pinnedImageProblem(`${ctx.repositoryUri}:c-${sha('7')}`)).toBeUndefined();
    expect(await source.pinnedImageProblem(`${ctx.repositoryUri}@${digest}`)).toBeUndefined();
    // Images from elsewhere are checkImageAllowed's business, not provenance's.
    expect(await source.pinnedImageProblem('public.ecr.aws/nginx/nginx:latest')).toBeUndefined();
  });
});
