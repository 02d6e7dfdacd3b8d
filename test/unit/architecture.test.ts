import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { IConfiguration } from 'dependency-cruiser';
import { cruiseTypeScript } from '../support/architecture/cruise-typescript.js';
import { describeViolations } from '../support/architecture/violations.js';

// The dependency rule (docs/architecture.md) lives in .dependency-cruiser.cjs; this test is what runs it.
const root = fileURLToPath(new URL('../../', import.meta.url));
const config = createRequire(import.meta.url)(`${root}.dependency-cruiser.cjs`) as IConfiguration;

describe('architecture', () => {
  it('app/src imports point one way, without cycles, and only the adapters import the AWS SDK, Bolt and Octokit', async () => {
    const result = await cruiseTypeScript(root, ['app/src'], config);
    expect(result.summary.totalCruised, 'dependency-cruiser read the sources').toBeGreaterThan(200);
    expect(describeViolations(result), 'imports that break .dependency-cruiser.cjs').toEqual([]);
  });

  // dependency-cruiser cannot see this one: esbuild turns `export … from` into an import plus an export.
  it('adapters return envbot\'s own types: no module passes an AWS SDK type or class on with an export', () => {
    const found = sourceFiles(join(root, 'app/src')).flatMap((file) => sdkReExports(relative(root, file), readFileSync(file, 'utf8')));
    expect(found, 'declare envbot\'s own type in aws/ (ecs-types.ts, elb-types.ts) and map the SDK\'s to it in the adapter').toEqual([]);
  });
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** `export … from '@aws-sdk/…'`, and `export { X }` of a name imported from the SDK. */
function sdkReExports(file: string, source: string): string[] {
  const direct = [...source.matchAll(/export\s+(?:type\s+)?(?:\*|\{[^}]*\})\s+from\s+['"](@aws-sdk\/[^'"]+)['"]/g)].map((m) => `${file}: re-exports ${m[1]}`);
  const imported = new Set(
    [...source.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+['"]@aws-sdk\/[^'"]+['"]/g)].flatMap((m) =>
      m[1]!.split(',').map((n) => n.trim().replace(/^type\s+/, '').split(/\s+as\s+/).pop()!).filter(Boolean),
    ),
  );
  const local = [...source.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}\s*;/g)].flatMap((m) =>
    m[1]!.split(',').map((n) => n.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]!).filter((n) => imported.has(n)),
  );
  return [...direct, ...local.map((n) => `${file}: exports the SDK's ${n}`)];
}
