import { botIamNeeds, type IamNeed } from '../aws-operations.js';
import { fail, ok, skip, type Check, type DoctorContext, type Outcome } from '../check.js';
import { resolveArn } from '../installation.js';

/** The bot's role may do every action the catalogue lists, on envbot's resources (IAM policy simulator). */
export const botPermissions: Check = {
  id: 'bot-permissions',
  title: 'Bot role can do every AWS action envbot needs',
  async run(ctx: DoctorContext): Promise<Outcome> {
    if (ctx.mode === 'local') return skip('local mode: the emulator enforces no IAM policies');
    if (!ctx.botRoleArn) {
      return skip(
        'the bot role is unknown',
        'pass --role-arn <ARN of the bot task role> or set ENVBOT_BOT_ROLE_ARN (CloudFormation: envbot stack, resource Bot/TaskRole), or run doctor inside the bot task',
      );
    }
    const denied: string[] = [];
    const unchecked = new Set<string>();
    let allowed = 0;
    for (const need of botIamNeeds()) {
      const request = simulationOf(need, ctx);
      if (!request) {
        unchecked.add(need.resource);
        continue;
      }
      const decisions = await ctx.iam.simulate({ principalArn: ctx.botRoleArn, ...request });
      for (const action of need.actions) {
        const decision = decisions.get(action) ?? 'implicitDeny';
        if (decision === 'allowed') allowed++;
        else denied.push(`${action} on ${request.resources[0]} (${decision})`);
      }
    }
    const notChecked = unchecked.size > 0 ? `; not checked (setting missing): ${[...unchecked].join(', ')}` : '';
    if (denied.length > 0) {
      return fail(
        `${denied.length} denied: ${denied.join('; ')}${notChecked}`,
        'deploy the current stack (`npx cdk deploy`): infra/lib/bot-permissions.ts grants these; if it does, look for a permissions boundary or an SCP that denies them',
      );
    }
    return ok(`${allowed} actions allowed for ${ctx.botRoleArn}${notChecked}`);
  },
};

function simulationOf(need: IamNeed, ctx: DoctorContext): { actions: string[]; resources: string[]; context?: Record<string, string> } | undefined {
  const resource = resolveArn(need.resource, ctx.installation);
  if (!resource) return undefined;
  const context: Record<string, string> = {};
  for (const [key, template] of Object.entries(need.context ?? {})) {
    const value = resolveArn(template, ctx.installation);
    if (!value) return undefined;
    context[key] = value;
  }
  return { actions: need.actions, resources: [resource], ...(need.context && { context }) };
}
