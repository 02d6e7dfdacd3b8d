import type { App, BlockAction, ButtonAction, RespondFn } from '@slack/bolt';
import type { CommandResult } from '../../commands/context.js';
import type { Command } from '../../commands/types.js';
import type { Actor } from '../../commands/actor.js';
import type { SlackDeps } from '../deps.js';
import { ACTION } from '../render/buttons.js';
import { renderExtendModal, type ExtendOrigin } from '../render/extend-modal.js';
import { renderResultText } from '../render/reply.js';

/** Each state-changing button is the verb a typed command would use. */
const BUTTON_VERBS = [
  [ACTION.stop, 'stop'],
  [ACTION.start, 'start'],
  [ACTION.destroy, 'down'],
] as const;

type ButtonBody = BlockAction<ButtonAction>;

/** Was the button on a message (answer in the channel, privately) or on the Home tab? */
export function originOf(body: ButtonBody): ExtendOrigin {
  return body.container?.type === 'view' || !body.channel ? { kind: 'home' } : { kind: 'message', channel: body.channel.id };
}

/**
 * Environment buttons. Every click is acked at once; the work runs the core command, so who may
 * do what (owner or admin) and the audit log are decided there, exactly as for typed commands.
 */
export function registerEnvButtons(app: App, d: SlackDeps): void {
  // A link button still sends an action; acknowledging it is all there is to do.
  app.action<ButtonBody>(ACTION.open, async ({ ack }) => ack());

  app.action<ButtonBody>(ACTION.extend, async ({ ack, body, action, respond }) => {
    await ack();
    const env = action.value ?? '';
    d.background.run('open extend modal', async () => {
      // The form opens only for people who may extend (one quick read; trigger_id lives 3 s).
      const actor = await d.actors.resolve(body.user.id, body.user.username ?? body.user.name);
      const refusal = await d.engine.refusalToChange({ actor }, 'extend', env);
      if (refusal) return reportToClicker(d, body, actor, refusal, respond);
      const view = renderExtendModal({ env, origin: originOf(body) });
      await d.client.views.open({ trigger_id: body.trigger_id, view });
    });
  });

  for (const [actionId, verb] of BUTTON_VERBS) {
    app.action<ButtonBody>(actionId, async ({ ack, body, action, respond }) => {
      await ack();
      const command: Command = { verb, ...(action.value && { name: action.value }) };
      d.background.run(`button ${verb}`, () => runButton(d, body, command, respond));
    });
  }
}

async function runButton(d: SlackDeps, body: ButtonBody, command: Command, respond: RespondFn): Promise<void> {
  const actor = await d.actors.resolve(body.user.id, body.user.username ?? body.user.name);
  const result = await d.engine.run({ actor }, command);
  if (result.kind === 'accepted' && result.record) d.notifier.refresh(result.record);
  await reportToClicker(d, body, actor, result, respond);
}

/** The outcome goes only to the person who clicked: privately in the channel, or on their Home tab. */
async function reportToClicker(d: SlackDeps, body: ButtonBody, actor: Actor, result: CommandResult, respond: RespondFn): Promise<void> {
  if (originOf(body).kind === 'home') return d.home.publish(actor, result);
  await respond({ response_type: 'ephemeral', replace_original: false, ...renderResultText(result) });
}
