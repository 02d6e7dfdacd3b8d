import { ok, type Check } from '../check.js';

/** Environment config lives under the prefix; reading it proves the path and the access are right. */
export const parameterStore: Check = {
  id: 'parameter-store',
  title: 'Parameter Store prefix is readable',
  async run(ctx) {
    const count = await ctx.reader.parameterCount(`${ctx.config.ssmPrefix}/`);
    return ok(`${ctx.config.ssmPrefix}/ readable (${count === 10 ? '10 or more' : count} parameter(s))`);
  },
};
