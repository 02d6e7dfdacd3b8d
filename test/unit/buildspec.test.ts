import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// buildspec.yml is checked twice: statically (YAML shape, cache paths, shellcheck on every
// command, no secret echoed) and by running its commands in bash against a fake repository
// with stub `docker`, `aws` and build-tool wrappers, which shows what it would really do.
// shellcheck must be installed (Debian/Ubuntu: apt-get install -y shellcheck).

const ROOT = join(import.meta.dirname, '..', '..');
const SPEC_TEXT = readFileSync(join(ROOT, 'buildspec.yml'), 'utf8');
const SPEC = parse(SPEC_TEXT) as {
  version: unknown;
  env: { shell: string; 'exported-variables': string[]; variables?: Record<string, string> };
  phases: Record<string, { commands: string[] }>;
  cache: { paths: string[] };
};
const PHASES = ['install', 'pre_build', 'build', 'post_build'] as const;
const COMMANDS = PHASES.flatMap((p) => SPEC.phases[p]?.commands ?? []);
const SHA = 'a'.repeat(8) + '0123456789abcdef0123456789abcdef';
const REPO_URI = '123456789012.dkr.ecr.us-east-1.amazonaws.com/envbot-apps';

describe('buildspec.yml, statically', () => {
  it('is a version 0.2 buildspec run by bash, with all four phases', () => {
    expect(String(SPEC.version)).toBe('0.2');
    expect(SPEC.env.shell).toBe('bash');
    expect(Object.keys(SPEC.phases)).toEqual([...PHASES]);
  });

  it('keeps the Gradle and Maven dependency caches between builds (CodeBuild runs as root: ~ is /root)', () => {
    expect(SPEC.cache.paths).toEqual(
      expect.arrayContaining(['/root/.gradle/caches/**/*', '/root/.gradle/wrapper/**/*', '/root/.m2/repository/**/*']),
    );
  });

  it('exports the image URI, its digest and the cache-hit flag for BatchGetBuilds', () => {
    expect(SPEC.env['exported-variables']).toEqual(expect.arrayContaining(['IMAGE_URI', 'IMAGE_DIGEST', 'CACHE_HIT']));
  });

  it('tags the image with the commit SHA (c-<sha>) and builds and pushes exactly that tag', () => {
    expect(SPEC_TEXT).toContain('export IMAGE_TAG="c-${COMMIT_SHA}"');
    expect(SPEC_TEXT).toContain('export IMAGE_URI="${IMAGE_REPO_URI}:${IMAGE_TAG}"');
    expect(SPEC_TEXT).toContain('--tag "$IMAGE_URI"');
    expect(SPEC_TEXT).toContain('docker push "$IMAGE_URI"');
  });

  it('passes shellcheck, command by command and as one script in phase order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'buildspec-sc-'));
    const files = COMMANDS.map((cmd, i) => {
      const file = join(dir, `cmd${i}.sh`);
      writeFileSync(file, `#!/bin/bash\n${cmd}\n`);
      return file;
    });
    const whole = join(dir, 'all.sh');
    writeFileSync(whole, `#!/bin/bash\n${COMMANDS.join('\n')}\n`);
    const run = spawnSync('shellcheck', ['--shell=bash', '--severity=style', ...files, whole], { encoding: 'utf8' });
    if (run.error) throw new Error(`shellcheck is not installed (apt-get install -y shellcheck): ${run.error.message}`);
    expect(run.stdout + run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('never traces commands or echoes a secret-looking variable, and logs in with --password-stdin', () => {
    const secretVar = /\$\{?[A-Z_]*(PASSWORD|SECRET|TOKEN|CREDENTIAL|ACCESS_KEY|PRIVATE)[A-Z_]*/;
    for (const cmd of COMMANDS) {
      expect(cmd).not.toMatch(/set\s+-[a-z]*x|set -o xtrace/);
      for (const line of cmd.split('\n')) {
        if (/\b(echo|printf|cat)\b/.test(line)) expect(line).not.toMatch(secretVar);
      }
      expect(cmd).not.toMatch(/--password[ =]/);
    }
    expect(SPEC_TEXT).toContain('docker login --username AWS --password-stdin');
  });

  it('embeds build/Dockerfile.springboot byte for byte (CodeBuild only has the application checkout)', () => {
    const fromSpec = /<< 'ENVBOT_DOCKERFILE'\n([\s\S]*?)ENVBOT_DOCKERFILE\n/.exec(COMMANDS.join('\n'))?.[1];
    expect(fromSpec).toBe(readFileSync(join(ROOT, 'build', 'Dockerfile.springboot'), 'utf8'));
  });
});

describe('buildspec.yml, run in bash with stub docker/aws', () => {
  it('builds a Gradle-wrapper project into <repo>:c-<sha>, with the default layered Dockerfile, and reports the image', () => {
    const sim = new Simulation({ 'gradlew': GRADLEW });
    const run = sim.run();
    expect(run.status, run.output).toBe(0);
    const build = sim.calls().find((c) => c.startsWith('docker build'))!;
    expect(build).toContain(`--tag ${REPO_URI}:c-${SHA}`);
    expect(build).toContain('--file .envbot/Dockerfile.default');
    expect(build).toContain(`--label org.opencontainers.image.revision=${SHA}`);
    expect(sim.calls()).toContain(`docker push ${REPO_URI}:c-${SHA}`);
    expect(sim.calls()).toContain('gradlew --no-daemon --console=plain assemble');
    // The Boot jar, not the -plain one, is what goes into the image.
    expect(readFileSync(join(sim.repo, '.envbot', 'app.jar'), 'utf8')).toBe('boot jar');
    expect(readFileSync(join(sim.repo, '.envbot', 'Dockerfile.default'), 'utf8')).toBe(
      readFileSync(join(ROOT, 'build', 'Dockerfile.springboot'), 'utf8'),
    );
    expect(run.output).toContain(`Image: ${REPO_URI}:c-${SHA}`);
    expect(run.exported).toMatchObject({ IMAGE_URI: `${REPO_URI}:c-${SHA}`, CACHE_HIT: 'false', BUILD_TOOL: 'gradle-wrapper' });
  });

  it('reports a cache hit on the next build once a successful build left its marker in the cached directory', () => {
    const sim = new Simulation({ 'gradlew': GRADLEW });
    expect(sim.run().exported.CACHE_HIT).toBe('false');
    expect(existsSync(join(sim.gradleHome, 'caches', '.envbot-cache-marker'))).toBe(true);
    sim.resetRepo({ 'gradlew': GRADLEW });
    const second = sim.run();
    expect(second.exported.CACHE_HIT).toBe('true');
    expect(second.output).toContain('Dependency cache hit: true');
  });

  it('prefers the Maven wrapper and the repository\'s own Dockerfile, and marks the Maven cache', () => {
    const sim = new Simulation({ 'mvnw': MVNW, 'pom.xml': '<project/>', 'Dockerfile': 'FROM scratch\n' });
    const run = sim.run();
    expect(run.status, run.output).toBe(0);
    expect(sim.calls()).toContain(`mvnw -B -ntp -DskipTests -Dmaven.repo.local=${sim.m2} package`);
    expect(sim.calls().find((c) => c.startsWith('docker build'))).toContain('--file Dockerfile');
    expect(run.exported.BUILD_TOOL).toBe('maven-wrapper');
    expect(existsSync(join(sim.m2, '.envbot-cache-marker'))).toBe(true);
  });

  it('reuses the previous image as layer cache when envbot names one', () => {
    const sim = new Simulation({ 'gradlew': GRADLEW });
    const run = sim.run({ CACHE_FROM_IMAGE: `${REPO_URI}:c-${'b'.repeat(40)}` });
    expect(run.status, run.output).toBe(0);
    expect(sim.calls()).toContain(`docker pull --quiet ${REPO_URI}:c-${'b'.repeat(40)}`);
    expect(sim.calls().find((c) => c.startsWith('docker build'))).toContain(`--cache-from ${REPO_URI}:c-${'b'.repeat(40)}`);
  });

  it('refuses to build when the commit tag already exists: only its own push proves where an image came from', () => {
    const sim = new Simulation({ 'gradlew': GRADLEW });
    const run = sim.run({ STUB_IMAGE_EXISTS: '0' });
    expect(run.status).not.toBe(0);
    expect(sim.calls().filter((c) => /^docker (build|push)|gradlew/.test(c))).toEqual([]);
    expect(run.output).toContain('already exists and this build did not push it');
    expect(run.exported.IMAGE_DIGEST ?? '').toBe('');
  });

  it('exports the digest docker pushed for this repository, and fails when there is none', () => {
    const sim = new Simulation({ 'gradlew': GRADLEW });
    const run = sim.run();
    expect(run.status, run.output).toBe(0);
    expect(run.exported.IMAGE_DIGEST).toBe(`sha256:${'d'.repeat(64)}`);
    sim.resetRepo({ 'gradlew': GRADLEW });
    const bad = sim.run({ STUB_PUSHED_DIGEST: 'not-a-digest' });
    expect(bad.status).not.toBe(0);
    expect(bad.output).toContain('could not read the digest');
  });

  it('reads the digest from the push output when docker keeps no repo digest, and fails the build when the push fails', () => {
    const sim = new Simulation({ 'gradlew': GRADLEW });
    const run = sim.run({ STUB_NO_REPO_DIGESTS: '1' });
    expect(run.status, run.output).toBe(0);
    expect(run.exported.IMAGE_DIGEST).toBe(`sha256:${'e'.repeat(64)}`);
    sim.resetRepo({ 'gradlew': GRADLEW });
    const refused = sim.run({ STUB_PUSH_STATUS: '1' });
    expect(refused.status).not.toBe(0);
    expect(refused.output).not.toContain('Pushed ');
  });

  it('prints no secret: not the ECR password, not a secret in the environment', () => {
    const sim = new Simulation({ 'gradlew': GRADLEW });
    const run = sim.run({ GITHUB_TOKEN: 'ghp_topsecretvalue', NPM_TOKEN: 'npm_topsecretvalue' });
    expect(run.status, run.output).toBe(0);
    expect(run.output).not.toContain('ecr-password-do-not-print');
    expect(run.output).not.toContain('topsecretvalue');
    expect(sim.calls()).toContain('docker login --username AWS --password-stdin 123456789012.dkr.ecr.us-east-1.amazonaws.com stdin=ecr-password-do-not-print');
  });

  it('treats a hostile branch name as data (environment variable, quoted), not as shell', () => {
    const sim = new Simulation({ 'gradlew': GRADLEW });
    const run = sim.run({ BRANCH_NAME: 'x"; touch pwned; echo "$(touch pwned2)' });
    expect(run.status, run.output).toBe(0);
    expect(existsSync(join(sim.repo, 'pwned'))).toBe(false);
    expect(existsSync(join(sim.repo, 'pwned2'))).toBe(false);
    expect(sim.calls().find((c) => c.startsWith('docker build'))).toContain('--label envbot.branch=x"; touch pwned; echo "$(touch pwned2)');
  });

  it('refuses a commit that is not a full SHA, or a checkout of another commit', () => {
    const sim = new Simulation({ 'gradlew': GRADLEW });
    expect(sim.run({ COMMIT_SHA: 'main', CODEBUILD_RESOLVED_SOURCE_VERSION: 'main' }).status).not.toBe(0);
    const other = sim.run({ CODEBUILD_RESOLVED_SOURCE_VERSION: 'b'.repeat(40) });
    expect(other.status).not.toBe(0);
    expect(other.output).toContain('is not COMMIT_SHA');
    expect(sim.calls().filter((c) => c.startsWith('docker'))).toEqual([]);
  });

  it('fails with a clear message when there is no build file', () => {
    const sim = new Simulation({ 'README.md': 'hi' });
    const run = sim.run();
    expect(run.status).not.toBe(0);
    expect(run.output).toContain('cannot build a jar');
  });
});

// A Gradle wrapper stand-in: records its call, "downloads" a dependency, writes a Boot jar and a plain jar.
const GRADLEW = `#!/bin/bash
printf '%s\\n' "gradlew $*" >> "$STUB_LOG"
mkdir -p "$GRADLE_USER_HOME/caches/modules-2" build/libs
echo dep > "$GRADLE_USER_HOME/caches/modules-2/dep.jar"
printf 'boot jar' > build/libs/demo-0.0.1.jar
printf 'plain jar' > build/libs/demo-0.0.1-plain.jar
`;
const MVNW = `#!/bin/bash
printf '%s\\n' "mvnw $*" >> "$STUB_LOG"
mkdir -p target
printf 'boot jar' > target/demo-0.0.1.jar
printf 'original' > target/original-demo-0.0.1.jar
`;
const DOCKER = `#!/bin/bash
if [ "$1" = login ]; then printf '%s stdin=%s\\n' "docker $*" "$(cat)" >> "$STUB_LOG"; echo "Login Succeeded"; exit 0; fi
printf '%s\\n' "docker $*" >> "$STUB_LOG"
if [ "$1 $2" = "image inspect" ] && [ -z "\${STUB_NO_REPO_DIGESTS:-}" ]; then
  ref="\${@: -1}"
  # A pulled cache image of another repository first: the buildspec must pick its own repository's digest.
  printf 'public.ecr.aws/docker/library/eclipse-temurin@sha256:%s\\n%s@sha256:%s\\n' "\$(printf 'c%.0s' {1..64})" "\${ref%:*}" "\${STUB_PUSHED_DIGEST:-\$(printf 'd%.0s' {1..64})}"
fi
if [ "$1" = push ]; then printf '%s: digest: sha256:%s size: 1234\\n' "\${2##*:}" "\$(printf 'e%.0s' {1..64})"; exit "\${STUB_PUSH_STATUS:-0}"; fi
`;
const AWS = `#!/bin/bash
printf '%s\\n' "aws $*" >> "$STUB_LOG"
if [ "$1 $2" = "ecr get-login-password" ]; then printf 'ecr-password-do-not-print'; exit 0; fi
if [ "$1 $2" = "ecr describe-images" ]; then exit "\${STUB_IMAGE_EXISTS:-254}"; fi
exit 0
`;

class Simulation {
  readonly dir = mkdtempSync(join(tmpdir(), 'buildspec-run-'));
  readonly repo = join(this.dir, 'repo');
  readonly gradleHome = join(this.dir, 'home', '.gradle');
  readonly m2 = join(this.dir, 'home', '.m2', 'repository');
  private readonly bin = join(this.dir, 'bin');
  private readonly log = join(this.dir, 'calls.log');

  constructor(files: Record<string, string>) {
    mkdirSync(this.bin);
    this.stub('docker', DOCKER);
    this.stub('aws', AWS);
    this.resetRepo(files);
  }

  resetRepo(files: Record<string, string>): void {
    execFileSync('rm', ['-rf', this.repo]);
    mkdirSync(this.repo, { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(this.repo, name), text);
    writeFileSync(this.log, '');
  }

  calls(): string[] {
    return readFileSync(this.log, 'utf8').split('\n').filter(Boolean);
  }

  /** Phases in order; a failing command ends the run (CodeBuild would skip to post_build). */
  run(env: Record<string, string> = {}): { status: number; output: string; exported: Record<string, string> } {
    const exportedFile = join(this.dir, 'exported.env');
    const script = [
      ...COMMANDS.map((cmd, i) => `${cmd}\nrc=$?; if [ "$rc" -ne 0 ]; then echo "command ${i} failed ($rc)" >&2; exit "$rc"; fi`),
      ...SPEC.env['exported-variables'].map((v) => `printf '%s=%s\\n' '${v}' "\${${v}:-}" >> '${exportedFile}'`),
    ].join('\n');
    writeFileSync(exportedFile, '');
    const result = spawnSync('bash', ['-c', script], {
      cwd: this.repo,
      encoding: 'utf8',
      env: {
        PATH: `${this.bin}:${process.env.PATH}`,
        HOME: join(this.dir, 'home'),
        STUB_LOG: this.log,
        AWS_REGION: 'us-east-1',
        CODEBUILD_BUILD_SUCCEEDING: '1',
        CODEBUILD_RESOLVED_SOURCE_VERSION: SHA,
        COMMIT_SHA: SHA,
        IMAGE_REPO_URI: REPO_URI,
        ENV_NAME: 'feature-x',
        BRANCH_NAME: 'feature/x',
        GRADLE_USER_HOME: this.gradleHome,
        MAVEN_REPO: this.m2,
        ...env,
      },
    });
    const exported = Object.fromEntries(
      readFileSync(exportedFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    return { status: result.status ?? -1, output: result.stdout + result.stderr, exported };
  }

  private stub(name: string, text: string): void {
    writeFileSync(join(this.bin, name), text);
    chmodSync(join(this.bin, name), 0o755);
  }
}

describe('default Dockerfile: the layer-extraction RUN step, run in dash with a stub java', () => {
  const dockerfile = readFileSync(join(ROOT, 'build', 'Dockerfile.springboot'), 'utf8');
  const runStep = /^RUN (set -eu;[\s\S]*?[^\\])\n/m.exec(dockerfile)![1]!.replace(/\\\n/g, '');
  // Stands in for the JRE: records its arguments and extracts like the named jarmode would.
  const JAVA = `#!/bin/sh
echo "java $*" >> "$STUB_LOG"
case "$*" in
  *-Djarmode=tools*) [ "$BOOT" = 3.3 ] || exit 1
    mkdir -p out/dependencies/lib out/spring-boot-loader/org/springframework/boot/loader/launch out/application/BOOT-INF/classes
    touch out/dependencies/lib/spring-core.jar out/spring-boot-loader/org/springframework/boot/loader/launch/JarLauncher.class out/application/BOOT-INF/classes/App.class ;;
  *-Djarmode=layertools*)
    mkdir -p out/dependencies/BOOT-INF/lib out/spring-boot-loader/org/springframework/boot/loader out/snapshot-dependencies out/application/BOOT-INF/classes
    touch out/dependencies/BOOT-INF/lib/spring-core.jar out/spring-boot-loader/org/springframework/boot/loader/JarLauncher.class ;;
  *) echo "the application started during the image build" >&2; exit 99 ;;
esac
`;

  function extract(jar: string, boot = '') {
    const dir = mkdtempSync(join(tmpdir(), 'layers-'));
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin', 'java'), JAVA);
    chmodSync(join(dir, 'bin', 'java'), 0o755);
    writeFileSync(join(dir, 'app.jar'), jar);
    const log = join(dir, 'java.log');
    writeFileSync(log, '');
    const run = spawnSync('dash', ['-c', runStep], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: `${join(dir, 'bin')}:${process.env.PATH}`, STUB_LOG: log, BOOT: boot },
    });
    const layer = (name: string) => existsSync(join(dir, 'out', name));
    return {
      status: run.status,
      stderr: run.stderr,
      java: readFileSync(log, 'utf8').trim().split('\n').filter(Boolean),
      launch: existsSync(join(dir, 'out', 'application', 'launch.sh')) ? readFileSync(join(dir, 'out', 'application', 'launch.sh'), 'utf8') : '',
      layers: ['dependencies', 'spring-boot-loader', 'snapshot-dependencies', 'application'].every(layer),
      dir,
    };
  }

  it('passes shellcheck as POSIX sh', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'layers-sc-')), 'run.sh');
    writeFileSync(file, `#!/bin/sh\n${runStep}\n`);
    const run = spawnSync('shellcheck', ['--shell=sh', file], { encoding: 'utf8' });
    expect(run.stdout + run.stderr).toBe('');
  });

  it('Spring Boot >= 3.3: extracts layers with the tools jarmode and launches the new JarLauncher', () => {
    const r = extract('PK...BOOT-INF/layers.idx...', '3.3');
    expect(r.status, r.stderr).toBe(0);
    expect(r.java).toEqual(['java -Djarmode=tools -jar app.jar extract --layers --launcher --destination out']);
    expect(r.layers).toBe(true);
    expect(r.launch).toBe('#!/bin/sh\nexec java -cp /app org.springframework.boot.loader.launch.JarLauncher "$@"\n');
    expect(existsSync(join(r.dir, 'out', 'dependencies', 'lib', 'spring-core.jar'))).toBe(true);
  });

  it('Spring Boot 2.3 to 3.2: falls back to layertools and the classic JarLauncher', () => {
    const r = extract('PK...BOOT-INF/layers.idx...', '2.7');
    expect(r.status, r.stderr).toBe(0);
    expect(r.java).toHaveLength(2);
    expect(r.java[1]).toBe('java -Djarmode=layertools -jar app.jar extract --destination out');
    expect(r.layers).toBe(true);
    expect(r.launch).toContain('exec java -cp /app org.springframework.boot.loader.JarLauncher "$@"');
  });

  it('a plain (non-layered) jar goes in whole and is never run during the build', () => {
    const r = extract('PK...META-INF/MANIFEST.MF...');
    expect(r.status, r.stderr).toBe(0);
    expect(r.java).toEqual([]);
    expect(r.layers).toBe(true);
    expect(readFileSync(join(r.dir, 'out', 'application', 'app.jar'), 'utf8')).toBe('PK...META-INF/MANIFEST.MF...');
    expect(r.launch).toBe('#!/bin/sh\nexec java -jar /app/app.jar "$@"\n');
  });
});
