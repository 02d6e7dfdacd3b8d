import { userInfo } from 'node:os';
import type { CommandResult } from './commands/context.js';
import type { EnvironmentRecord } from './environments/record.js';

/**
 * `envbot <command>`: the same grammar as `/env` in Slack, sent to a running bot's API.
 * Flags of the CLI itself: --json (list/status as JSON), --no-wait (don't wait for the work).
 */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv = process.env, out = process.stdout, err = process.stderr): Promise<number> {
  const json = argv.includes('--json');
  const wait = !argv.includes('--no-wait');
  const words = argv.filter((a) => a !== '--json' && a !== '--no-wait');
  const base = (env.ENVBOT_URL ?? `http://127.0.0.1:${env.PORT ?? 3000}`).replace(/\/$/, '');
  const text = words.map((w) => (/\s/.test(w) ? JSON.stringify(w) : w)).join(' ');
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
    err.write(`No envbot is answering at ${base}. Start it with \`npm start\` (or set ENVBOT_URL and ENVBOT_API_TOKEN for a deployed bot).\n`);
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

/** After the work is done, show where the environment ended up. */
async function printFinal(base: string, name: string, out: NodeJS.WritableStream, env: NodeJS.ProcessEnv): Promise<void> {
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
