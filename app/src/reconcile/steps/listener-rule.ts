import { PriorityInUseError } from '../../aws/elb.js';
import { TerminalError } from '../errors.js';
import { needs, type Step, type StepDeps, type UpState } from './step.js';

const PRIORITY_TRIES = 5;

/** The host rule forwarding to the target group. Priorities come from the store (race-free). */
export const listenerRule: Step<UpState> = {
  name: 'rule',
  async run(d, s) {
    const targetGroupArn = needs(s.targetGroupArn, 'the target group');
    for (let attempt = 0; attempt < PRIORITY_TRIES; attempt++) {
      const arn = await ensureRuleOnce(d, s, targetGroupArn);
      if (arn) {
        s.ruleArn = arn;
        return;
      }
    }
    throw new TerminalError(`creating the load balancer rule for ${s.host}: no free rule priority after ${PRIORITY_TRIES} tries — try again`);
  },
};

/** The rule's ARN, or undefined when a foreign rule took the claimed priority meanwhile (pick again). */
async function ensureRuleOnce(d: StepDeps, s: UpState, targetGroupArn: string): Promise<string | undefined> {
  const { name, record } = s;
  const rules = await d.lb.rules();
  const mine = rules.find((r) => r.host === s.host);
  if (mine) {
    if (mine.targetGroupArn !== targetGroupArn) {
      // Recorded first: once the rule moves, the old group is only found through the record.
      await d.targetGroups.retire(name, mine.targetGroupArn, targetGroupArn);
      await d.lb.forwardRule(mine.arn, targetGroupArn);
    }
    if (record.rulePriority !== mine.priority) await d.store.mutate(name, (r) => ({ ...r, rulePriority: mine.priority }));
    return mine.arn;
  }
  const foreign = new Set(rules.map((r) => r.priority));
  const priority = await d.store.claimPriority(name, foreign);
  // Recorded before the rule exists, so a teardown after a crash here still frees the claim.
  if (record.rulePriority !== priority) await d.store.mutate(name, (r) => ({ ...r, rulePriority: priority }));
  try {
    return await d.lb.createRule({ priority, host: s.host, targetGroupArn, tags: s.tags });
  } catch (err) {
    if (!(err instanceof PriorityInUseError)) throw err;
    // A rule outside envbot's bookkeeping took it meanwhile: drop our claim and pick again.
    await d.store.releasePriority(priority, name);
    return undefined;
  }
}
