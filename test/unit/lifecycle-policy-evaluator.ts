/**
 * A small, pure model of how ECR applies a lifecycle policy (expire actions only), for tests.
 * It encodes the documented evaluation rules, not ECR's code:
 *  - rules apply lowest rulePriority first; an image is expired by at most one rule;
 *  - an image that matches the tag selection of a higher-priority rule cannot be expired by a
 *    lower-priority rule (matching shields, whether or not the higher rule expired it);
 *  - a rule still counts shielded/expired images when ranking for imageCountMoreThan;
 *  - tagPrefixList entries are ANDed, each satisfied by any of the image's tags;
 *  - imageCountMoreThan keeps the N most recently pushed; sinceImagePushed expires older than N days.
 */
export interface ModelImage {
  id: string;
  tags: string[];
  pushedAt: Date;
}

interface Selection {
  tagStatus: 'tagged' | 'untagged' | 'any';
  tagPrefixList?: string[];
  tagPatternList?: string[];
  countType: 'imageCountMoreThan' | 'sinceImagePushed';
  countUnit?: 'days';
  countNumber: number;
}

/** Image id → the priority of the rule that expires it. */
export function expiredBy(policy: { rules: Array<Record<string, unknown>> }, images: ModelImage[], now: Date): Map<string, number> {
  const rules = [...policy.rules].sort((a, b) => Number(a.rulePriority) - Number(b.rulePriority));
  const shielded = new Set<string>();
  const expired = new Map<string, number>();
  for (const rule of rules) {
    const sel = rule.selection as Selection;
    const selected = images.filter((img) => matches(sel, img));
    for (const img of candidates(sel, selected, now)) {
      if (!shielded.has(img.id) && !expired.has(img.id)) expired.set(img.id, Number(rule.rulePriority));
    }
    for (const img of selected) shielded.add(img.id);
  }
  return expired;
}

function matches(sel: Selection, img: ModelImage): boolean {
  if (sel.tagStatus === 'any') return true;
  if (sel.tagStatus === 'untagged') return img.tags.length === 0;
  if (img.tags.length === 0) return false;
  const prefixes = sel.tagPrefixList ?? [];
  const patterns = (sel.tagPatternList ?? []).map((p) => new RegExp(`^${p.split('*').map(escape).join('.*')}$`));
  return prefixes.every((p) => img.tags.some((t) => t.startsWith(p))) && patterns.every((re) => img.tags.some((t) => re.test(t)));
}

function candidates(sel: Selection, selected: ModelImage[], now: Date): ModelImage[] {
  if (sel.countType === 'imageCountMoreThan') {
    return [...selected].sort((a, b) => b.pushedAt.getTime() - a.pushedAt.getTime()).slice(sel.countNumber);
  }
  const cutoff = now.getTime() - sel.countNumber * 86_400_000;
  return selected.filter((img) => img.pushedAt.getTime() < cutoff);
}

function escape(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}
