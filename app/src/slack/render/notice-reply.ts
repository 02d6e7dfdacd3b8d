import type { EnvNotice } from '../../environments/notifier-port.js';
import type { EnvironmentRecord } from '../../environments/record.js';
import { context, section, truncate, type KnownBlock, type SlackMessage } from './block-kit.js';
import { extendButton, openButton, startButton, stopButton } from './buttons.js';
import { DESTROYED_BY } from './env-message.js';
import { code, dollars, escapeText, link, ownerLabel, seconds, slackDate } from './mrkdwn.js';

/** Extra facts a reply may mention, looked up by the notifier (cost port). */
export interface ReplyExtras {
  cost?: number;
}

const STOPPED_BY: Record<Extract<EnvNotice, { kind: 'stopped' }>['by'], string> = {
  user: 'on request',
  schedule: 'for the night by its auto-stop schedule',
  reaper: 'because nobody used it for a while',
};

const actions = (name: string, ...elements: ReturnType<typeof startButton>[]): KnownBlock => ({
  type: 'actions',
  block_id: `env_actions:${name}`,
  elements,
});

function reply(text: string, blocks: KnownBlock[]): SlackMessage {
  return { text: truncate(text, 3000), blocks };
}

/**
 * The thread reply for a later event, or undefined when the event only updates the main message
 * (queued/deploying/health, and build phases other than the last — a reply per CodeBuild phase
 * would be a dozen messages and run into chat.postMessage's ~1/s limit).
 */
export function renderNoticeReply(record: EnvironmentRecord, notice: EnvNotice, extras: ReplyExtras = {}): SlackMessage | undefined {
  const name = escapeText(record.name);
  const b = `*${name}*`;
  const costLine = extras.cost !== undefined ? ` It cost ${dollars(extras.cost)} in all.` : '';
  const costSoFar = extras.cost !== undefined ? ` Cost so far: ${dollars(extras.cost)}.` : '';
  switch (notice.kind) {
    case 'progress':
      return undefined;
    case 'ready':
      return reply(`${record.name} is ready at ${notice.url}`, [
        section(`:large_green_circle: ${ownerLabel(record)} ${b} is ready at ${link(notice.url)}`),
        actions(record.name, openButton(notice.url)),
      ]);
    case 'failed':
      return reply(`${record.name} failed: ${notice.reason}`, [
        section(truncate(`:red_circle: ${ownerLabel(record)} ${b} failed: ${escapeText(notice.reason)}`, 3000)),
        ...(notice.hint ? [context(`What to do next: ${escapeText(notice.hint)}`)] : []),
      ]);
    case 'stopped':
      return reply(`${record.name} stopped`, [
        section(`:zzz: ${b} was stopped ${STOPPED_BY[notice.by]}. Nothing was deleted; *Start* brings it back.${costSoFar}`),
        actions(record.name, startButton(record.name)),
      ]);
    case 'started':
      return reply(`${record.name} started`, [
        section(`:sunrise: ${b} was started ${notice.by === 'schedule' ? 'by its morning schedule' : 'on request'}.`),
      ]);
    case 'destroyed':
      return reply(`${record.name} was destroyed`, [section(`:wastebasket: ${b} was destroyed ${DESTROYED_BY[notice.by]}.${costLine}`)]);
    default:
      return laterReply(record, notice);
  }
}

type LaterNotice = Exclude<EnvNotice, { kind: 'progress' | 'ready' | 'failed' | 'stopped' | 'started' | 'destroyed' }>;

/** Replies about what happens to a running environment: capacity, schedules, warnings, builds, config. */
function laterReply(record: EnvironmentRecord, notice: LaterNotice): SlackMessage | undefined {
  const b = `*${escapeText(record.name)}*`;
  switch (notice.kind) {
    case 'spot-interruption':
      return reply(`${record.name}: Spot interruption`, [
        section(`:warning: AWS reclaimed the Spot capacity under ${b} (2-minute warning). ECS is starting a replacement task; it is usually back within a few minutes.`),
      ]);
    case 'capacity-fallback':
      return reply(`${record.name}: capacity changed`, [
        section(
          notice.to === 'FARGATE'
            ? `:arrows_counterclockwise: No Spot capacity for ${b} right now, so it runs on on-demand Fargate (about 3× the price) until Spot is back.`
            : `:arrows_counterclockwise: ${b} is back on Fargate Spot.`,
        ),
      ]);
    case 'schedule-failed':
      return reply(`${record.name}: auto-${notice.action} failed`, [
        section(
          truncate(
            `:warning: ${ownerLabel(record)} the scheduled ${notice.action} of ${b} failed, so it is still ${notice.action === 'stop' ? 'running (and billed)' : 'stopped'}: ${escapeText(notice.reason)}`,
            3000,
          ),
        ),
        actions(record.name, notice.action === 'stop' ? stopButton(record.name) : startButton(record.name)),
      ]);
    case 'auto-stop-warning':
      return reply(`${record.name} auto-stops at ${notice.stopAt}`, [
        section(`:alarm_clock: ${ownerLabel(record)} ${b} stops automatically at ${slackDate(notice.stopAt)}. Still using it?`),
        actions(record.name, extendButton(record.name, 'Keep until…')),
      ]);
    case 'reaper-warning':
      return reply(`${record.name} will be destroyed at ${notice.destroyAt}`, [
        section(`:hourglass: ${ownerLabel(record)} nobody has used ${b} for a while, so it will be destroyed at ${slackDate(notice.destroyAt)}. Keep it to reset the clock.`),
        actions(record.name, extendButton(record.name, 'Keep it')),
      ]);
    case 'build':
      return buildReply(record, notice);
    case 'extended':
      return reply(`${record.name} stays up until ${notice.until}`, [section(`:alarm_clock: Auto-stop of ${b} postponed until ${slackDate(notice.until)}.`)]);
    case 'config-changed':
      // Key names only: values may be secrets and never go to chat.
      return reply(`${record.name}: config changed`, [
        section(`:gear: Config of ${b} changed (${notice.keys.map(code).join(', ')}). ${record.desired === 'running' ? 'Rolling the service.' : 'It takes effect at the next start.'}`),
      ]);
  }
}

function buildReply(record: EnvironmentRecord, n: Extract<EnvNotice, { kind: 'build' }>): SlackMessage | undefined {
  const b = `*${escapeText(record.name)}*`;
  const cache = n.cacheHit === undefined ? '' : n.cacheHit ? ' (dependency cache hit)' : ' (dependency cache miss)';
  const logs = n.logUrl ? [context(`${link(n.logUrl, 'Full build log')}`)] : [];
  if (n.failed) {
    // Inside the code block, so a cut never leaves the fence open.
    const text = n.logTail?.length ? truncate(escapeText(n.logTail.join('\n')).replace(/```/g, 'ˋˋˋ'), 2900) : undefined;
    const tail = text ? [section(`\`\`\`${text}\`\`\``)] : [];
    return reply(`${record.name}: build failed in phase ${n.phase}`, [
      section(`:x: The build of ${b} failed in phase ${code(n.phase)} after ${seconds(n.elapsedSeconds)}${cache}.`),
      ...tail,
      ...logs,
    ]);
  }
  if (n.phase !== 'COMPLETED') return undefined;
  return reply(`${record.name}: built in ${seconds(n.elapsedSeconds)}`, [section(`:package: Built ${b} in ${seconds(n.elapsedSeconds)}${cache}.`), ...logs]);
}
