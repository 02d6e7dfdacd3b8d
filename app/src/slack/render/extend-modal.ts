import { plain, section, type KnownBlock, type ModalView } from './block-kit.js';
import { escapeText } from './mrkdwn.js';
import { extendDuration, type ExtendDuration } from '../../environments/duration.js';

export const EXTEND_CALLBACK = 'env_extend_modal';
export const EXTEND_BLOCK = 'extend_duration';
export const EXTEND_ACTION = 'duration';

const OFFERED: { label: string; duration: string }[] = [
  { label: '1 more hour', duration: '1h' },
  { label: '2 more hours', duration: '2h' },
  { label: '4 more hours', duration: '4h' },
  { label: 'Until 23:00', duration: 'until 23:00' },
  { label: 'Until the next 10:00 (tomorrow morning)', duration: 'until 10:00' },
  { label: '1 more day', duration: '1d' },
];

/**
 * Durations offered by "Extend until…", parsed by the same parser as `/env extend <name> <duration>`
 * when this module loads, so a choice the grammar would refuse fails at start-up, not on a click.
 */
export const EXTEND_CHOICES: { label: string; duration: string; parsed: ExtendDuration }[] = OFFERED.map((c) => ({ ...c, parsed: extendDuration(c.duration) }));

/** Where the modal was opened, so the result is reported back there. */
export type ExtendOrigin = { kind: 'message'; channel: string } | { kind: 'home' };

export interface ExtendMetadata {
  env: string;
  origin: ExtendOrigin;
}

export function renderExtendModal(meta: ExtendMetadata): ModalView {
  const options = EXTEND_CHOICES.map((c) => ({ text: plain(c.label), value: c.duration }));
  const blocks: KnownBlock[] = [
    section(`Postpone tonight's auto-stop of *${escapeText(meta.env)}*. It still stops at the time you pick.`),
    {
      type: 'input',
      block_id: EXTEND_BLOCK,
      label: plain('Keep it running for'),
      element: { type: 'static_select', action_id: EXTEND_ACTION, options, initial_option: options[1]! },
    },
  ];
  return {
    type: 'modal',
    callback_id: EXTEND_CALLBACK,
    private_metadata: JSON.stringify(meta),
    title: plain('Extend auto-stop'),
    submit: plain('Extend'),
    close: plain('Cancel'),
    blocks,
  };
}

/** Reads our own private_metadata back; anything else is refused rather than guessed. */
export function parseExtendMetadata(text: string): ExtendMetadata | undefined {
  try {
    const m = JSON.parse(text) as Partial<ExtendMetadata>;
    if (typeof m.env !== 'string' || !m.origin) return undefined;
    if (m.origin.kind === 'home') return { env: m.env, origin: { kind: 'home' } };
    if (m.origin.kind === 'message' && typeof m.origin.channel === 'string') return { env: m.env, origin: { kind: 'message', channel: m.origin.channel } };
    return undefined;
  } catch {
    return undefined;
  }
}
