import type { EnvNotice } from '../../environments/notifier-port.js';
import { isAsleep, type EnvironmentRecord } from '../../environments/record.js';
import { statusLabel } from '../../commands/render-text.js';
import { context, section, truncate, type KnownBlock, type SlackMessage } from './block-kit.js';
import { envActionsBlock } from './buttons.js';
import { code, escapeText, link, ownerLabel, seconds } from './mrkdwn.js';
import { ASLEEP_EMOJI, isStage, STAGE_LABEL, STAGES, STATUS_EMOJI } from './status-style.js';

type DestroyedBy = Extract<EnvNotice, { kind: 'destroyed' }>['by'];

/** What the one progress message of an environment shows besides the record itself. */
export interface EnvMessageInput {
  record: EnvironmentRecord;
  /** Latest build phase, while building. */
  build?: { phase: string; elapsedSeconds: number };
  /** After a failure: what to do next (the core's hint). */
  hint?: string;
  /** Set once the environment is gone: the message keeps its history but loses its buttons. */
  destroyedBy?: DestroyedBy;
}

const DEFAULT_HINT = (name: string) => `fix the cause, then press *Retry* or run \`/env up ${name}\` again.`;

export const DESTROYED_BY: Record<DestroyedBy, string> = {
  user: 'on request',
  'pr-closed': 'because its pull request was merged or closed',
  'branch-deleted': 'because its branch was deleted',
  reaper: 'because nobody used it for a long time',
};

/** The headline: status emoji, name, and the one thing to know now. */
function headline(input: EnvMessageInput): string {
  const { record: r } = input;
  const name = `*${escapeText(r.name)}*`;
  if (input.destroyedBy) return `${STATUS_EMOJI.deleting} ${name} was destroyed ${DESTROYED_BY[input.destroyedBy]}.`;
  const emoji = STATUS_EMOJI[r.status];
  if (isAsleep(r)) return `${ASLEEP_EMOJI} ${name} is asleep (no requests for a while).${r.url ? ` The next request to ${link(r.url)} wakes it, or press *Start*.` : ' *Start* wakes it.'}`;
  switch (r.status) {
    case 'queued':
      return `${emoji} ${name} is queued.`;
    case 'building':
      return input.build
        ? `${emoji} ${name} is building — phase ${code(input.build.phase)}, ${seconds(input.build.elapsedSeconds)} so far.`
        : `${emoji} ${name} is building.`;
    case 'deploying':
      return `${emoji} ${name} is deploying.`;
    case 'waiting-health':
      return `${emoji} ${name} is waiting for its health check.`;
    case 'ready':
      return r.url ? `${emoji} ${name} is ready at ${link(r.url)}` : `${emoji} ${name} is ready.`;
    case 'stopping':
      return `${emoji} ${name} is stopping.`;
    case 'stopped':
      return `${emoji} ${name} is stopped. *Start* brings it back with the same image and config.`;
    case 'deleting':
      return `${emoji} ${name} is being destroyed.`;
    case 'failed':
      return `${emoji} ${name} failed: ${escapeText(r.statusReason ?? 'unknown error')}`;
  }
}

function details(r: EnvironmentRecord): string {
  const parts = [`Branch ${code(r.branch)}${r.commit ? ` @ ${code(r.commit.slice(0, 7))}` : ''}`, `${r.profile} · size ${r.size}`, `owner ${ownerLabel(r)}`];
  if (r.onDemandFallback) parts.push('on-demand (Spot unavailable)');
  return parts.join(' · ');
}

/** `✓ Queued › ✓ Build › ▸ Deploy › Health check › Ready` — where on the way up it is. */
function tracker(r: EnvironmentRecord): string | undefined {
  if (!isStage(r.status) || r.desired !== 'running') return undefined;
  const at = STAGES.indexOf(r.status);
  return STAGES.map((stage, i) => {
    const label = stage === 'building' && r.imagePinned ? 'Image given' : STAGE_LABEL[stage];
    if (i < at || r.status === 'ready') return `:white_check_mark: ${label}`;
    return i === at ? `*▸ ${label}*` : label;
  }).join('  ›  ');
}

/** Plain fallback text for notifications (no mrkdwn markup). */
function fallback(input: EnvMessageInput): string {
  const r = input.record;
  if (input.destroyedBy) return `${r.name} was destroyed`;
  if (r.status === 'ready' && r.url) return `${r.name} is ready at ${r.url}`;
  if (r.status === 'failed') return `${r.name} failed: ${r.statusReason ?? 'unknown error'}`;
  return `${r.name} — ${statusLabel(r)}`;
}

/** The environment's one message: posted by `up`, then updated in place through every stage. */
export function renderEnvMessage(input: EnvMessageInput): SlackMessage {
  const r = input.record;
  const blocks: KnownBlock[] = [section(truncate(headline(input), 3000))];
  if (r.status === 'failed' && !input.destroyedBy) {
    blocks.push(section(truncate(`*What to do next:* ${input.hint ? escapeText(input.hint) : DEFAULT_HINT(r.name)}`, 3000)));
  }
  blocks.push(context(details(r)));
  const steps = input.destroyedBy ? undefined : tracker(r);
  if (steps) blocks.push(context(steps));
  if (!input.destroyedBy) blocks.push(...envActionsBlock(r));
  return { text: truncate(fallback(input), 3000), blocks };
}

/** Before the record exists: the message `up` posts so it has somewhere to report to. */
export function renderPlaceholder(name: string | undefined, requester: string): SlackMessage {
  const what = name ? `*${escapeText(name)}*` : 'your environment';
  return {
    text: `Setting up ${name ?? 'an environment'}…`,
    blocks: [section(`${STATUS_EMOJI.queued} Setting up ${what} for <@${requester}>…`)],
  };
}
