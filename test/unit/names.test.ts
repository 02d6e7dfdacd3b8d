import { describe, expect, it } from 'vitest';
import { envNameFromBranch, hashedEnvName, MAX_ENV_NAME_LENGTH, validateEnvName } from '../../app/src/environments/names.js';

describe('envNameFromBranch', () => {
  it.each([
    ['feature/JIRA-123_Login', 'feature-jira-123-login'],
    ['main', 'main'],
    ['refs/heads/fix/bug-7', 'fix-bug-7'],
    ['Feature/Ünïcödé', 'feature-unicode'],
    ['123-hotfix', 'b-123-hotfix'],

  ])('%s → %s', (branch, name) => {
    const result = envNameFromBranch(branch);
    expect(result).toEqual({ ok: true, name });
  });

  it('truncates long names with a stable hash that fits every AWS name', () => {
    const a = envNameFromBranch('feature/a-very-long-branch-name-that-goes-on-and-on');
    const b = envNameFromBranch('feature/a-very-long-branch-name-that-goes-on-and-on-too');
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(a.name).toMatch(/^feature-a-very-long-b-[0-9a-f]{6}$/);
    expect(a.name.length).toBeLessThanOrEqual(MAX_ENV_NAME_LENGTH);
    expect(`eb-${a.name}`.length).toBeLessThanOrEqual(32);
    expect(b.name).not.toBe(a.name);
    expect(envNameFromBranch('feature/a-very-long-branch-name-that-goes-on-and-on')).toEqual(a);
    expect(validateEnvName(a.name)).toEqual({ ok: true, name: a.name });
  });

  it('gives colliding branches different hashed names', () => {
    const x = hashedEnvName('a/b');
    const y = hashedEnvName('a_b');
    expect(envNameFromBranch('a/b')).toEqual(envNameFromBranch('a_b'));
    expect(x.ok && y.ok && x.name !== y.name).toBe(true);
  });

  it.each([
    ['', 'the branch name is empty'],
    ['///', '"///" has no letters or digits to build a name from'],
    ['___', '"___" has no letters or digits to build a name from'],
    ['x'.repeat(300), 'the branch name is longer than 255 characters'],
  ])('rejects %j', (branch, reason) => {
    expect(envNameFromBranch(branch)).toEqual({ ok: false, reason });
  });
});
