import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A moto_server child process: the local AWS emulator used by local mode, tests and benchmarks. */
export interface MotoProcess {
  endpoint: string;
  stop(): Promise<void>;
}

export class MotoUnavailableError extends Error {
  readonly code = 'MOTO_UNAVAILABLE';
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Finds a Python that can import moto's server; returns the command to run it with. */
export function findMotoCommand(): string[] | undefined {
  for (const py of ['python3', 'python']) {
    const probe = spawnSync(py, ['-c', 'import moto.server'], { stdio: 'ignore' });
    if (probe.status === 0) return [py, '-m', 'moto.server'];
  }
  const bin = spawnSync('moto_server', ['--help'], { stdio: 'ignore' });
  if (bin.status === 0) return ['moto_server'];
  return undefined;
}

/** Whether any Python runs at all, to tell "install Python" apart from "install moto". */
function hasPython(): boolean {
  return ['python3', 'python'].some((py) => spawnSync(py, ['--version'], { stdio: 'ignore' }).status === 0);
}

export async function startMoto(opts: { port?: number; env?: Record<string, string> } = {}): Promise<MotoProcess> {
  const cmd = findMotoCommand();
  if (!cmd && !hasPython()) {
    throw new MotoUnavailableError(
      'starting the local AWS emulator: Python 3 is not available (no python3 or python on PATH). ' +
        'Local mode runs the moto AWS emulator, which needs Python 3: install Python, then run `npm start` again ' +
        '(it installs moto; or `python3 -m pip install "moto[server]"`) — or set AWS credentials to use a real account',
    );
  }
  if (!cmd) {
    throw new MotoUnavailableError(
      'starting the local AWS emulator: moto is not installed — run `node scripts/ensure-setup.mjs` ' +
        '(or `python3 -m pip install "moto[server]"`), or set AWS credentials to use a real account',
    );
  }
  // Another process can take the free port before moto binds it; then our child exits and the
  // probe may have answered from the stranger. Check the child is still alive, else try a new port.
  for (let attempt = 1; ; attempt++) {
    const port = opts.port ?? (await freePort());
    const started = spawnMoto(cmd, port, opts.env);
    try {
      await waitUntilUp(started.endpoint, started.child, started.stderr);
      await new Promise((r) => setTimeout(r, 300));
      if (started.child.exitCode === null) return started.handle;
      throw new MotoUnavailableError(`moto_server exited after starting: ${started.stderr()}`);
    } catch (err) {
      started.child.kill('SIGKILL');
      if (attempt >= 3 || opts.port !== undefined) throw err;
    }
  }
}

function spawnMoto(cmd: string[], port: number, extraEnv: Record<string, string> = {}) {
  const [bin, ...args] = cmd as [string, ...string[]];
  const child: ChildProcess = spawn(bin, [...args, '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    // Services "run" their desired count so the reconciler's wait-for-steady step can finish.
    env: { ...process.env, MOTO_ECS_SERVICE_RUNNING: '1', ...extraEnv },
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const handle: MotoProcess = {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
  return { child, endpoint, handle, stderr: () => stderr };
}

async function waitUntilUp(endpoint: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new MotoUnavailableError(`moto_server exited: ${stderr()}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/data.json`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  child.kill('SIGKILL');
  throw new MotoUnavailableError(`moto_server did not answer on ${endpoint} within 30 s: ${stderr()}`);
}
