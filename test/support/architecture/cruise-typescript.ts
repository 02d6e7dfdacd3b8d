import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { transformSync } from 'esbuild';
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser';

/**
 * Runs dependency-cruiser over TypeScript sources.
 *
 * dependency-cruiser 17 parses `.ts` only through the `typescript` package's JS API (versions < 7) or
 * `@swc/core`; this project is on TypeScript 7, which has no JS API. So each file is first stripped of
 * its types by esbuild into a mirror tree, keeping every import (type-only ones too, by rewriting
 * `import type` to `import` and asking for verbatim module syntax), and the mirror is cruised with
 * the project's own `.dependency-cruiser.cjs`. Paths in the result are the same as in the source tree.
 */
export async function cruiseTypeScript(root: string, folders: string[], config: IConfiguration): Promise<ICruiseResult> {
  const mirror = join(tmpdir(), `envbot-architecture-${process.pid}-${Date.now()}`);
  try {
    for (const folder of folders) mirrorFolder(join(root, folder), join(mirror, folder));
    symlinkSync(join(root, 'node_modules'), join(mirror, 'node_modules'), 'dir');
    const { tsConfig: _ignored, ...options } = config.options ?? {};
    const reporting = await cruise(folders, { ...options, ruleSet: config, validate: true, baseDir: mirror });
    return reporting.output as ICruiseResult;
  } finally {
    rmSync(mirror, { recursive: true, force: true });
  }
}

function mirrorFolder(from: string, to: string): void {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    if (entry.isDirectory()) mirrorFolder(source, join(to, entry.name));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
      const target = join(to, entry.name.replace(/\.ts$/, '.js'));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, stripTypesKeepingImports(readFileSync(source, 'utf8'), relative(from, source)));
    }
  }
}

/** Type-only imports are dependencies too: they are kept as plain imports so the rules see them. */
export function stripTypesKeepingImports(source: string, name: string): string {
  const everyImportKept = source
    .replace(/^(\s*)import type\s/gm, '$1import ')
    .replace(/^(\s*)export type\s*\{/gm, '$1export {');
  return transformSync(everyImportKept, {
    loader: 'ts',
    format: 'esm',
    sourcefile: name,
    tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
  }).code;
}
