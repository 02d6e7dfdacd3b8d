import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../app/src/commands/grammar.js';
import { executeText } from '../../app/src/commands/execute.js';
import type { CommandContext } from '../../app/src/commands/context.js';
import { loadConfig } from '../../app/src/config.js';
import { silentLog } from '../support/engine-fixture.js';

describe('parseCommand: valid commands', () => {
  it.each([
    ['', { verb: 'help' }],
    ['up feature-x', { verb: 'up', name: 'feature-x' }],
    ['/env up feature-x', { verb: 'up', name: 'feature-x' }],
    ['UP feature-x', { verb: 'up', name: 'feature-x' }],
    ['up', { verb: 'up' }],
    ['up --branch feature/JIRA-123_Login', { verb: 'up', branch: 'feature/JIRA-123_Login' }],
    [
      'up api --branch=main --profile stage --size m --image 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:abc123',
      { verb: 'up', name: 'api', branch: 'main', profile: 'stage', size: 'm', image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/app:abc123' },
    ],
    ['down feature-x', { verb: 'down', name: 'feature-x' }],
    ['stop feature-x', { verb: 'stop', name: 'feature-x' }],
    ['start feature-x', { verb: 'start', name: 'feature-x' }],
    ['status', { verb: 'status' }],
    ['list', { verb: 'list', mine: false }],
    ['list --mine', { verb: 'list', mine: true }],
    ['config feature-x', { verb: 'config', name: 'feature-x', action: { kind: 'show' } }],
    ['config feature-x set GREETING="hello world"', { verb: 'config', name: 'feature-x', action: { kind: 'set', key: 'GREETING', value: 'hello world', secret: false } }],
    ['config feature-x set URL=http://a/b?c=d', { verb: 'config', name: 'feature-x', action: { kind: 'set', key: 'URL', value: 'http://a/b?c=d', secret: false } }],
    ['config feature-x --secret DB_PASSWORD=s3cr3t', { verb: 'config', name: 'feature-x', action: { kind: 'set', key: 'DB_PASSWORD', value: 's3cr3t', secret: true } }],
    ['config feature-x unset GREETING', { verb: 'config', name: 'feature-x', action: { kind: 'unset', key: 'GREETING' } }],
    ['extend feature-x 2h', { verb: 'extend', name: 'feature-x', duration: { kind: 'for', minutes: 120, text: '2h' } }],
    ['extend feature-x 1h30m', { verb: 'extend', name: 'feature-x', duration: { kind: 'for', minutes: 90, text: '1h30m' } }],
    ['extend feature-x until 23:00', { verb: 'extend', name: 'feature-x', duration: { kind: 'until', hh: 23, mm: 0, text: 'until 23:00' } }],
    ['extend 90m', { verb: 'extend', duration: { kind: 'for', minutes: 90, text: '90m' } }],
    ['cost', { verb: 'cost' }],
    ['cost feature-x', { verb: 'cost', name: 'feature-x' }],
    ['help up', { verb: 'help', topic: 'up' }],
    ['bypass', { verb: 'bypass' }],
    ['help bypass', { verb: 'help', topic: 'bypass' }],
  ])('%j', (text, command) => {
    expect(parseCommand(text)).toEqual({ ok: true, command });
  });
});

const U = (verb: string) => `Usage: /env ${verb}`;

/** Malformed input and the exact reply the user gets. */
const BAD: [string, string][] = [
  ['uo feature-x', `Unknown command "uo". Did you mean \`/env up\`?\n${U('up <name> [--branch B] [--image URI] [--profile dev|stage] [--size xs|s|m|l|xl]')}`],
  ['destroy feature-x', 'Unknown command "destroy". Commands: up, down, stop, start, list, status, config, extend, cost, whoami, bypass, help. Try `/env help`.'],
  ['bypass feature-x', `bypass takes nothing (got "feature-x").\n${U('bypass')}`],
  ['stpo feature-x', `Unknown command "stpo". Did you mean \`/env stop\`?\n${U('stop <name>')}`],
  ['up Feature-X', `Invalid environment name: "Feature-X" is not a valid name: use lower-case letters, digits and dashes, starting with a letter (e.g. feature-x).\n${U('up <name> [--branch B] [--image URI] [--profile dev|stage] [--size xs|s|m|l|xl]')}`],
  ['up 1feature', `Invalid environment name: "1feature" is not a valid name: use lower-case letters, digits and dashes, starting with a letter (e.g. feature-x).\n${U('up <name> [--branch B] [--image URI] [--profile dev|stage] [--size xs|s|m|l|xl]')}`],
  ['up feature_x', `Invalid environment name: "feature_x" is not a valid name: use lower-case letters, digits and dashes, starting with a letter (e.g. feature-x).\n${U('up <name> [--branch B] [--image URI] [--profile dev|stage] [--size xs|s|m|l|xl]')}`],
  ['up feature-', `Invalid environment name: "feature-" is not a valid name: use lower-case letters, digits and dashes, starting with a letter (e.g. feature-x).\n${U('up <name> [--branch B] [--image URI] [--profile dev|stage] [--size xs|s|m|l|xl]')}`],
  ['up a--b', `Invalid environment name: "a--b" has a double dash; use single dashes.\n${U('up <name> [--branch B] [--image URI] [--profile dev|stage] [--size xs|s|m|l|xl]')}`],
  ['up this-name-is-far-too-long-for-aws-names', `Invalid environment name: "this-name-is-far-too-long-for-aws-names" is 39 characters; names are at most 28 (use --branch to derive a shorter one).\n${U('up <name> [--branch B] [--image URI] [--profile dev|stage] [--size xs|s|m|l|xl]')}`],
  ['up envbot', `Invalid environment name: "envbot" is reserved; pick another name.\n${U('up <name> [--branch B] [--image URI] [--profile dev|stage] [--size xs|s|m|l|xl]')}`],
  ['up a b', `up takes one name (got 2).\n${U('up <name> [--branch B] [--image URI] [--profile dev|stage] [--size xs|s|m|l|xl]')}`],
  ['up x --profile prod', 'Unknown profile "prod". Profiles: dev, stage.'],
  ['up x --size huge', 'Unknown size "huge". Sizes: xs, s, m, l, xl.'],
  ['up x --sise m', `Unknown option --sise for up. Did you mean --size? Allowed: --branch, --image, --profile, --size.\n${U('up <name> [--branch B] [--image URI] [--profile dev|stage] [--size xs|s|m|l|xl]')}`],
  ['up x --force', `Unknown option --force for up. Allowed: --branch, --image, --profile, --size.\n${U('up <name> [--branch B] [--image URI] [--profile dev|stage] [--size xs|s|m|l|xl]')}`],
  ['up x --branch', `--branch needs a value.\n${U('up <name> [--branch B] [--image URI] [--profile dev|stage] [--size xs|s|m|l|xl]')}`],
  ['up x --branch --size m', `--branch needs a value.\n${U('up <name> [--branch B] [--image URI] [--profile dev|stage] [--size xs|s|m|l|xl]')}`],
  ['up x --size m --size l', `--size is given twice; give it once.\n${U('up <name> [--branch B] [--image URI] [--profile dev|stage] [--size xs|s|m|l|xl]')}`],
  ['up x --branch "my branch"', 'Invalid --branch: "my branch" contains a character git does not allow (space ~ ^ : ? * [ \\).'],
  ['up x --branch feature..x', 'Invalid --branch: "feature..x" is not a valid git branch name.'],
  ['up x --branch feature/x.lock', 'Invalid --branch: "feature/x.lock" is not a valid git branch name.'],
  ['up x --branch /feature', 'Invalid --branch: "/feature" is not a valid git branch name.'],
  ['up x --image "not an image"', 'Invalid --image: "not an image" is not an image reference like 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:abc123.'],
  ['up x --image UPPER/Case:1', 'Invalid --image: "UPPER/Case:1" is not an image reference like 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:abc123.'],
  ['stop a b', `stop takes one name (got 2).\n${U('stop <name>')}`],
  ['stop x --force', `stop takes no options (got --force).\n${U('stop <name>')}`],
  ['list everything', `list takes no name (got "everything").\n${U('list [--mine]')}`],
  ['list --mine=yes', `--mine takes no value.\n${U('list [--mine]')}`],
  ['config', `config needs an environment name.\n${U('config <name> [set KEY=VALUE | unset KEY | --secret KEY=VALUE]')}`],
  ['config x set GREETING', `Invalid config command: "GREETING" is not KEY=VALUE.\n${U('config <name> [set KEY=VALUE | unset KEY | --secret KEY=VALUE]')}`],
  ['config x set 1KEY=v', `Invalid config command: "1KEY" is not a valid key: use letters, digits and _ (not starting with a digit), at most 128 characters.\n${U('config <name> [set KEY=VALUE | unset KEY | --secret KEY=VALUE]')}`],
  ['config x set AWS_REGION=eu-west-1', `Invalid config command: "AWS_REGION" is reserved for AWS; pick another key.\n${U('config <name> [set KEY=VALUE | unset KEY | --secret KEY=VALUE]')}`],
  ['config x set KEY=', `Invalid config command: the value is empty; use \`unset KEY\` to remove a key.\n${U('config <name> [set KEY=VALUE | unset KEY | --secret KEY=VALUE]')}`],
  ['config x --secret PASSWORD', `Invalid config command: "(secret)" is not KEY=VALUE.\n${U('config <name> [set KEY=VALUE | unset KEY | --secret KEY=VALUE]')}`],
  ['config x sett A=b', `Invalid config command: unknown config action "sett" (did you mean set?).\n${U('config <name> [set KEY=VALUE | unset KEY | --secret KEY=VALUE]')}`],
  ['config x unset', `Invalid config command: unset needs a KEY.\n${U('config <name> [set KEY=VALUE | unset KEY | --secret KEY=VALUE]')}`],
  ['config x set A="unclosed', `I couldn't read that: a " quote is not closed.`],
  ['extend x', `extend needs a duration, e.g. \`/env extend feature-x 2h\`.\n${U('extend <name> <duration>')}`],
  ['extend x forever', 'Invalid duration "forever": use a duration like 2h, 90m, 1d, 1h30m or `until 23:00`.'],
  ['extend x 0h', 'Invalid duration "0h": the duration must be longer than zero.'],
  ['extend x 30d', 'Invalid duration "30d": the longest extension is 7 days.'],
  ['extend x until 25:00', 'Invalid duration "until 25:00": use a duration like 2h, 90m, 1d, 1h30m or `until 23:00`.'],
  ['cost a b', `cost takes at most one name.\n${U('cost [name]')}`],
  ['help deploy', expect.stringMatching(/^No help for "deploy"\.\nenvbot gives each branch/) as unknown as string],
];

describe('parseCommand: malformed input gets an exact, helpful reply', () => {
  it('has at least 30 cases', () => {
    expect(BAD.length).toBeGreaterThanOrEqual(30);
  });

  it.each(BAD)('%j', (text, reply) => {
    expect(parseCommand(text)).toEqual({ ok: false, reply });
  });

  it('never touches the store or AWS for malformed input', async () => {
    const touched: string[] = [];
    const trap = new Proxy({}, { get: (_t, prop) => () => { touched.push(String(prop)); throw new Error(`touched ${String(prop)}`); } });
    const ctx = {
      config: loadConfig({ ENVBOT_MODE: 'local' }),
      store: trap,
      access: { admins: [], allowedUsers: [], maxPerUser: 3, maxTotal: 50 },
      notifier: trap,
      log: silentLog,
      configPort: trap,
      kick: () => touched.push('kick'),
      now: () => new Date('2026-11-22T00:00:00Z'),
    } as unknown as CommandContext;
    for (const [text, reply] of BAD) {
      const result = await executeText(ctx, { actor: { id: 'U1', source: 'slack' } }, text);
      expect(result.kind).toBe('refused');
      if (typeof reply === 'string') expect(result.text).toBe(reply);
    }
    expect(touched).toEqual([]);
  });
});
