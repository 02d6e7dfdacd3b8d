import type { webApi } from '@slack/bolt';
import type { CommandResult } from '../commands/context.js';
import { canModify } from '../commands/access.js';
import { resolveActor } from '../commands/execute.js';
import { idsOf, localId, type Actor } from '../commands/actor.js';
import type { DoorPort } from '../frontdoor/door-port.js';
import { renderHome, type HomeEnv } from './render/home.js';

/**
 * Publishes a person's App Home tab: everyone's environments (through the core's `list`), with
 * next auto-stop and cost so far where those ports exist. Buttons beyond Open are shown only to
 * people the core would let act — the core still checks again when one is pressed.
 */
export class HomePublisher {
  constructor(
    private readonly engine: DoorPort,
    private readonly client: webApi.WebClient,
  ) {}

  async publish(actor: Actor, notice?: Pick<CommandResult, 'kind' | 'text'>): Promise<void> {
    const ctx = this.engine.ctx;
    const now = ctx.now();
    // Linked ids count as the viewer's own (the command layer resolves them the same way).
    const viewer = await resolveActor(ctx, actor);
    const listed = await this.engine.run({ actor }, { verb: 'list', mine: false });
    const records = listed.records ?? [];
    const envs: HomeEnv[] = await Promise.all(
      records.map(async (record) => {
        const nextStop = ctx.extendPort?.nextStop?.(record, now);
        const cost = await ctx.costPort?.costSoFar?.(record.name, now).catch(() => undefined);
        return {
          record,
          canModify: canModify(ctx.access, viewer, record).allowed,
          ...(nextStop && { nextStop }),
          ...(cost !== undefined && { cost }),
        };
      }),
    );
    const problem = listed.kind === 'error' ? { kind: listed.kind, text: listed.text } : undefined;
    const shown = notice ?? problem;
    const view = renderHome({ viewer: viewer.id, viewerIds: idsOf(viewer), envs, now, ...(shown && { notice: shown }) });
    await this.client.views.publish({ user_id: localId(viewer.id), view });
  }
}
