import type { TrustPolicy, TrustStatement } from '../../aws/iam.js';
import { roleNameOf } from '../../aws/iam.js';
import { fail, ok, skip, type Check, type DoctorContext, type Outcome } from '../check.js';

const SCHEDULER = 'scheduler.amazonaws.com';

/** Nightly stops need the schedule group, and a role EventBridge Scheduler may assume. */
export const scheduleGroup: Check = {
  id: 'schedule-group',
  title: 'Schedule group exists and the scheduler role trusts EventBridge Scheduler',
  async run(ctx) {
    const state = await ctx.reader.scheduleGroupState(ctx.config.scheduleGroup);
    if (!state) return fail(`schedule group ${ctx.config.scheduleGroup} does not exist`, 'deploy the stack (`npx cdk deploy`) or set ENVBOT_SCHEDULE_GROUP');
    if (state !== 'ACTIVE') return fail(`schedule group ${ctx.config.scheduleGroup} is ${state}`, 'wait for it to finish deleting, then redeploy the stack');
    const trust = await checkTrust(ctx);
    if (trust.status === 'fail') return trust;
    return ok(`group ${ctx.config.scheduleGroup} is ACTIVE; ${trust.detail}`);
  },
};

async function checkTrust(ctx: DoctorContext): Promise<Outcome> {
  if (ctx.mode === 'local') return skip('local mode: the emulator has no scheduler role (schedules never fire locally)');
  const roleArn = ctx.config.schedulerRoleArn;
  if (!roleArn) return fail('no scheduler role configured', 'set ENVBOT_SCHEDULER_ROLE_ARN from the stack output "schedulerRoleArn"');
  const role = await ctx.iam.role(roleNameOf(roleArn));
  const statement = schedulerStatement(role.trust);
  if (!statement) {
    return fail(
      `role ${roleArn} does not let ${SCHEDULER} assume it, so every schedule invocation fails`,
      `add a trust statement: Allow sts:AssumeRole for Service ${SCHEDULER} (the stack's Schedules/Role has it)`,
    );
  }
  const sourceArn = conditionValues(statement, 'aws:SourceArn');
  if (sourceArn.length > 0 && !sourceArn.some((arn) => arn.endsWith(`:schedule-group/${ctx.config.scheduleGroup}`) || arn.endsWith('/*'))) {
    return fail(
      `role ${roleArn} only trusts schedules of ${sourceArn.join(', ')}, not group ${ctx.config.scheduleGroup}`,
      'make the aws:SourceArn condition name the envbot schedule group (redeploy the stack)',
    );
  }
  return ok(`role ${roleNameOf(roleArn)} trusts ${SCHEDULER}`);
}

function schedulerStatement(policy: TrustPolicy): TrustStatement | undefined {
  const statements = Array.isArray(policy.Statement) ? policy.Statement : policy.Statement ? [policy.Statement] : [];
  return statements.find((s) => {
    if (s.Effect !== 'Allow' || typeof s.Principal !== 'object') return false;
    const services = ([] as string[]).concat(s.Principal.Service ?? []);
    const actions = ([] as string[]).concat(s.Action ?? []);
    return services.includes(SCHEDULER) && actions.some((a) => a === 'sts:AssumeRole' || a === 'sts:*' || a === '*');
  });
}

function conditionValues(statement: TrustStatement, key: string): string[] {
  const values: string[] = [];
  for (const operator of Object.values(statement.Condition ?? {})) {
    for (const [k, v] of Object.entries(operator)) if (k.toLowerCase() === key.toLowerCase()) values.push(...([] as string[]).concat(v));
  }
  return values;
}
