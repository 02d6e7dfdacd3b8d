import type { ICruiseResult } from 'dependency-cruiser';

/** One line per broken rule, with the source names as they are in the tree (`.ts`, not the mirror's `.js`). */
export function describeViolations(result: ICruiseResult): string[] {
  const asSource = (path: string) => path.replace(/^(app\/src\/.*)\.js$/, '$1.ts').replace(/^.*node_modules\//, '');
  return result.summary.violations.map((v) => {
    const cycle = v.cycle?.length ? ` (cycle: ${[v.from, ...v.cycle.map((c) => c.name)].map(asSource).join(' → ')})` : '';
    const comment = v.rule.name === 'no-circular' ? '' : ` — ${ruleComment(result, v.rule.name)}`;
    return `${v.rule.name}: ${asSource(v.from)} → ${asSource(v.to)}${cycle}${comment}`;
  });
}

function ruleComment(result: ICruiseResult, name: string): string {
  const rule = result.summary.ruleSetUsed?.forbidden?.find((r) => r.name === name);
  return rule?.comment ?? '';
}
