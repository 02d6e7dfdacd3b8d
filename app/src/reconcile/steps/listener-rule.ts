import { routingOf, type RuleRouting } from '../../aws/rule-flip.js';
import { checkRuleBudget, ProtectionConfigError } from '../../aws/rule-actions.js';
import { PriorityInUseError, type HostRule } from '../../aws/elb.js';
import { environmentRuleSpecs, missingClientSecret, priorityBase, rulePriority } from '../environment-rule-specs.js';
import { TerminalError } from '../errors.js';
import { routeTraffic } from '../route-traffic.js';
import { sameRuleShape } from '../rule-shape.js';
import { needs, type Step, type StepDeps, type UpState } from './step.js';

const PRIORITY_TRIES = 5;

/**
 * The environment's listener rules (protection, bypass, host rule; rule-actions.ts), each at
 * `base × slots + slot` where the base priority comes from the store (race-free). Rules of the
 * host at other priorities (the single rule of older versions, a protection that shrank) are
 * deleted once the new ones exist. Routing: a stopped environment goes to the waking door at
 * once; a running one keeps its current route — wait-healthy switches it to the app when steady.
 */
export const listenerRule: Step<UpState> = {
  name: 'rule',
  async run(d, s) {
    const targetGroupArn = needs(s.targetGroupArn, 'the target group');
    for (let attempt = 0; attempt < PRIORITY_TRIES; attempt++) {
      const arn = await ensureRulesOnce(d, s, targetGroupArn);
      if (arn) {
        s.ruleArn = arn;
        if (s.record.desired !== 'running') await routeTraffic(d, s.host, targetGroupArn, 'asleep');
        return;
      }
    }
    throw new TerminalError(`creating the load balancer rules for ${s.host}: no free rule priority after ${PRIORITY_TRIES} tries — try again`);
  },
};

/** The host rule's ARN, or undefined when a foreign rule took a claimed priority meanwhile (pick again). */
async function ensureRulesOnce(d: StepDeps, s: UpState, targetGroupArn: string): Promise<string | undefined> {
  const all = await d.lb.rules();
  const mine = all.filter((r) => r.host === s.host);
  await retireMovedGroup(d, s, mine, targetGroupArn);
  const specs = environmentRuleSpecs({ config: d.config, profile: s.profile, host: s.host, targetGroupArn, state: initialRouting(d, s, mine, targetGroupArn) });
  const foreign = new Set(all.filter((r) => r.host !== s.host).map((r) => priorityBase(r.priority)));
  if (mine.length < specs.length) budget(s, all.length - mine.length, specs.length);
  const base = await d.store.claimPriority(s.name, foreign);
  // Recorded before the rules exist, so a teardown after a crash here still frees the claim.
  if (s.record.rulePriority !== base) await d.store.mutate(s.name, (r) => ({ ...r, rulePriority: base }));
  let hostRuleArn: string | undefined;
  for (const spec of specs) {
    const priority = rulePriority(base, spec.slot);
    const existing = mine.find((r) => r.priority === priority);
    if (missingClientSecret(spec, existing?.rule)) {
      throw new TerminalError(`creating the sign-in rule for ${s.host}: the OIDC client secret is not known — set ENVBOT_PROTECTION_OIDC_CLIENT_SECRET (ECS injects it from protection.oidc.clientSecretArn)`);
    }
    let arn = existing?.arn;
    if (!existing) {
      try {
        arn = await d.lb.createRuleSpec({ priority, host: s.host, conditions: spec.Conditions, actions: spec.Actions, tags: s.tags });
      } catch (err) {
        if (!(err instanceof PriorityInUseError)) throw err;
        // A rule outside envbot's bookkeeping took it meanwhile: drop our claim and pick again.
        await d.store.releasePriority(base, s.name);
        return undefined;
      }
    } else if (!sameRuleShape(existing.rule, spec)) {
      await d.lb.modifyRule(existing.arn, spec.Actions, spec.Conditions);
    }
    if (spec.role === 'allow') hostRuleArn ??= arn;
  }
  const wanted = new Set(specs.map((spec) => rulePriority(base, spec.slot)));
  for (const old of mine.filter((r) => !wanted.has(r.priority))) await d.lb.deleteRule(old.arn);
  return hostRuleArn;
}

/** New rules start on the route the host has now; a new environment waits at the door until it is healthy. */
function initialRouting(d: StepDeps, s: UpState, mine: HostRule[], targetGroupArn: string): 'running' | 'asleep' {
  const bot = d.config.wake.targetGroupArn;
  if (!bot || s.record.desired !== 'running') return 'asleep';
  const now = mine.map((r) => routingOf(r.rule, { environmentTargetGroupArn: targetGroupArn, botTargetGroupArn: bot })).find((x): x is Exclude<RuleRouting, 'other'> => x !== 'other');
  if (now) return now;
  // An older plain rule already serves the app: keep serving it.
  return mine.some((r) => r.targetGroupArn === targetGroupArn) ? 'running' : 'asleep';
}

/** A port change moved the environment to a new group: recorded first, since once the rules move the old group is only found through the record. */
async function retireMovedGroup(d: StepDeps, s: UpState, mine: HostRule[], targetGroupArn: string): Promise<void> {
  const bot = d.config.wake.targetGroupArn;
  const groups = mine.flatMap((r) => r.rule.Actions?.filter((a) => a.Type === 'forward') ?? []).flatMap((a) => a.ForwardConfig?.TargetGroups?.map((g) => g.TargetGroupArn) ?? [a.TargetGroupArn]);
  const old = groups.find((arn): arn is string => Boolean(arn) && arn !== bot && arn !== targetGroupArn);
  if (old) await d.targetGroups.retire(s.name, old, targetGroupArn);
}

function budget(s: UpState, rulesInUse: number, rulesNeeded: number): void {
  try {
    checkRuleBudget({ name: s.name, rulesInUse, rulesNeeded });
  } catch (err) {
    if (err instanceof ProtectionConfigError) throw new TerminalError(err.message, { cause: err });
    throw err;
  }
}
