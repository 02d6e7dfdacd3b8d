import type { CapacityItem } from '../aws/ecs-types.js';

/**
 * ECS echoes every strategy item with `base` and `weight` (0 when not given) and the order of
 * items carries no meaning, so strategies are compared by value, not as JSON text. A textual
 * compare saw a change on every run and forced a new deployment (a restart) each time.
 */
export function sameStrategy(a: readonly CapacityItem[], b: readonly CapacityItem[]): boolean {
  const norm = (items: readonly CapacityItem[]) =>
    items
      .map((i) => `${i.capacityProvider}:${i.weight ?? 0}:${i.base ?? 0}`)
      .sort()
      .join(',');
  return norm(a) === norm(b);
}
