import type { TrustPolicy, TrustStatement } from '../../aws/iam.js';
import { roleNameOf } from '../../aws/iam.js';
import { fail, ok, skip, type Check, type DoctorContext, type Outcome } from '../check.js';
import { PROBE, queueArnOf } from '../installation.js';

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
    const can = await checkRolePermissions(ctx);
    if (can.status === 'fail') return can;
    return ok(`group ${ctx.config.scheduleGroup} is ACTIVE; ${trust.detail}${can.status === 'ok' ? `; ${can.detail}` : ''}`);
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

/**
 * What a schedule does runs as the scheduler role: ECS UpdateService on environment services, and
 * delivering a failed invocation to the dead-letter queue (sqs:SendMessage, per the Scheduler guide).
 */
async function checkRolePermissions(ctx: DoctorContext): Promise<Outcome> {
  const roleArn = ctx.config.schedulerRoleArn;
  if (ctx.mode === 'local' || !roleArn) return skip('role permissions not checked');
  const { region, account, cluster } = ctx.installation;
  const needs = [{ action: 'ecs:UpdateService', resource: `arn:aws:ecs:${region}:${account}:service/${cluster}/envbot-${PROBE}` }];
  if (ctx.scheduleDlqUrl) needs.push({ action: 'sqs:SendMessage', resource: queueArnOf(ctx.scheduleDlqUrl, region) });
  const denied: string[] = [];
  for (const need of needs) {
    const decision = (await ctx.iam.simulate({ principalArn: roleArn, actions: [need.action], resources: [need.resource] })).get(need.action);
    if (decision !== 'allowed') denied.push(`${need.action} on ${need.resource} (${decision ?? 'implicitDeny'})`);
  }
  if (denied.length > 0) {
    return fail(
      `the scheduler role may not do what schedules need: ${denied.join('; ')}`,
      'deploy the current stack: the Schedules/Role grants ecs:UpdateService on envbot services and sqs:SendMessage on the schedule dead-letter queue',
    );
  }
  return ok(`it may ${needs.map((n) => n.action).join(' and ')}`);
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
