import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { longFunctions } from '../support/architecture/function-lengths.js';

// Style rule (docs/architecture.md): a function fits on a screen. Counted like ESLint's max-lines-per-function.
const MAX_LINES = 60;
const root = fileURLToPath(new URL('../../', import.meta.url));

describe('function length', () => {
  it(`no function in app/src or infra/ is longer than ${MAX_LINES} lines`, () => {
    const long = longFunctions(root, ['app/src', 'infra'], MAX_LINES).map((f) => `${f.file}:${f.line} ${f.name} (${f.lines} lines)`);
    expect(long, 'split these into named steps').toEqual([]);
  });
});
