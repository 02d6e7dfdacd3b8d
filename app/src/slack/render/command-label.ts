import type { Command } from '../../commands/types.js';

/**
 * A command written back as `/env …` for acknowledgements. Built from the parsed command, never
 * from the typed text, so a config value (possibly a secret) is never echoed to chat.
 */
export function commandLabel(c: Command): string {
  const words: string[] = [c.verb];
  const name = 'name' in c && c.name !== undefined ? c.name : undefined;
  switch (c.verb) {
    case 'up':
      if (name) words.push(name);
      if (c.branch) words.push('--branch', c.branch);
      if (c.image) words.push('--image', c.image);
      if (c.profile) words.push('--profile', c.profile);
      if (c.size) words.push('--size', c.size);
      break;
    case 'list':
      if (c.mine) words.push('--mine');
      break;
    case 'config':
      if (name) words.push(name);
      if (c.action.kind === 'set') words.push(c.action.secret ? `--secret ${c.action.key}=(hidden)` : `set ${c.action.key}=(hidden)`);
      if (c.action.kind === 'unset') words.push('unset', c.action.key);
      break;
    case 'extend':
      if (name) words.push(name);
      words.push(c.duration.text);
      break;
    case 'help':
      if (c.topic) words.push(c.topic);
      break;
    default:
      if (name) words.push(name);
  }
  return `/env ${words.join(' ')}`;
}
