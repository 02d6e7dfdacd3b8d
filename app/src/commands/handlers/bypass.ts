import { isAdmin } from '../access.js';
import { bypassNotice } from '../bypass-notice.js';
import { info, refused, type CommandContext, type CommandResult, type Invocation } from '../context.js';

export const BYPASS_ADMINS_ONLY =
  'Only an envbot admin may see the automation bypass: it opens every protected environment. Ask an admin (`/env whoami` says whether you are one).';

/**
 * The automation bypass, secret header value included, for admins. Doors answer it privately:
 * Slack ephemerally, the CLI to its caller; the GitHub door refuses it (commands/access.ts). The
 * text is never logged (execute.ts audits the verb and the outcome, not the answer).
 */
export async function bypass(ctx: CommandContext, inv: Invocation): Promise<CommandResult> {
  if (!isAdmin(ctx.access, inv.actor)) return refused(BYPASS_ADMINS_ONLY);
  return info(bypassNotice(ctx.config.protection, { domain: ctx.config.domain, reveal: true }));
}
