import type { App, ViewSubmitAction } from '@slack/bolt';
import type { SlackDeps } from '../deps.js';
import { EXTEND_ACTION, EXTEND_BLOCK, EXTEND_CALLBACK, EXTEND_CHOICES, parseExtendMetadata } from '../render/extend-modal.js';
import { renderResultText } from '../render/reply.js';

/**
 * The "Extend until…" modal's submission runs `/env extend <name> <duration>` through the core.
 * The modal closes at once (ack); the outcome is shown privately where the button was pressed.
 */
export function registerExtendModal(app: App, d: SlackDeps): void {
  app.view<ViewSubmitAction>(EXTEND_CALLBACK, async ({ ack, body, view }) => {
    const meta = parseExtendMetadata(view.private_metadata);
    const picked = view.state.values[EXTEND_BLOCK]?.[EXTEND_ACTION]?.selected_option?.value;
    const duration = EXTEND_CHOICES.find((c) => c.duration === picked)?.parsed;
    if (!meta || !duration) {
      return ack({ response_action: 'errors', errors: { [EXTEND_BLOCK]: 'Pick one of the offered durations.' } });
    }
    await ack();
    d.background.run('extend from modal', async () => {
      const actor = await d.actors.resolve(body.user.id, body.user.name);
      const result = await d.engine.run({ actor }, { verb: 'extend', name: meta.env, duration });
      if (meta.origin.kind === 'home') return d.home.publish(actor, result);
      const reply = renderResultText(result);
      await d.client.chat.postEphemeral({ channel: meta.origin.channel, user: body.user.id, text: reply.text, blocks: reply.blocks });
    });
  });
}
