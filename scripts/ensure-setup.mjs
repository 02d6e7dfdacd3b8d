#!/usr/bin/env node
// Makes a fresh clone runnable: npm packages, the moto AWS emulator and (for tests) the Debian
// tools the tests use. Only Node built-ins here, because it runs before `npm ci`.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const forTests = process.argv.includes('--for-tests');
const say = (msg) => process.stderr.write(`[setup] ${msg}\n`);
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { stdio: 'inherit', ...opts }).status === 0;
const quiet = (cmd, args) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;

/**
 * Installed = every package the lockfile names is in node_modules at that version (npm's own
 * record, node_modules/.package-lock.json). By content, not file times: a checkout or a second
 * git worktree gives package-lock.json a new mtime without changing what it pins.
 */
function npmPackagesCurrent() {
  const marker = 'node_modules/.package-lock.json';
  if (!existsSync(marker)) return false;
  try {
    const wanted = JSON.parse(readFileSync('package-lock.json', 'utf8')).packages ?? {};
    const installed = JSON.parse(readFileSync(marker, 'utf8')).packages ?? {};
    return Object.entries(wanted).every(
      ([path, pkg]) => path === '' || pkg.optional || installed[path]?.version === pkg.version,
    );
  } catch {
    return false;
  }
}

if (!npmPackagesCurrent()) {
  say('installing npm packages (npm ci)…');
  if (!run('npm', ['ci', '--no-audit', '--no-fund'])) process.exit(1);
}

const python = ['python3', 'python'].find((py) => quiet(py, ['--version']));
if (!python) {
  say('python3 is not installed: local mode and the tests need it for the moto AWS emulator.');
  say('install it (e.g. `apt-get install python3 python3-pip`) and run this again.');
  process.exit(1);
}
if (!quiet(python, ['-c', 'import moto.server'])) {
  say('installing the moto AWS emulator (pip install "moto[server]")…');
  const ok =
    run(python, ['-m', 'pip', 'install', '--quiet', 'moto[server]>=5.1']) ||
    run(python, ['-m', 'pip', 'install', '--quiet', '--break-system-packages', 'moto[server]>=5.1']);
  if (!ok) {
    say('could not install moto. Install it by hand: python3 -m pip install "moto[server]"');
    process.exit(1);
  }
}

if (forTests) {
  // shellcheck checks buildspec.yml's commands; chromium runs the dashboard's browser test.
  const wanted = [
    ['shellcheck', 'shellcheck'],
    ['chromium', 'chromium'],
  ].filter(([bin]) => !quiet('sh', ['-c', `command -v ${bin}`]));
  if (wanted.length) {
    const pkgs = wanted.map(([, pkg]) => pkg);
    say(`installing Debian packages for the tests: ${pkgs.join(' ')}…`);
    const asRoot = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
    const apt = (args) => (asRoot.length ? run(asRoot[0], [...asRoot.slice(1), 'apt-get', ...args]) : run('apt-get', args));
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    if (!(apt(['update', '-qq'], { env }) && apt(['install', '-y', '-qq', '--no-install-recommends', ...pkgs], { env }))) {
      say(`could not install ${pkgs.join(' ')}; install them with apt-get and run the tests again.`);
      process.exit(1);
    }
  }
}

