import type { EnvironmentRecord } from '../../environments/record.js';
import { plain, type Button, type KnownBlock } from './block-kit.js';

/**
 * Action ids of the environment buttons. The button's `value` is the environment name; the
 * handler runs the same core command a typed `/env …` would, so access checks and the audit log
 * are the core's, not the button's.
 */
export const ACTION = {
  open: 'env_open',
  stop: 'env_stop',
  start: 'env_start',
  extend: 'env_extend',
  destroy: 'env_destroy',
} as const;

export const openButton = (url: string): Button => ({ type: 'button', action_id: ACTION.open, text: plain('Open'), url });

export const stopButton = (name: string): Button => ({ type: 'button', action_id: ACTION.stop, text: plain('Stop'), value: name });

export const startButton = (name: string, label = 'Start'): Button => ({
  type: 'button',
  action_id: ACTION.start,
  text: plain(label),
  value: name,
  style: 'primary',
});

export const extendButton = (name: string, label = 'Extend until…'): Button => ({
  type: 'button',
  action_id: ACTION.extend,
  text: plain(label),
  value: name,
});

/** Destroying cannot be undone, so Slack asks first (Block Kit `confirm` dialog). */
export const destroyButton = (name: string): Button => ({
  type: 'button',
  action_id: ACTION.destroy,
  text: plain('Destroy'),
  value: name,
  style: 'danger',
  confirm: {
    title: plain('Destroy this environment?'),
    text: { type: 'mrkdwn', text: `This deletes *${name}*: its service, load balancer rule, schedules and its own config. It cannot be undone.` },
    confirm: plain('Destroy'),
    deny: plain('Keep it'),
    style: 'danger',
  },
});

export type ButtonSet = 'all' | 'open-only';

/** Buttons that make sense in the environment's current state. */
export function envButtons(record: EnvironmentRecord, set: ButtonSet = 'all'): Button[] {
  const open = record.status === 'ready' && record.url ? [openButton(record.url)] : [];
  if (set === 'open-only' || record.desired === 'deleted' || record.status === 'deleting') return open;
  const name = record.name;
  switch (record.status) {
    case 'ready':
      return [...open, stopButton(name), extendButton(name), destroyButton(name)];
    case 'stopping':
    case 'stopped':
      return [startButton(name), destroyButton(name)];
    case 'failed':
      return [startButton(name, 'Retry'), destroyButton(name)];
    default:
      // On its way up: it can still be stopped or destroyed, and tonight's stop postponed.
      return [stopButton(name), extendButton(name), destroyButton(name)];
  }
}

/** An actions block, or nothing when there is no button to show. */
export function envActionsBlock(record: EnvironmentRecord, set: ButtonSet = 'all'): KnownBlock[] {
  const elements = envButtons(record, set);
  return elements.length ? [{ type: 'actions', block_id: `env_actions:${record.name}`, elements }] : [];
}
