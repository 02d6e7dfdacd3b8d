import { describe, expect, it } from 'vitest';
import { buildOverrides, isProtectedBranch } from '../../app/src/builds/build-isolation.js';

describe('protected branches and their build overrides', () => {
  it('matches names exactly, and * within one path segment', () => {
    expect(isProtectedBranch('main', ['main'])).toBe(true);
    expect(isProtectedBranch('main2', ['main'])).toBe(false);
    expect(isProtectedBranch('release/1.2', ['main', 'release/*'])).toBe(true);
    expect(isProtectedBranch('release/1.2/x', ['release/*'])).toBe(false);
    expect(isProtectedBranch('xrelease/1', ['release/*'])).toBe(false);
    // Regex metacharacters in a branch pattern are literal.
    expect(isProtectedBranch('v1x0', ['v1.0'])).toBe(false);
  });

  it('protected: own role and S3 location when configured, no cache at all when not; others: the project defaults', () => {
    const full = { protectedBranches: ['main'], cacheBucket: 'b', protectedRoleArn: 'arn:aws:iam::1:role/p' };
    expect(buildOverrides('main', full)).toEqual({ cache: { type: 'S3', location: 'b/protected' }, serviceRole: 'arn:aws:iam::1:role/p' });
    expect(buildOverrides('main', { protectedBranches: ['main'], cacheBucket: 'b' })).toEqual({ cache: { type: 'NO_CACHE' } });
    expect(buildOverrides('feature/x', full)).toEqual({});
  });
});
