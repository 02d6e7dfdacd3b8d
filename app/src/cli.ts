import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { parseCommand } from './commands/grammar.js';
import { helpText, USAGE } from './commands/help.js';
import type { Command } from './commands/types.js';
import type { CommandResult } from './commands/context.js';
import { runDoctor } from './doctor/doctor.js';
import type { EnvironmentRecord } from './environments/record.js';

type Out = NodeJS.WritableStream;

/**
 * `envbot <command>`: the same grammar as `/env` in Slack, sent to a running bot's API.
 * Answered here without a bot: `help`, `--version`, usage errors and `doctor`.
 * Flags of the CLI itself: --json (list/status as JSON), --no-wait (don't wait for the work).
 */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv = process.env, out: Out = process.stdout, err: Out = process.stderr): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--version' || first === '-v' || first === 'version') {
    out.write(`envbot ${packageVersion()}\n`);
    return 0;
  }
  if (first === 'doctor') return runDoctor(rest, env, out, err);
  if (first === undefined || first === '--help' || first === '-h') {
    out.write(cliHelp());
    return 0;
  }
  const json = argv.includes('--json');
  const wait = !argv.includes('--no-wait');
  const words = argv.filter((a) => a !== '--json' && a !== '--no-wait');
  const text = words.map((w) => (/\s/.test(w) ? JSON.stringify(w) : w)).join(' ');
  const parsed = parseCommand(text);
  if (!parsed.ok) {
    err.write(`${asCli(parsed.reply)}\n`);
    return 2;
  }
  const missing = nameMissing(parsed.command);
  if (missing) {
    err.write(`${missing}\n`);
    return 2;
  }
  if (parsed.command.verb === 'help') {
    const { topic } = parsed.command;
    out.write(topic ? `${asCli(helpText(topic))}\n` : cliHelp());
    return 0;
  }
  return sendToBot(text, { json, wait }, env, out, err);
}

async function sendToBot(text: string, opts: { json: boolean; wait: boolean }, env: NodeJS.ProcessEnv, out: Out, err: Out): Promise<number> {
  const { json, wait } = opts;
  const base = (env.ENVBOT_URL ?? `http://127.0.0.1:${env.PORT ?? 3000}`).replace(/\/$/, '');
  let res: Response;
  try {
    res = await fetch(`${base}/api/command`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-envbot-user': safeUser(),
        'x-envbot-wait': String(wait),
        ...(env.ENVBOT_API_TOKEN && { authorization: `Bearer ${env.ENVBOT_API_TOKEN}` }),
      },
      body: JSON.stringify({ text }),
    });
  } catch {
    err.write(`No envbot is answering at ${base}; \`${text.split(' ')[0]}\` needs a running bot. Start it with \`npm start\` (or set ENVBOT_URL and ENVBOT_API_TOKEN for a deployed bot).\n`);
    return 2;
  }
  const body = (await res.json().catch(() => ({}))) as Partial<CommandResult> & { error?: string };
  if (body.error) {
    err.write(`envbot: ${body.error}\n`);
    return 2;
  }
  if (json && (body.records || body.record)) {
    out.write(`${JSON.stringify(body.records ?? body.record, null, 2)}\n`);
  } else {
    const stream = body.kind === 'refused' || body.kind === 'error' ? err : out;
    stream.write(`${plain(body.text ?? '')}\n`);
    if (wait && body.kind === 'accepted' && body.record) await printFinal(base, body.record.name, out, env);
  }
  return body.kind === 'refused' || body.kind === 'error' ? 1 : 0;
}

/** A pull request comment may leave the name out (it is the PR's branch); a terminal has no PR. */
function nameMissing(command: Command): string | undefined {
  if (command.verb === 'help' || command.verb === 'list' || command.verb === 'cost' || command.verb === 'whoami' || command.verb === 'bypass') return undefined;
  if (command.name) return undefined;
  return `${command.verb} needs an environment name.\nUsage: envbot ${USAGE[command.verb]}`;
}

/** The `/env` help, spelled for the terminal, plus what only the CLI has. */
function cliHelp(): string {
  return [
    asCli(helpText()),
    '  envbot doctor [--json] [--role-arn ARN]   check an installation (no bot needed)',
    '  envbot --version',
    'Options: --json (list/status as JSON), --no-wait (return once the work is accepted).',
    `Commands other than help, doctor and --version talk to a running bot: \`npm start\` locally, or ENVBOT_URL + ENVBOT_API_TOKEN.`,
    '',
  ].join('\n');
}

/** Grammar messages say `/env up`; in a terminal the command is `envbot up`. */
function asCli(text: string): string {
  return text.replace(/\/env\b/g, 'envbot');
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

/** After the work is done, show where the environment ended up. */
async function printFinal(base: string, name: string, out: Out, env: NodeJS.ProcessEnv): Promise<void> {
  const res = await fetch(`${base}/api/environments`, {
    headers: { ...(env.ENVBOT_API_TOKEN && { authorization: `Bearer ${env.ENVBOT_API_TOKEN}` }) },
  });
  const { environments } = (await res.json()) as { environments: EnvironmentRecord[] };
  const record = environments.find((r) => r.name === name);
  if (!record) out.write(`${name} is gone.\n`);
  else out.write(`${name}: ${record.status}${record.statusReason ? ` (${record.statusReason})` : ''}${record.url && record.status === 'ready' ? ` — ${record.url}` : ''}\n`);
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'operator';
  }
}

/** Slack-style *bold* and `code` read fine in a terminal without the markers. */
function plain(text: string): string {
  return text.replace(/\*([^*\n]+)\*/g, '$1');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runCli(process.argv.slice(2)).then((code) => process.exit(code));
}
