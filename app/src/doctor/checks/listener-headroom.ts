import { fail, ok, skip, warn, type Check } from '../check.js';

/** Application Load Balancer quota: rules per load balancer, default rules not counted. */
export const RULES_PER_LOAD_BALANCER = 100;
/**
 * Each environment also adds a target group, and an ALB forwards to at most 100 (a quota AWS does
 * not raise; the bot's own group is one of them), so a higher rule quota helps only that far.
 */
const TARGET_GROUP_CAP = 'a higher quota helps only up to 99 environments: an ALB forwards to at most 100 target groups (not adjustable), one of them the bot\'s';
/** Warn this close to the quota (each environment takes one rule). */
const LOW_HEADROOM = 10;

/** Every environment is one host rule on the shared listener, so the quota caps the fleet. */
export const listenerHeadroom: Check = {
  id: 'listener-headroom',
  title: 'Listener has room for more environment rules (100-rule limit)',
  async run(ctx) {
    if (!ctx.config.listenerArn) return skip('no listener configured', 'set ENVBOT_LISTENER_ARN from the stack output "listenerArn"');
    const used = await ctx.reader.listenerRuleCount(ctx.config.listenerArn);
    const free = RULES_PER_LOAD_BALANCER - used;
    const detail = `${used} of ${RULES_PER_LOAD_BALANCER} rules used, ${free} free; ENVBOT_MAX_TOTAL allows ${ctx.config.access.maxTotal} environments`;
    if (free <= 0) return fail(detail, `destroy unused environments (\`envbot list\`, \`envbot down <name>\`) or ask AWS for a higher "Rules per Application Load Balancer" quota; ${TARGET_GROUP_CAP}`);
    if (free < LOW_HEADROOM) {
      return warn(detail, `only ${free} more environment(s) fit: destroy unused environments, or raise the "Rules per Application Load Balancer" quota; ${TARGET_GROUP_CAP}`);
    }
    return ok(detail);
  },
};
