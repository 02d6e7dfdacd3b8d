import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../app/src/cli.js';

const run = promisify(execFile);
const ROOT = new URL('../..', import.meta.url).pathname;

/** `npx envbot …` as a user types it; returns the exit code instead of throwing on non-zero. */
async function npxEnvbot(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('npx', ['envbot', ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function sink() {
  let text = '';
  return { write: (s: string) => ((text += s), true), get text() { return text; } } as unknown as NodeJS.WritableStream & { text: string };
}

describe('the CLI without a running bot', () => {
  // A stand-in "bot" that only counts requests: help and usage errors must never reach it.
  let server: Server;
  let requests = 0;
  let url: string;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      requests++;
      res.end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('`npx envbot help` prints the commands, spelled for the terminal, and exits 0', async () => {
    const { code, stdout } = await npxEnvbot(['help'], { ENVBOT_URL: url });

    expect(code).toBe(0);
    expect(stdout).toContain('envbot up <name>');
    expect(stdout).toContain('envbot doctor');
    expect(stdout).not.toContain('/env ');
    expect(requests).toBe(0);
  });

  it('`npx envbot up` (no name) is a usage error answered locally, exit 2', async () => {
    const { code, stdout, stderr } = await npxEnvbot(['up'], { ENVBOT_URL: url });

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('up needs an environment name.');
    expect(stderr).toContain('Usage: envbot up <name>');
    expect(requests).toBe(0);
  });

  it('answers --version, help <verb> and unknown verbs without a bot', async () => {
    const version = sink();
    const verb = sink();
    const unknown = sink();
    const closed = { ENVBOT_URL: 'http://127.0.0.1:1' };

    expect(await runCli(['--version'], closed, version, sink())).toBe(0);
    expect(await runCli(['help', 'extend'], closed, verb, sink())).toBe(0);
    expect(await runCli(['dwon', 'x'], closed, sink(), unknown)).toBe(2);

    expect(version.text).toMatch(/^envbot \d+\.\d+\.\d+\n$/);
    expect(verb.text).toContain('Usage: envbot extend <name> <duration>');
    expect(unknown.text).toContain('Did you mean `envbot down`?');
  });

  it('says how to start a bot only for a verb that needs one', async () => {
    const err = sink();

    const code = await runCli(['list'], { ENVBOT_URL: 'http://127.0.0.1:1' }, sink(), err);

    expect(code).toBe(2);
    expect(err.text).toContain('`list` needs a running bot. Start it with `npm start`');
  });
});
