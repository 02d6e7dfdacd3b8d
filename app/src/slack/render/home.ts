import { ownerOf, qualifyId } from '../../commands/actor.js';
import type { CommandResult } from '../../commands/context.js';
import type { EnvironmentRecord } from '../../environments/record.js';
import { context, divider, header, section, truncate, type HomeView, type KnownBlock } from './block-kit.js';
import { envActionsBlock } from './buttons.js';
import { envSummaryLine } from './list.js';
import { dollars, escapeText, slackDate } from './mrkdwn.js';

/** One environment on the Home tab, with the facts looked up for it. */
export interface HomeEnv {
  record: EnvironmentRecord;
  nextStop?: string;
  cost?: number;
  /** The viewer may stop/destroy/extend it (owner or admin): full buttons; else only Open. */
  canModify: boolean;
}

export interface HomeInput {
  viewer: string;
  /** Every id of the viewer (linked ids); defaults to `viewer`. */
  viewerIds?: string[];
  envs: HomeEnv[];
  now: Date;
  /** The outcome of the button the viewer just pressed here. */
  notice?: Pick<CommandResult, 'kind' | 'text'>;
}

/** Home views hold at most 100 blocks; each environment takes two. */
const MAX_ENVS = 40;

const NOTICE_MARK: Record<CommandResult['kind'], string> = {
  accepted: ':white_check_mark:',
  info: ':information_source:',
  refused: ':no_entry_sign:',
  error: ':warning:',
};

function envBlocks(e: HomeEnv, now: Date): KnownBlock[] {
  const r = e.record;
  const extras: string[] = [];
  if (r.autoStopPostponedUntil) extras.push(`auto-stop postponed until ${slackDate(r.autoStopPostponedUntil)}`);
  else if (e.nextStop) extras.push(`auto-stop ${slackDate(e.nextStop)}`);
  if (e.cost !== undefined) extras.push(`cost so far ${dollars(e.cost)}`);
  const text = `${envSummaryLine(r, now)}${extras.length ? ` · ${extras.join(' · ')}` : ''}`;
  return [section(truncate(text, 3000)), ...envActionsBlock(r, e.canModify ? 'all' : 'open-only')];
}

function group(title: string, envs: HomeEnv[], empty: string, now: Date): KnownBlock[] {
  const blocks: KnownBlock[] = [header(title)];
  if (envs.length === 0) return [...blocks, section(empty)];
  return [...blocks, ...envs.flatMap((e) => envBlocks(e, now))];
}

/** The App Home dashboard: the viewer's environments first, then the team's. */
export function renderHome(input: HomeInput): HomeView {
  const byName = (a: HomeEnv, b: HomeEnv) => a.record.name.localeCompare(b.record.name);
  const sorted = [...input.envs].sort(byName);
  const viewer = input.viewerIds ?? [qualifyId(input.viewer, 'slack')];
  const mineAll = sorted.filter((e) => viewer.includes(ownerOf(e.record)));
  const teamAll = sorted.filter((e) => !viewer.includes(ownerOf(e.record)));
  const mine = mineAll.slice(0, MAX_ENVS);
  const team = teamAll.slice(0, Math.max(0, MAX_ENVS - mine.length));
  const hidden = mineAll.length + teamAll.length - mine.length - team.length;

  const blocks: KnownBlock[] = [];
  if (input.notice) blocks.push(section(truncate(`${NOTICE_MARK[input.notice.kind]} ${escapeText(input.notice.text)}`, 3000)), divider());
  blocks.push(...group('Your environments', mine, 'You have no environments. Create one with `/env up <name>` in any channel.', input.now));
  blocks.push(divider());
  blocks.push(...group('Team', team, 'Nobody else has an environment right now.', input.now));
  if (hidden > 0) blocks.push(context(`…and ${hidden} more. \`/env list\` shows them all.`));
  blocks.push(context(`Updated ${slackDate(input.now.toISOString())} · \`/env help\` lists the commands.`));
  return { type: 'home', blocks };
}
