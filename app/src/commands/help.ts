import type { Verb } from './types.js';

/** One line of usage per verb; `help <verb>` shows the line plus details. */
export const USAGE: Record<Verb, string> = {
  up: 'up <name> [--branch B] [--image URI] [--profile dev|stage] [--size xs|s|m|l|xl]',
  down: 'down <name>',
  stop: 'stop <name>',
  start: 'start <name>',
  list: 'list [--mine]',
  status: 'status <name>',
  config: 'config <name> [set KEY=VALUE | unset KEY | --secret KEY=VALUE]',
  extend: 'extend <name> <duration>',
  cost: 'cost [name]',
  whoami: 'whoami',
  bypass: 'bypass',
  help: 'help [verb]',
};

const DETAILS: Record<Verb, string> = {
  up: 'Creates or updates the environment <name> and deploys it. Without --branch the branch is <name>. ' +
    '--image deploys a ready image instead of building; --profile picks dev (Spot, stops at night) or stage; --size picks the task size.',
  down: 'Destroys the environment: service, load balancer rule, target group, schedules and its own config. Cannot be undone.',
  stop: 'Scales the environment to zero tasks. Nothing is rebuilt; `start` brings it back.',
  start: 'Scales a stopped environment back up with the same image and config.',
  list: 'Lists environments with status, owner and URL. --mine shows only yours.',
  status: 'Shows one environment: status, URL, commit, image, auto-stop time, last build, cost so far.',
  config: 'Shows the effective configuration of <name> and the layer each key comes from (secrets masked). ' +
    '`set KEY=VALUE` and `--secret KEY=VALUE` write to the environment\'s own layer and roll the service; `unset KEY` removes it.',
  extend: 'Postpones tonight\'s auto-stop, e.g. `extend feature-x 2h` or `extend feature-x 1d`.',
  cost: 'Shows what all environments, or <name>, cost so far, and what Spot and auto-stop saved.',
  whoami: 'Says who envbot thinks you are: your id in this door (slack:U…, github:login, oidc:email, cli:user), the ids linked to it, and whether you are an envbot admin.',
  bypass: 'Admins only: shows how CI and link checkers get past protected URLs, including the secret header\'s value. ' +
    'Answered only to you (Slack ephemeral, CLI); refused in PR comments, which are public.',
  help: 'Shows this help, or details of one verb.',
};

/** The ownership rules, one sentence each; the README's "Who may do what" says the same. */
export const OWNERSHIP_RULES = [
  'Only its owner (under any of their linked ids) or an envbot admin may change an environment: up with changes, down, stop, start, config, extend.',
  'Running `up` on someone else\'s running environment only makes sure it runs: its settings, report channel and pull request stay as they are.',
  'A pull request or branch event (closed, pushed, deleted) acts only on environments that this pull request or branch created through GitHub in this repository.',
  'Where progress is reported (Slack channel, pull request) changes only when the owner asks for it.',
  'Ids carry their door (slack:U…, github:login, oidc:email, cli:user); a Slack and a GitHub id are one person only when an admin links them or their verified emails match.',
];

export function helpText(topic?: Verb): string {
  if (topic) return `Usage: /env ${USAGE[topic]}\n${DETAILS[topic]}${topic === 'up' || topic === 'whoami' ? `\nWho may do what:\n${rules()}` : ''}`;
  const lines = Object.values(USAGE).map((u) => `  /env ${u}`);
  return ['envbot gives each branch its own environment. Commands:', ...lines, 'Who may do what:', rules(), 'Try `/env help up` for details.'].join('\n');
}

function rules(): string {
  return OWNERSHIP_RULES.map((r) => `  • ${r}`).join('\n');
}
