/** Fargate task sizes a user can pick with `--size`. Values are valid Fargate cpu/memory pairs. */
export const SIZES = {
  xs: { cpu: 256, memory: 512 },
  s: { cpu: 512, memory: 1024 },
  m: { cpu: 1024, memory: 2048 },
  l: { cpu: 2048, memory: 4096 },
  xl: { cpu: 4096, memory: 8192 },
} as const;

export type SizeName = keyof typeof SIZES;
export const SIZE_NAMES = Object.keys(SIZES) as SizeName[];

export function isSizeName(value: string): value is SizeName {
  return Object.hasOwn(SIZES, value);
}

export function vcpuOf(size: SizeName): number {
  return SIZES[size].cpu / 1024;
}

export function memoryGbOf(size: SizeName): number {
  return SIZES[size].memory / 1024;
}

/** The one place a size name typed by a user is checked; `reason` is the user-facing problem. */
export function parseSizeName(text: string): { ok: true; value: SizeName } | { ok: false; reason: string } {
  if (isSizeName(text)) return { ok: true, value: text };
  return { ok: false, reason: `Unknown size "${text}". Sizes: ${SIZE_NAMES.join(', ')}.` };
}
