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
  const port = opts.port ?? (await freePort());
  const [bin, ...args] = cmd as [string, ...string[]];
  const child: ChildProcess = spawn(bin, [...args, '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    // Services "run" their desired count so the reconciler's wait-for-steady step can finish.
    env: { ...process.env, MOTO_ECS_SERVICE_RUNNING: '1', ...opts.env },
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilUp(endpoint, child, () => stderr);
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
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
