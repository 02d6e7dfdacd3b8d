import type { DownState, Step } from '../steps/step.js';

/** Frees the rule priority claim, and the image unless another environment uses it. */
export const releaseImage: Step<DownState> = {
  name: 'release-image',
  async run(d, s) {
    if (s.record.rulePriority !== undefined) await d.store.releasePriority(s.record.rulePriority, s.name);
    const others = (await d.store.list()).filter((r) => r.name !== s.name);
    await d.images?.release?.(s.record, others);
  },
};
