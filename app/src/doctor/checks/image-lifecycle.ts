import { fail, ok, skip, type Check } from '../check.js';

/** Without the lifecycle policy every build's image is kept (and billed) forever. */
export const imageLifecycle: Check = {
  id: 'image-lifecycle',
  title: 'ECR repository has its lifecycle policy',
  async run(ctx) {
    if (ctx.mode === 'local') return skip('local mode: no builds run, so no images pile up');
    const text = await ctx.reader.lifecyclePolicy(ctx.config.ecrRepository);
    if (!text) {
      return fail(`repository ${ctx.config.ecrRepository} has no lifecycle policy (or does not exist)`, 'deploy the stack (`npx cdk deploy`): infra/lib/image-repository.ts attaches it');
    }
    const rules = (JSON.parse(text) as { rules?: unknown[] }).rules ?? [];
    return ok(`repository ${ctx.config.ecrRepository}: ${rules.length} lifecycle rule(s)`);
  },
};
