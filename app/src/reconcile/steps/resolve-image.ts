import type { EnvironmentRecord } from '../../environments/record.js';
import { TerminalError } from '../errors.js';
import { notify } from '../status.js';
import type { Step, StepDeps, UpState } from './step.js';

/** A pinned image (`--image`) is used as given; otherwise the image source builds or reuses one per commit. */
export const resolveImage: Step<UpState> = {
  name: 'image',
  async run(d, s) {
    s.record = (await imageRecord(d, s.initial)) ?? s.record;
  },
};

async function imageRecord(d: StepDeps, record: EnvironmentRecord): Promise<EnvironmentRecord | undefined> {
  const name = record.name;
  const resolved =
    record.imagePinned || !d.images
      ? undefined
      : await d.images.imageFor(record, async (p) => {
          const building = await d.store.mutate(name, (r) => (r.status === 'building' ? undefined : { ...r, status: 'building' }));
          await notify(d, building ?? record, {
            kind: 'build',
            phase: p.phase,
            elapsedSeconds: p.elapsedSeconds,
            ...(p.cacheHit !== undefined && { cacheHit: p.cacheHit }),
          });
        });
  const image = resolved?.image ?? record.image ?? d.config.defaultImage;
  if (!image) {
    throw new TerminalError(
      `choosing an image for ${name}: no image was given and none is configured — run \`/env up ${name} --image <uri>\` or set ENVBOT_DEFAULT_IMAGE`,
    );
  }
  if (image === record.image && !resolved?.built) return undefined;
  return d.store.mutate(name, (r) => ({
    ...r,
    image,
    ...(resolved?.commit && { commit: resolved.commit }),
    ...(resolved?.buildSeconds !== undefined && { lastBuildSeconds: resolved.buildSeconds }),
    ...(resolved?.cacheHit !== undefined && { lastBuildCacheHit: resolved.cacheHit }),
  }));
}
