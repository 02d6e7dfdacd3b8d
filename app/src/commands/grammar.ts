import { isProfileName, PROFILE_NAMES } from '../environments/profiles.js';
import { parseExtendDuration } from '../environments/duration.js';
import { parseSizeName } from '../environments/sizes.js';
import { validateEnvName } from '../environments/names.js';
import { helpText, USAGE } from './help.js';
import { nearest } from './nearest.js';
import { tokenize } from './tokenize.js';
import { VERBS, type ConfigAction, type ParseResult, type Verb } from './types.js';
import { validateBranch, validateConfigKey, validateConfigValue, validateImage } from './validators.js';

/** Flags each verb accepts; `true` = boolean flag, `false` = takes a value. */
const FLAGS: Partial<Record<Verb, Record<string, boolean>>> = {
  up: { branch: false, image: false, profile: false, size: false },
  list: { mine: true },
  config: { secret: false },
};

interface Words {
  positional: string[];
  flags: Map<string, string | true>;
}

const fail = (reply: string): ParseResult => ({ ok: false, reply });
const usage = (verb: Verb) => `Usage: /env ${USAGE[verb]}`;

/** Text after `/env` (or a whole PR comment line starting with `/env`) → a typed Command. */
export function parseCommand(text: string): ParseResult {
  const tokens = tokenize(text.trim().replace(/^\/env\b/, ''));
  if (!tokens.ok) return fail(`I couldn't read that: ${tokens.reason}.`);
  const [first, ...rest] = tokens.words;
  if (first === undefined) return { ok: true, command: { verb: 'help' } };
  const verb = first.toLowerCase();
  if (!isVerb(verb)) {
    const guess = nearest(verb, VERBS);
    return fail(
      guess
        ? `Unknown command "${first}". Did you mean \`/env ${guess}\`?\n${usage(guess)}`
        : `Unknown command "${first}". Commands: ${VERBS.join(', ')}. Try \`/env help\`.`,
    );
  }
  const words = splitFlags(verb, rest);
  if (typeof words === 'string') return fail(words);
  return parseVerb(verb, words);
}

function isVerb(word: string): word is Verb {
  return (VERBS as readonly string[]).includes(word);
}

function splitFlags(verb: Verb, args: string[]): Words | string {
  const allowed = FLAGS[verb] ?? {};
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--') || arg === '--') {
      positional.push(arg);
      continue;
    }
    const [rawName, inline] = splitOnce(arg.slice(2), '=');
    const name = rawName.toLowerCase();
    if (!(name in allowed)) {
      const names = Object.keys(allowed).map((f) => `--${f}`);
      const guess = nearest(name, Object.keys(allowed));
      const hint = guess ? ` Did you mean --${guess}?` : '';
      return names.length
        ? `Unknown option --${rawName} for ${verb}.${hint} Allowed: ${names.join(', ')}.\n${usage(verb)}`
        : `${verb} takes no options (got --${rawName}).\n${usage(verb)}`;
    }
    if (flags.has(name)) return `--${name} is given twice; give it once.\n${usage(verb)}`;
    if (allowed[name]) {
      if (inline !== undefined) return `--${name} takes no value.\n${usage(verb)}`;
      flags.set(name, true);
      continue;
    }
    const value = inline ?? args[++i];
    if (value === undefined || value === '' || (inline === undefined && value.startsWith('--'))) {
      return `--${name} needs a value.\n${usage(verb)}`;
    }
    flags.set(name, value);
  }
  return { positional, flags };
}

function splitOnce(text: string, sep: string): [string, string | undefined] {
  const at = text.indexOf(sep);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

function parseVerb(verb: Verb, w: Words): ParseResult {
  switch (verb) {
    case 'up':
      return parseUp(w);
    case 'down':
    case 'stop':
    case 'start':
    case 'status':
      return parseNameOnly(verb, w);
    case 'list':
      if (w.positional.length > 0) return fail(`list takes no name (got "${w.positional[0]}").\n${usage('list')}`);
      return { ok: true, command: { verb: 'list', mine: w.flags.has('mine') } };
    case 'cost':
      return parseCost(w);
    case 'extend':
      return parseExtend(w);
    case 'config':
      return parseConfig(w);
    case 'whoami':
      if (w.positional.length > 0) return fail(`whoami takes nothing (got "${w.positional[0]}").\n${usage('whoami')}`);
      return { ok: true, command: { verb: 'whoami' } };
    case 'bypass':
      if (w.positional.length > 0) return fail(`bypass takes nothing (got "${w.positional[0]}").\n${usage('bypass')}`);
      return { ok: true, command: { verb: 'bypass' } };
    case 'help':
      return parseHelp(w);
  }
}

function checkName(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const v = validateEnvName(name);
  return v.ok ? undefined : `Invalid environment name: ${v.reason}.`;
}

function parseNameOnly(verb: 'down' | 'stop' | 'start' | 'status', w: Words): ParseResult {
  if (w.positional.length > 1) return fail(`${verb} takes one name (got ${w.positional.length}).\n${usage(verb)}`);
  const name = w.positional[0];
  const bad = checkName(name);
  if (bad) return fail(`${bad}\n${usage(verb)}`);
  return { ok: true, command: { verb, ...(name !== undefined && { name }) } };
}

function parseUp(w: Words): ParseResult {
  if (w.positional.length > 1) return fail(`up takes one name (got ${w.positional.length}).\n${usage('up')}`);
  const name = w.positional[0];
  const bad = checkName(name);
  if (bad) return fail(`${bad}\n${usage('up')}`);
  const flag = (k: string) => w.flags.get(k) as string | undefined;
  const branch = flag('branch');
  const image = flag('image');
  const profile = flag('profile');
  const size = flag('size');
  const branchProblem = branch !== undefined ? validateBranch(branch) : undefined;
  if (branchProblem) return fail(`Invalid --branch: ${branchProblem}.`);
  const imageProblem = image !== undefined ? validateImage(image) : undefined;
  if (imageProblem) return fail(`Invalid --image: ${imageProblem}.`);
  if (profile !== undefined && !isProfileName(profile)) {
    return fail(`Unknown profile "${profile}". Profiles: ${PROFILE_NAMES.join(', ')}.`);
  }
  const sized = size !== undefined ? parseSizeName(size) : undefined;
  if (sized && !sized.ok) return fail(sized.reason);
  return {
    ok: true,
    command: {
      verb: 'up',
      ...(name !== undefined && { name }),
      ...(branch !== undefined && { branch }),
      ...(image !== undefined && { image }),
      ...(profile !== undefined && { profile }),
      ...(sized?.ok && { size: sized.value }),
    },
  };
}

function parseCost(w: Words): ParseResult {
  if (w.positional.length > 1) return fail(`cost takes at most one name.\n${usage('cost')}`);
  const name = w.positional[0];
  const bad = checkName(name);
  if (bad) return fail(`${bad}\n${usage('cost')}`);
  return { ok: true, command: { verb: 'cost', ...(name !== undefined && { name }) } };
}

function parseExtend(w: Words): ParseResult {
  // `extend 2h` (PR comment: name from the branch) or `extend feature-x 2h` / `extend feature-x until 23:00`.
  const args = [...w.positional];
  let name: string | undefined;
  if (args.length > 0 && !parseExtendDuration(args.join(' ')).ok) name = args.shift();
  const text = args.join(' ');
  if (text === '') return fail(`extend needs a duration, e.g. \`/env extend feature-x 2h\`.\n${usage('extend')}`);
  const bad = checkName(name);
  if (bad) return fail(`${bad}\n${usage('extend')}`);
  const duration = parseExtendDuration(text);
  if (!duration.ok) return fail(`Invalid duration "${text}": ${duration.reason}.`);
  return { ok: true, command: { verb: 'extend', ...(name !== undefined && { name }), duration: duration.value } };
}

function parseConfig(w: Words): ParseResult {
  const [name, op, ...rest] = w.positional;
  const secret = w.flags.get('secret') as string | undefined;
  if (name === undefined) return fail(`config needs an environment name.\n${usage('config')}`);
  const bad = checkName(name);
  if (bad) return fail(`${bad}\n${usage('config')}`);
  let action: ConfigAction | string;
  if (secret !== undefined) {
    action = op === undefined || (op === 'set' && rest.length === 0) ? keyValue(secret, true) : `give either --secret KEY=VALUE or set KEY=VALUE, not both`;
  } else if (op === undefined) {
    action = { kind: 'show' };
  } else if (op === 'set') {
    action = rest.length === 1 ? keyValue(rest[0]!, false) : 'set takes one KEY=VALUE (quote values with spaces)';
  } else if (op === 'unset') {
    const key = rest[0];
    const keyProblem = key === undefined ? 'unset needs a KEY' : rest.length > 1 ? 'unset takes one KEY' : validateConfigKey(key);
    action = keyProblem ?? { kind: 'unset', key: key! };
  } else {
    const guess = nearest(op, ['set', 'unset']);
    action = `unknown config action "${op}"${guess ? ` (did you mean ${guess}?)` : ''}`;
  }
  if (typeof action === 'string') return fail(`Invalid config command: ${action}.\n${usage('config')}`);
  return { ok: true, command: { verb: 'config', name, action } };
}

function keyValue(pair: string, secret: boolean): ConfigAction | string {
  const [key, value] = splitOnce(pair, '=');
  if (value === undefined) return `"${secret ? '(secret)' : pair}" is not KEY=VALUE`;
  const problem = validateConfigKey(key) ?? validateConfigValue(value);
  if (problem) return problem;
  return { kind: 'set', key, value, secret };
}

function parseHelp(w: Words): ParseResult {
  const topic = w.positional[0]?.toLowerCase();
  if (topic === undefined) return { ok: true, command: { verb: 'help' } };
  if (!isVerb(topic)) {
    const guess = nearest(topic, VERBS);
    return fail(`No help for "${topic}".${guess ? ` Did you mean \`/env help ${guess}\`?` : ''}\n${helpText()}`);
  }
  return { ok: true, command: { verb: 'help', topic } };
}
