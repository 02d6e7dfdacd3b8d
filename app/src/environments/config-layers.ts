import type { ProfileName } from './profiles.js';

export type LayerName = 'base' | 'profile' | 'env';

/** One parameter as read from Parameter Store (value only for plain `String`s). */
export interface ConfigParameter {
  key: string;
  /** Full SSM name; a SecureString is passed to ECS as this ARN/name, never as its value. */
  name: string;
  arn: string;
  secure: boolean;
  value?: string;
}

export interface EffectiveEntry extends ConfigParameter {
  layer: LayerName;
  /** Layers this key was also set in but overridden by a later one. */
  overrides: LayerName[];
}

export function layerPaths(prefix: string, profile: ProfileName, env: string): Record<LayerName, string> {
  return {
    base: `${prefix}/base/`,
    profile: `${prefix}/profiles/${profile}/`,
    env: `${prefix}/envs/${env}/`,
  };
}

/** Later layers win: base → profile → env. Output is sorted by key for stable task definitions. */
export function mergeLayers(layers: Record<LayerName, ConfigParameter[]>): EffectiveEntry[] {
  const merged = new Map<string, EffectiveEntry>();
  for (const layer of ['base', 'profile', 'env'] as const) {
    for (const p of layers[layer]) {
      const previous = merged.get(p.key);
      merged.set(p.key, { ...p, layer, overrides: previous ? [...previous.overrides, previous.layer] : [] });
    }
  }
  return [...merged.values()].sort((a, b) => a.key.localeCompare(b.key));
}

/** Container `environment` and `secrets` from the merged config. */
export function toContainerConfig(entries: EffectiveEntry[]): {
  environment: { name: string; value: string }[];
  secrets: { name: string; valueFrom: string }[];
} {
  return {
    environment: entries.filter((e) => !e.secure).map((e) => ({ name: e.key, value: e.value ?? '' })),
    secrets: entries.filter((e) => e.secure).map((e) => ({ name: e.key, valueFrom: e.arn })),
  };
}

export const SECRET_MASK = '••••••';
