const AGE_UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const SIZE_UNITS: Record<string, number> = {
  B: 1, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4,
};

/** "30d" -> milliseconds; undefined when the text is not an age. */
export function parseAge(text: string): number | undefined {
  const match = /^([0-9]+)(s|m|h|d|w)$/.exec(text.trim());
  return match ? Number(match[1]) * AGE_UNITS[match[2]!]! : undefined;
}

/** 1500 or "2GiB" -> bytes; undefined when the text is not a size. */
export function parseSize(value: number | string): number | undefined {
  if (typeof value === "number") return value;
  const match = /^([0-9]+(?:\.[0-9]+)?)\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/.exec(value.trim());
  return match ? Math.round(Number(match[1]) * SIZE_UNITS[match[2]!]!) : undefined;
}

/** 2150000 -> "2.1M", the compact sizes of seed 002's tables. */
export function formatSize(bytes: number): string {
  const units = ["B", "K", "M", "G", "T"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${value}B`;
  return `${value < 10 ? value.toFixed(1) : Math.round(value)}${units[unit]}`;
}

/** 90061000 -> "1d"; the coarsest whole unit, for reasons such as "kept: within 30d (age 3d)". */
export function formatAge(ms: number): string {
  for (const [unit, size] of [["w", AGE_UNITS.w!], ["d", AGE_UNITS.d!], ["h", AGE_UNITS.h!], ["m", AGE_UNITS.m!]] as const) {
    if (ms >= size) return `${Math.floor(ms / size)}${unit}`;
  }
  return `${Math.max(0, Math.floor(ms / 1000))}s`;
}
