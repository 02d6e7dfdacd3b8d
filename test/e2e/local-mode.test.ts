import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DescribeClustersCommand } from '@aws-sdk/client-ecs';
import { DescribeListenersCommand, DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import { GetScheduleGroupCommand, ListSchedulesCommand } from '@aws-sdk/client-scheduler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClients, EMULATOR_CREDENTIALS, type AwsClients } from '../../app/src/aws/clients.js';
import type { SharedInfra } from '../../app/src/local/shared-infra.js';
import { inventory } from '../support/aws-inventory.js';

/**
 * The first five minutes, as the README tells them: `npm start` in a clean folder with no AWS
 * account, then the CLI and the dashboard's command box, checked against what really exists in the
 * emulator the bot started; then Ctrl-C (and, on a restart, SIGTERM) must leave nothing running.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Every child this file starts; `true` for a process-group leader (a bot), killed as a group. */
const started = new Map<ChildProcess, boolean>();

afterAll(() => {
  // Whatever happened in the tests, nothing this file started outlives it.
  for (const [child, group] of started) {
    // A group is killed even if its leader exited: orphans (a bot whose npm died) stay in it.
    if (!child.pid || (!group && (child.exitCode !== null || child.signalCode !== null))) continue;
    try {
      process.kill(group ? -child.pid : child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** The environment of someone with a fresh clone: no AWS, Slack or GitHub settings at all. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(AWS_|ENVBOT_|SLACK_|GITHUB_|npm_|VITEST)|^(PORT|LOG_LEVEL)$/.test(k)) env[k] = v;
  }
  return { ...env, LOG_LEVEL: 'warn', ...extra };
}

interface Bot {
  child: ChildProcess;
  port: number;
  banner: string;
  exited: Promise<number | null>;
  output: () => string;
}

/** Starts the bot in its own process group and waits for the banner. */
async function startBot(cmd: string, args: string[], dataDir: string): Promise<Bot> {
  const child = spawn(cmd, args, { cwd: ROOT, env: cleanEnv({ ENVBOT_DATA_DIR: dataDir, PORT: '0' }), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  started.set(child, true);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 100_000;
  for (;;) {
    const m = /Dashboard:\s+http:\/\/localhost:(\d+)\//.exec(out);
    if (m) {
      const banner = out.slice(out.indexOf('envbot is running'));
      return { child, port: Number(m[1]), banner, exited, output: () => out };
    }
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the bot did not print its banner:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** `bin/envbot.mjs …` as a person would type `npm run envbot -- …` (without npm's noise). */
function cli(port: number, ...args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/envbot.mjs', ...args], { cwd: ROOT, env: cleanEnv({ PORT: String(port) }) });
    started.set(child, false);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('close', (code) => resolve({ code, out }));
  });
}

async function command(port: number, text: string): Promise<{ kind: string; text: string }> {
  const res = await fetch(`http://127.0.0.1:${port}/dashboard/api/command`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text }),
  });
  return (await res.json()) as { kind: string; text: string };
}

async function rows(port: number): Promise<{ name: string; status: string }[]> {
  const res = await fetch(`http://127.0.0.1:${port}/dashboard/api/environments`);
  return ((await res.json()) as { environments: { name: string; status: string }[] }).environments;
}

async function waitFor<T>(what: string, probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!ok(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last saw ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 250));
    last = await probe();
  }
  return last;
}

/** Live (non-zombie) processes whose process group is `pgid`, from /proc. */
function processesInGroup(pgid: number): number[] {
  const found: number[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z') found.push(Number(pid));
    } catch {
      // gone while we looked
    }
  }
  return found;
}

function motoProcessesOnPort(port: number): number[] {
  const found: number[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (args.some((a) => a.includes('moto')) && args.includes(String(port))) found.push(Number(pid));
    } catch {
      // gone while we looked
    }
  }
  return found;
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** After a stop signal: the group empties, and neither the bot's nor the emulator's port answers. */
async function expectNothingLeft(bot: Bot, motoPort: number): Promise<void> {
  await waitFor('the process group to empty', async () => processesInGroup(bot.child.pid!), (pids) => pids.length === 0, 30_000);
  expect(motoProcessesOnPort(motoPort)).toEqual([]);
  expect(await listening(bot.port)).toBe(false);
  expect(await listening(motoPort)).toBe(false);
}

async function emulatorOf(port: number): Promise<{ clients: AwsClients; infra: SharedInfra; motoPort: number }> {
  const runtime = (await (await fetch(`http://127.0.0.1:${port}/dashboard/api/runtime`)).json()) as {
    emulator: { endpoint: string; region: string };
    infra: SharedInfra;
  };
  const clients = createClients({ region: runtime.emulator.region, endpoint: runtime.emulator.endpoint, credentials: EMULATOR_CREDENTIALS, maxAttempts: 3 });
  return { clients, infra: runtime.infra, motoPort: Number(new URL(runtime.emulator.endpoint).port) };
}

const schedulesOf = async (clients: AwsClients, infra: SharedInfra, env: string) =>
  ((await clients.scheduler.send(new ListSchedulesCommand({ GroupName: infra.scheduleGroup }))).Schedules ?? []).filter((s) => s.Name?.includes(env)).length;

describe('local mode, started as the README says', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'envbot-local-'));
  let bot: Bot;
  let emu: Awaited<ReturnType<typeof emulatorOf>>;

  beforeAll(async () => {
    bot = await startBot('npm', ['start'], dataDir);
    emu = await emulatorOf(bot.port);
  });

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints where the dashboard is and how to try a command', () => {
    expect(bot.banner).toContain('envbot is running in LOCAL mode');
    expect(bot.banner).toContain(`Dashboard:   http://localhost:${bot.port}/`);
    // PORT=0 picked a free port, so the hint must tell the CLI where to look.
    expect(bot.banner).toContain(`PORT=${bot.port} npm run envbot -- up demo`);
    expect(bot.banner).toContain('Ctrl-C');
  });

  it('created the shared resources the CDK stack would, in the emulator', async () => {
    const { clients, infra } = emu;
    expect((await clients.ecs.send(new DescribeClustersCommand({ clusters: [infra.cluster] }))).clusters?.[0]?.status).toBe('ACTIVE');
    const [lb] = (await clients.elb.send(new DescribeLoadBalancersCommand({ Names: ['envbot-alb'] }))).LoadBalancers ?? [];
    expect(lb?.LoadBalancerArn).toBe(infra.loadBalancerArn);
    expect((await clients.elb.send(new DescribeListenersCommand({ LoadBalancerArn: infra.loadBalancerArn }))).Listeners?.map((l) => l.ListenerArn)).toEqual([infra.listenerArn]);
    expect((await clients.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['envbot-apps'] }))).repositories).toHaveLength(1);
    expect((await clients.scheduler.send(new GetScheduleGroupCommand({ Name: infra.scheduleGroup }))).State).toBe('ACTIVE');
    // The table lives in the embedded store; the health check reads it.
    expect(await (await fetch(`http://127.0.0.1:${bot.port}/healthz`)).json()).toMatchObject({ status: 'ok', mode: 'local', store: { ok: true } });
  });

  it('the CLI: up, list, stop, down — each visible in the emulator', async () => {
    const { clients, infra } = emu;
    const up = await cli(bot.port, 'up', 'demo');
    expect(up, up.out).toMatchObject({ code: 0 });
    // Local links are http://demo.localhost[:<port>/] (browsers resolve *.localhost to loopback).
    expect(up.out).toMatch(/demo: ready — http:\/\/demo\.localhost(:\d+\/)?(\s|$)/);
    expect(await inventory(clients, infra, 'demo')).toMatchObject({ services: 1, desiredCount: 1, targetGroups: 1, rules: 1 });
    expect(await schedulesOf(clients, infra, 'demo')).toBeGreaterThan(0);

    const list = await cli(bot.port, 'list');
    expect(list.out).toContain('demo — ready');

    const stop = await cli(bot.port, 'stop', 'demo');
    expect(stop.out).toContain('demo: stopped');
    expect(await inventory(clients, infra, 'demo')).toMatchObject({ services: 1, desiredCount: 0 });

    const down = await cli(bot.port, 'down', 'demo');
    expect(down.out).toContain('demo is gone');
    expect(await inventory(clients, infra, 'demo')).toMatchObject({ services: 0, targetGroups: 0, rules: 0 });
    expect(await schedulesOf(clients, infra, 'demo')).toBe(0);
  }, 90_000);

  it("the dashboard's command box: up, list, stop, down — each visible in the emulator", async () => {
    const { clients, infra } = emu;
    expect(await command(bot.port, 'up web')).toMatchObject({ kind: 'accepted' });
    await waitFor('web to be ready', () => rows(bot.port), (r) => r.some((x) => x.name === 'web' && x.status === 'ready'));
    expect(await inventory(clients, infra, 'web')).toMatchObject({ services: 1, desiredCount: 1, targetGroups: 1, rules: 1 });
    // What the emulator only pretends is labelled on the page, not shown as plain success.
    const page = await (await fetch(`http://127.0.0.1:${bot.port}/`)).text();
    expect(page).toContain('emulated — nothing is really running');
    expect(page).toContain('Schedules are stored but never fire');

    expect((await command(bot.port, 'list')).text).toContain('web — ready');

    expect(await command(bot.port, 'stop web')).toMatchObject({ kind: 'accepted' });
    await waitFor('web to be stopped', () => rows(bot.port), (r) => r.some((x) => x.name === 'web' && x.status === 'stopped'));
    expect(await inventory(clients, infra, 'web')).toMatchObject({ services: 1, desiredCount: 0 });

    expect(await command(bot.port, 'down web')).toMatchObject({ kind: 'accepted' });
    await waitFor('web to be gone', () => rows(bot.port), (r) => !r.some((x) => x.name === 'web'));
    expect(await inventory(clients, infra, 'web')).toMatchObject({ services: 0, targetGroups: 0, rules: 0 });
  }, 90_000);

  it('Ctrl-C stops the bot and the emulator: no process and no listening port remain', async () => {
    // Leave one environment up: the restart below must remember it.
    expect((await cli(bot.port, 'up', 'keep')).out).toContain('keep: ready');
    // A terminal's Ctrl-C sends SIGINT to the whole foreground process group.
    process.kill(-bot.child.pid!, 'SIGINT');
    await bot.exited;
    await expectNothingLeft(bot, emu.motoPort);
    expect(bot.output()).toContain('SIGINT: stopping envbot');
  }, 60_000);

  it('a restart on the same folder remembers its environments and rebuilds them in the new emulator; SIGTERM leaves nothing running', async () => {
    // The bot process itself (what `npm start` runs after its set-up step), signalled alone, as a supervisor would.
    const again = await startBot(join(ROOT, 'node_modules/.bin/tsx'), ['app/src/main.ts'], dataDir);
    const { clients, infra, motoPort } = await emulatorOf(again.port);
    expect((await cli(again.port, 'list')).out).toContain('keep — ready');
    // The emulator started empty; the startup resync puts keep's resources back.
    await waitFor('keep to exist again in the emulator', () => inventory(clients, infra, 'keep'), (i) => i.services === 1 && i.rules === 1);
    process.kill(again.child.pid!, 'SIGTERM');
    await again.exited;
    await expectNothingLeft(again, motoPort);
    expect(again.output()).toContain('SIGTERM: stopping envbot');
  }, 90_000);
});

describe('local mode without Python', () => {
  it('says Python is missing and how to fix it, instead of a stack trace', async () => {
    // A PATH with node and npm but no python: the set-up step of `npm start` stops first…
    const bin = mkdtempSync(join(tmpdir(), 'envbot-nopython-'));
    const dataDir = mkdtempSync(join(tmpdir(), 'envbot-nopython-data-'));
    try {
      symlinkSync(process.execPath, join(bin, 'node'));
      symlinkSync('/bin/sh', join(bin, 'sh'));
      const env = { PATH: bin, HOME: process.env.HOME ?? tmpdir(), ENVBOT_DATA_DIR: dataDir, PORT: '0' };
      const viaNpm = await run(process.execPath, [npmCli(), 'start'], env);
      expect(viaNpm.code).not.toBe(0);
      expect(viaNpm.out).toContain('python3 is not installed');
      // …and the bot itself (run without the set-up step, e.g. `tsx app/src/main.ts`) says the same.
      const direct = await run(process.execPath, ['--import', 'tsx', 'app/src/main.ts'], env);
      expect(direct.code).toBe(1);
      expect(direct.out).toContain('Python 3 is not available');
      expect(direct.out).not.toMatch(/^\s+at /m);
    } finally {
      rmSync(bin, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

/** npm's own script (so it runs with our node, whatever the PATH). */
function npmCli(): string {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (existsSync(join(dir, 'npm'))) return realpathSync(join(dir, 'npm'));
  }
  throw new Error('npm is not on PATH');
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, env });
    started.set(child, false);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('close', (code) => resolve({ code, out }));
  });
}
