import { describe, expect, it } from 'vitest';
import { buildLifecyclePolicy } from '../../app/src/builds/lifecycle-policy.js';
import { expiredBy, type ModelImage } from './lifecycle-policy-evaluator.js';

const NOW = new Date('2025-06-30T12:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);
const sha = (c: string) => c.repeat(40);
const policy = buildLifecyclePolicy({ keepCommitImages: 5, commitImageMaxAgeDays: 14 });

describe('ECR lifecycle policy', () => {
  it('has the four rules in priority order: untagged, deployed shield, commit count, catch-all age', () => {
    expect(policy.rules.map((r) => [r.rulePriority, (r.selection as { tagStatus: string }).tagStatus])).toEqual([
      [1, 'untagged'],
      [2, 'tagged'],
      [3, 'tagged'],
      [4, 'any'],
    ]);
    expect(policy.rules[0]).toMatchObject({ selection: { countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 }, action: { type: 'expire' } });
    expect(policy.rules[1]).toMatchObject({ selection: { tagPrefixList: ['deployed-'], countType: 'imageCountMoreThan' } });
    expect(policy.rules[2]).toMatchObject({ selection: { tagPrefixList: ['c-'], countType: 'imageCountMoreThan', countNumber: 5 } });
    expect(policy.rules[3]).toMatchObject({ selection: { countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 } });
  });

  it('obeys ECR\'s structural rules (unique priorities, `any` last, one untagged rule, unique prefixes, units only for age)', () => {
    const priorities = policy.rules.map((r) => Number(r.rulePriority));
    expect(new Set(priorities).size).toBe(priorities.length);
    const selections = policy.rules.map((r) => r.selection as Record<string, unknown>);
    const anyRule = policy.rules.find((r) => (r.selection as { tagStatus: string }).tagStatus === 'any')!;
    expect(Number(anyRule.rulePriority)).toBe(Math.max(...priorities));
    expect(selections.filter((s) => s.tagStatus === 'untagged')).toHaveLength(1);
    const prefixSets = selections.filter((s) => s.tagPrefixList).map((s) => JSON.stringify(s.tagPrefixList));
    expect(new Set(prefixSets).size).toBe(prefixSets.length);
    for (const s of selections) {
      if (s.tagStatus === 'tagged') expect(s.tagPrefixList ?? s.tagPatternList).toBeDefined();
      expect(s.countUnit !== undefined).toBe(s.countType === 'sinceImagePushed');
      expect(Number.isInteger(s.countNumber) && Number(s.countNumber) >= 1).toBe(true);
    }
    expect(JSON.stringify(policy).length).toBeLessThan(30_720); // ECR's policy text limit
  });

  it('on a realistic repository expires exactly: old untagged, old undeployed commits beyond 5, stale foreign tags', () => {
    const images: ModelImage[] = [
      { id: 'untagged-2d', tags: [], pushedAt: daysAgo(2) }, // failed push / removed tags
      { id: 'untagged-2h', tags: [], pushedAt: daysAgo(0.1) },
      { id: 'c1', tags: [`c-${sha('1')}`, 'deployed-feature-x'], pushedAt: daysAgo(1) },
      { id: 'c2', tags: [`c-${sha('2')}`], pushedAt: daysAgo(2) },
      { id: 'c3', tags: [`c-${sha('3')}`, 'deployed-feature-y', 'deployed-feature-z'], pushedAt: daysAgo(3) },
      { id: 'c4', tags: [`c-${sha('4')}`], pushedAt: daysAgo(5) },
      { id: 'c5', tags: [`c-${sha('5')}`], pushedAt: daysAgo(6) },
      { id: 'c6', tags: [`c-${sha('6')}`], pushedAt: daysAgo(10) },
      { id: 'c7', tags: [`c-${sha('7')}`], pushedAt: daysAgo(20) },
      { id: 'c8-stage', tags: [`c-${sha('8')}`, 'deployed-stage'], pushedAt: daysAgo(40) },
      { id: 'latest-20d', tags: ['latest'], pushedAt: daysAgo(20) },
      { id: 'debug-3d', tags: ['debug'], pushedAt: daysAgo(3) },
    ];
    expect(Object.fromEntries(expiredBy(policy, images, NOW))).toEqual({
      'untagged-2d': 1, // rule 1: untagged > 1 day
      c6: 3, // rule 3: 6th newest commit image, not deployed
      c7: 3, // rule 3: 7th newest, not deployed
      'latest-20d': 4, // rule 4: foreign tag older than 14 days
    });
    // Kept, and why: c8-stage is 8th newest and 40 days old but rule 2 shields it (deployed);
    // c1..c5 are the 5 newest commit images; untagged-2h is young; debug-3d is young.
  });

  it('shields deployed images only because the deployed rule comes first (the reasoning, checked)', () => {
    const images: ModelImage[] = [
      ...'123456'.split('').map((c, i) => ({ id: `c${c}`, tags: [`c-${sha(c)}`], pushedAt: daysAgo(i + 1) })),
      { id: 'old-deployed', tags: [`c-${sha('9')}`, 'deployed-stage'], pushedAt: daysAgo(90) },
    ];
    expect(expiredBy(policy, images, NOW).has('old-deployed')).toBe(false);
    const swapped = { rules: policy.rules.map((r) => ({ ...r, rulePriority: r.rulePriority === 2 ? 3 : r.rulePriority === 3 ? 2 : r.rulePriority })) };
    expect(expiredBy(swapped, images, NOW).get('old-deployed')).toBe(2);
  });

  it('cannot age out commit images (rule 3 shields every c-* image from rule 4) — the bot prunes those', () => {
    const images: ModelImage[] = [{ id: 'c-old', tags: [`c-${sha('1')}`], pushedAt: daysAgo(365) }];
    expect(expiredBy(policy, images, NOW).size).toBe(0);
  });

  it('rejects counts that ECR would reject', () => {
    expect(() => buildLifecyclePolicy({ keepCommitImages: 0, commitImageMaxAgeDays: 14 })).toThrow(/keepCommitImages/);
    expect(() => buildLifecyclePolicy({ keepCommitImages: 5, commitImageMaxAgeDays: 1.5 })).toThrow(/commitImageMaxAgeDays/);
  });
});
